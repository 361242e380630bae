// Property test: random and adversarial source through every rule in every language. No exception escapes the
// review, no rule throws or runs out of its budget on a small file, and every finding's lines lie in its file.
import fc from "fast-check";
import { defaultConfig } from "../../src/config/schema.js";
import { review } from "../../src/engine/index.js";
import type { ChangedFile, EngineResult, Language } from "../../src/engine/types.js";
import { generate, SHAPES } from "../support/shapes.js";

const VOCABULARY: Record<Language, string[]> = {
  typescript: [
    "import", "export", "from", '"express"', '"jsonwebtoken"', "const", "let", "async", "await", "function", "=>", "return", "for", "of", "while",
    "if", "else", "try", "catch", "class", "new", "this", "fetch", "app", "router", ".use", ".get", ".post", "req", "res", "next", "jwt", ".decode",
    ".verify", "tenantId", "userId", "amount", "price", "Math.round", "parseFloat", "setTimeout", "retry", "console.log", "logger.info",
    "ddb", ".send", "new GetCommand", "Date", "items", ".map", ".forEach", "Promise.all", "process.env", "`${x}`", "/re+gex/g",
  ],
  python: [
    "import", "from", "def", "async def", "await", "return", "for", "in", "while", "if", "elif", "else:", "try:", "except", "with", "as", "class",
    "self", "request", "app", "@app.get", "@app.post", "jwt", ".decode", "tenant_id", "user_id", "amount", "price", "float", "Decimal", "round",
    "requests.get", "httpx", "boto3.client", "time.sleep", "retry", "logging", "logger.info", "datetime.now", "print", "lambda", "yield", "f'{x}'",
  ],
  rust: [
    "use", "pub", "fn", "async", "await", ".await", "let", "mut", "for", "in", "while", "loop", "if", "else", "match", "=>", "impl", "struct",
    "self", "Self", "&", "'a", "::", "HttpRequest", "web::Json", "axum::", "Router::new()", ".layer", ".wrap", "jsonwebtoken::decode", "tenant_id",
    "amount", "f64", "i64", "reqwest::get", "client", ".send()", "tokio::time::sleep", "retry", "tracing::info!", "println!", "Utc::now()", "?",
  ],
};
const PUNCTUATION = ["(", ")", "{", "}", "[", "]", ";", ",", ".", ":", "=", "==", "+", "-", "*", "/", "<", ">", "!", "?", "#", '"', "'", "`", "\\", "\n", "\n    ", " ", "\t"];
const EXTENSION: Record<Language, string> = { typescript: "ts", python: "py", rust: "rs" };

/** Source built from the language's words and punctuation: mostly nonsense, often close to real code. */
const tokens = (language: Language) =>
  fc.array(fc.oneof(fc.constantFrom(...VOCABULARY[language]), fc.constantFrom(...PUNCTUATION), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.integer().map(String)), { maxLength: 300 })
    .map((parts) => parts.join(" "));

/** Inputs that break naive parsers and regexes: long runs, deep nesting, unterminated literals, odd bytes. */
const adversarial = (language: Language) =>
  fc.oneof(
    fc.tuple(fc.constantFrom("a", "(", "{", "[", " ", "\n", "/", "*", '"', "'", "`", "\\", "_", "0", "\u00e9", "\u{1f600}", "\r"), fc.integer({ min: 1, max: 3000 })).map(([c, n]) => c.repeat(n)),
    fc.integer({ min: 1, max: 300 }).map((n) => `${"(".repeat(n)}x${")".repeat(n)}`),
    fc.integer({ min: 1, max: 200 }).map((n) => `${"{".repeat(n)}`),
    fc.tuple(fc.constantFrom(...SHAPES), fc.integer({ min: 100, max: 3000 })).map(([shape, bytes]) => generate(language, shape, bytes)),
    fc.string({ unit: "binary", maxLength: 500 }),
  );

const source = (language: Language) => fc.oneof({ weight: 3, arbitrary: tokens(language) }, { weight: 2, arbitrary: adversarial(language) }, { weight: 1, arbitrary: fc.string({ maxLength: 400 }) });

const config = defaultConfig();
config.review.filter = "file";
config.limits.file_seconds = 5;
config.limits.skip_generated = false; // every shape reaches the rules

function lineCount(content: string): number {
  return content.split("\n").length;
}

function check(result: EngineResult, files: ChangedFile[]): void {
  const lines = new Map(files.map((f) => [f.path, lineCount(f.content!)]));
  for (const f of result.findings) {
    if (!f.path) continue;
    const n = lines.get(f.path);
    expect({ finding: `${f.ruleId}@${f.path}`, inside: n !== undefined && f.line >= 1 && f.endLine >= f.line && f.endLine <= n! }).toEqual({ finding: `${f.ruleId}@${f.path}`, inside: true });
  }
  // No rule threw and none ran out of its budget: the only gaps allowed are files too deep for the parser.
  for (const g of result.coverage) expect(g.reason).toMatch(/^could not be parsed: Maximum call stack size exceeded/);
}

/** Inputs the fuzzing found a rule failing on, kept so the fix stays. */
const FOUND = ["<.#", "import *", "import import"];

describe.each(["typescript", "python", "rust"] as const)("%s: random and adversarial source", (language) => {
  const paths = [`src/handlers/a.${EXTENSION[language]}`, `src/billing/b.${EXTENSION[language]}`];
  test.each(FOUND)("found earlier: %j", async (content) => {
    const files: ChangedFile[] = paths.map((path) => ({ path, status: "added", content }));
    check(await review({ files, pr: { title: "fuzz", body: "", commitMessages: [] }, config }), files);
  });
  test("no exception escapes, no rule fails or overruns, findings lie inside their files", async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(source(language), source(language)), async ([a, b]) => {
        const files: ChangedFile[] = [
          { path: paths[0], status: "added", content: a },
          { path: paths[1], status: "added", content: b },
        ];
        check(await review({ files, pr: { title: "fuzz", body: "", commitMessages: [] }, config }), files);
      }),
      { numRuns: Number(process.env.AI_GAPS_FUZZ_RUNS ?? 40), seed: process.env.AI_GAPS_FUZZ_SEED ? Number(process.env.AI_GAPS_FUZZ_SEED) : undefined },
    );
  }, 300_000);
});
