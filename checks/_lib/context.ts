// What a file is: service code, a test, a script (CLI, seed, migration, build script) or browser code. Decided from
// what the code does, with the path only as a first guess; and which lines are test code inside a service file
// (`#[cfg(test)]` modules, `#[tokio::test]` functions, pytest functions, `describe`/`it` blocks). One model for
// every rule and language: rules with `meta.scope: "service"` see only service files, and never test lines.
import { posix } from "node:path";
import { Node, SyntaxKind, type SourceFile } from "ts-morph";
import type { Node as TNode } from "web-tree-sitter";
import type { ParsedFile, Report, Rule, RuleContext } from "../../src/engine/rule.js";
import { SCRIPT_PATH, TEST_PATH } from "../../src/engine/languages.js";
import type { Language } from "../../src/engine/types.js";
import { tidyMessage } from "./message.js";
import { descendants } from "./tree.js";
import { compactText } from "./ts.js";

export type CodeKind = "service" | "test" | "script" | "browser";

// ---------- what the code does ----------

const TS_SERVES =
  /\b(express|fastify|Fastify|koa|Koa|Hono|NestFactory|createServer|http\.Server)\s*\(|\bnew\s+(Hono|Koa|ApolloServer|Elysia)\b|\.listen\s*\(|@(Controller|Resolver|Injectable|Module)\s*\(|\bexport\s+(const|async\s+function|function)\s+(handler|main|lambdaHandler)\b|\b(APIGatewayProxy\w*|ScheduledEvent|SQSEvent|Handler<|NextRequest|NextApiRequest)\b|\b(router|app)\.(get|post|put|patch|delete|use|route)\s*\(/;
const TS_SCRIPT =
  /^#!|\bprocess\.argv\b|from\s+["'](node:)?readline(\/promises)?["']|require\(\s*["'](node:)?readline["']\)|from\s+["'](commander|yargs|yargs\/helpers|@oclif\/core|meow|cac|citty|inquirer|@clack\/prompts|prompts)["']|require\.main\s*===?\s*module|import\.meta\.main\b/m;
/** Front-end source folders: code there runs in the browser unless it serves or uses Node's own modules. */
const BROWSER_PATH = /(^|\/)(frontend|static|public|webapp|web-app)\/(.+\/)?src\//;
const TS_BROWSER = /\b(window|document|localStorage|sessionStorage|navigator)\.\w|\bimport\.meta\.env\b|from\s+["']@\/|\.vue["']/;

const PY_SERVES =
  /\b(FastAPI|APIRouter|Flask|Blueprint|Sanic|Starlette|Quart)\s*\(|@\w+(\.\w+)*\.(get|post|put|patch|delete|route|api_route|websocket|middleware|task|on_event)\s*\(|\bdef\s+(lambda_handler|handler)\s*\(\s*event\b|\bfrom\s+(django\.(http|views|shortcuts)|rest_framework|celery|aiohttp\s+import\s+web)\b|\bweb\.Application\s*\(/;
const PY_SCRIPT =
  /^\s*(import|from)\s+(argparse|click|typer|fire|docopt)\b|^\s*from\s+alembic\s+import\s+op\b|\bBaseCommand\b|\bsys\.argv\b|(^|[^.\w])input\s*\(|^#!.*\bpython|^(asyncio\.run|\w+\.run_until_complete)\s*\(/m;

const RS_SERVES =
  /\b(HttpServer::new|axum::serve|Router::new|Server::bind|Server::builder|warp::serve|rocket::build|tonic::transport::Server|App::new|lambda_runtime::run|run\(service_fn)|#\[(actix_web::)?(get|post|put|patch|delete|route)\s*\(|\bservice_fn\s*\(|\bimpl\s+(tower::)?Service<|\bimpl<[^>]*>\s+(tower::)?Service<|\bFromRequest(Parts)?\b|\bHandler\b/;
const RS_SCRIPT = /^\s*use\s+(clap|structopt|argh|dialoguer)\b|#\[derive\([^)]*\bParser\b|\bstd::env::args\(\)|(^|\/)build\.rs$/m;

// ---------- files a package.json script runs ----------

/** Scripts that start the long-lived service itself (`start`, `dev`, `start:prod`, `worker`): their files stay service code. */
const SERVICE_SCRIPT = /^(start|dev|develop|serve|server|watch|worker|prod|production|preview|debug)(:|$)/;
/** Runners whose first file argument is the file they run. */
const RUNNER = /^(node|nodemon|tsx|ts-node|ts-node-esm|ts-node-dev|babel-node|esno|esr|vite-node|jiti|bun|deno|python3?|pipenv|poetry|uv)$/;
/** Options whose next word is a module to preload, not the file run. */
const PRELOAD = /^(-r|--require|--import|--loader|--experimental-loader|-e|--eval|-p|--print|--env-file|--tsconfig|-P|--project)$/;
const SOURCE_FILE = /^[\w@.\-/]+\.(m|c)?(j|t)sx?$|^[\w@.\-/]+\.py$/;

/** The files one script command runs: `tsx scripts/seed.ts`, `node tools/migrate.js`, `npx ts-node src/cli.ts`, `python manage/seed.py`. */
function scriptFiles(command: string): string[] {
  const out: string[] = [];
  for (const part of command.split(/&&|\|\||[;|]/)) {
    const words = part.trim().split(/\s+/).filter((w) => !/^\w+=/.test(w));
    while (/^(npx|pnpx|exec|dotenv|cross-env|env|run|pnpm|yarn|npm)$/.test(words[0] ?? "") || words[0] === "--") words.shift();
    if (!RUNNER.test(words[0] ?? "")) continue;
    for (let i = 1; i < words.length; i++) {
      const w = words[i].replace(/^["']|["']$/g, "");
      if (PRELOAD.test(w)) i++;
      else if (w.startsWith("-") || /^(run|watch|exec|--)$/.test(w)) continue;
      else if (SOURCE_FILE.test(w)) {
        out.push(w);
        break;
      } else break;
    }
  }
  return out;
}

/** The source a built file comes from too: `dist/scripts/seed.js` is also `src/scripts/seed.ts`. */
function sourcesOf(path: string): string[] {
  const out = [path];
  if (/\.[cm]?js$/.test(path)) out.push(path.replace(/\.([cm]?)js$/, ".$1ts"));
  const built = /^(dist|build|out|lib)\//.exec(path);
  if (built) for (const p of [...out]) out.push(p.replace(built[0], "src/"), p.slice(built[0].length));
  return out;
}

/**
 * Repository files a package.json `scripts` entry runs (`"seed": "tsx scripts/seed.ts"`), with the script's name,
 * from the manifests the review already has. Scripts that start the service (`start`, `dev`, `worker`) are left out.
 */
export function scriptTargets(manifests: { path: string; content: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of manifests) {
    let scripts: unknown;
    try {
      scripts = (JSON.parse(m.content) as { scripts?: unknown }).scripts;
    } catch {
      continue;
    }
    if (!scripts || typeof scripts !== "object") continue;
    const dir = posix.dirname(m.path);
    for (const [name, command] of Object.entries(scripts as Record<string, unknown>)) {
      if (typeof command !== "string" || SERVICE_SCRIPT.test(name)) continue;
      for (const file of scriptFiles(command)) {
        for (const p of sourcesOf(posix.normalize(file))) out.set(dir === "." ? p : posix.join(dir, p), name);
      }
    }
  }
  return out;
}

function tsKind(file: ParsedFile): CodeKind {
  const sf = file.ts!;
  if (/\.(tsx|jsx)$/.test(file.path) || /^\s*["']use client["']/.test(file.text)) return "browser";
  if (sf.getImportDeclarations().some((d) => /^(react|react-dom|vue|vue-router|vuex|pinia|svelte|@angular\/core|axios-mock-adapter)$/.test(d.getModuleSpecifierValue()))) return "browser";
  const serves = TS_SERVES.test(file.text);
  const nodeOnly = /from\s+["'](node:)?(fs|http|https|child_process|path)["']|require\(\s*["'](node:)?(fs|http|https|child_process|path)["']\)/.test(file.text);
  if (!serves && !nodeOnly && (TS_BROWSER.test(file.text) || BROWSER_PATH.test(file.path))) return "browser";
  if (serves) return "service";
  if (file.runBy || SCRIPT_PATH.test(file.path) || TS_SCRIPT.test(file.text) || tsIsEntryScript(sf)) return "script";
  return "service";
}

/** A module that exports nothing and does its work at the top level is run, not imported: a script. */
function tsIsEntryScript(sf: SourceFile): boolean {
  if (/^\s*export\s|\bmodule\.exports\b|\bexports\.\w+\s*=/m.test(sf.getFullText())) return false;
  return sf.getStatements().some((s) => Node.isExpressionStatement(s) && Node.isCallExpression(s.getExpression()) || Node.isExpressionStatement(s) && Node.isAwaitExpression(s.getExpression()));
}

function treeKind(file: ParsedFile, serves: RegExp, script: RegExp): CodeKind {
  if (serves.test(file.text)) return "service";
  return file.runBy || SCRIPT_PATH.test(file.path) || script.test(file.text) || script.test(file.path) ? "script" : "service";
}

const kinds = new WeakMap<ParsedFile, CodeKind>();

export function codeKind(file: ParsedFile): CodeKind {
  let kind = kinds.get(file);
  if (!kind) {
    if (TEST_PATH.test(file.path)) kind = "test";
    else if (file.language === "typescript") kind = file.ts ? tsKind(file) : "service";
    else if (file.language === "python") kind = treeKind(file, PY_SERVES, PY_SCRIPT);
    else kind = treeKind(file, RS_SERVES, RS_SCRIPT);
    kinds.set(file, kind);
  }
  return kind;
}

/** Code that runs in a long-lived service (request handlers, workers, Lambdas), not a test, script or browser. */
export function isServiceFile(file: ParsedFile): boolean {
  return codeKind(file) === "service";
}

// ---------- test code inside a file ----------

const RS_TEST_ATTR = /^#\[(cfg\(\s*test\s*\)|test|(\w+::)*test(\s*\(.*\))?|rstest|test_case\b.*|quickcheck|proptest\b.*)\]$/s;
const TS_TEST_BLOCK = /^(describe|it|test|suite|context|beforeEach|afterEach|beforeAll|afterAll|before|after)(\.(only|skip|each|concurrent|todo)(\(.*\))?)?$/s;

function rsTestRanges(root: TNode): [number, number][] {
  const out: [number, number][] = [];
  for (const item of descendants(root, ["mod_item", "function_item", "impl_item"])) {
    for (let a = item.previousNamedSibling; a && a.type === "attribute_item"; a = a.previousNamedSibling) {
      if (RS_TEST_ATTR.test(a.text.replace(/\s+/g, " ").trim())) {
        out.push([a.startPosition.row + 1, item.endPosition.row + 1]);
        break;
      }
    }
  }
  return out;
}

function pyTestRanges(root: TNode): [number, number][] {
  const out: [number, number][] = [];
  for (const def of descendants(root, ["function_definition", "class_definition"])) {
    const name = def.childForFieldName("name")?.text ?? "";
    const decorated = def.parent?.type === "decorated_definition" ? def.parent : undefined;
    const fixture = /@pytest\.fixture\b/.test(decorated?.text.slice(0, decorated.text.indexOf(def.type === "class_definition" ? "class " : "def ")) ?? "");
    if ((def.type === "function_definition" && /^test_/.test(name)) || (def.type === "class_definition" && /^Test[A-Z_]/.test(name)) || fixture) {
      out.push([(decorated ?? def).startPosition.row + 1, def.endPosition.row + 1]);
    }
  }
  return out;
}

function tsTestRanges(sf: SourceFile): [number, number][] {
  const out: [number, number][] = [];
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = compactText(call.getExpression());
    if (!TS_TEST_BLOCK.test(callee)) continue;
    const fn = call.getArguments().find((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a));
    if (fn) out.push([call.getStartLineNumber(), call.getEndLineNumber()]);
  }
  return out;
}

const ranges = new WeakMap<ParsedFile, [number, number][]>();

function testRanges(file: ParsedFile): [number, number][] {
  let found = ranges.get(file);
  if (!found) {
    found = file.ts ? tsTestRanges(file.ts) : file.tree ? (file.language === "rust" ? rsTestRanges : pyTestRanges)(file.tree.rootNode) : [];
    ranges.set(file, found);
  }
  return found;
}

/** True when the line is test code: a test file, or a test module/function/block inside the file. */
export function inTestCode(file: ParsedFile, line: number): boolean {
  return codeKind(file) === "test" || testRanges(file).some(([from, to]) => line >= from && line <= to);
}

// ---------- applying it to a rule ----------

/**
 * The rule's detectors, run only on the code its `meta.scope` covers, never reporting on test lines (unless "all"),
 * with every message tidied (checks/_lib/message.ts).
 */
export function withCodeScope<F>(rule: Rule<F>): Rule<F> {
  const scope = rule.meta.scope ?? "code";
  const tidy = (reports: Report[]) => reports.map((r) => ({ ...r, message: tidyMessage(r.message) }));
  const detect: NonNullable<Rule<F>["detect"]> = {};
  for (const [language, fn] of Object.entries(rule.detect ?? {}) as [Language, NonNullable<Rule<F>["detect"]>[Language]][]) {
    detect[language] = (file, ctx) => {
      if (scope === "all") return tidy(fn!(file, ctx));
      if (scope === "service" ? !isServiceFile(file) : codeKind(file) === "test") return [];
      return tidy(fn!(file, ctx).filter((r) => (r.path && r.path !== file.path) || !inTestCode(file, r.line)));
    };
  }
  const detectPr = rule.detectPr;
  return { ...rule, ...(rule.detect ? { detect } : {}), ...(detectPr ? { detectPr: (ctx: RuleContext<F>) => tidy(detectPr(ctx)) } : {}) };
}
