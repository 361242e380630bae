// Engine time and memory per file size, for hostile or unusual file shapes (one long string, one long line,
// a huge literal table, deep nesting, many small functions, a minified bundle) in each language.
// Each review runs in its own child process (clean peak RSS, and a run over BENCH_TIMEOUT_S is killed).
// "x prev" is the time ratio against the previous size: a straight (linear) curve follows the size ratio.
//
//   npm run bench:shapes
//   BENCH_SIZES_KB=10,50,100 BENCH_SHAPES=long-string BENCH_LANGUAGES=typescript npm run bench:shapes
//   BENCH_BUDGETS=1 npm run bench:shapes   (the default time budgets and generated-content skips on)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundledDefaults } from "../src/config/files.js";
import { review } from "../src/engine/index.js";
import type { Language } from "../src/engine/types.js";
import { generate, LANGUAGES, SHAPES, shapePath, type Shape } from "../test/support/shapes.js";

const list = (value: string | undefined, fallback: string[]) => (value ? value.split(",").map((s) => s.trim()) : fallback);
const SIZES_KB = list(process.env.BENCH_SIZES_KB, ["10", "25", "50", "100", "250", "500"]).map(Number);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 120);

interface Measure {
  seconds: number;
  peakRssMb: number;
  startRssMb: number;
  findings: number;
  notAnalysed: string[];
}

/** Child: one review of one generated file; prints a JSON line. */
async function measureOne(language: Language, shape: Shape, bytes: number): Promise<void> {
  const config = bundledDefaults();
  config.review.filter = "file";
  config.limits.max_file_bytes = 10_000_000;
  if (!process.env.BENCH_BUDGETS) unlimited(config);
  const content = generate(language, shape, bytes);
  const files = [{ path: shapePath(language, shape), status: "added" as const, content }];
  const pr = { title: "", body: "", commitMessages: [] };
  await review({ files, pr, config: bundledDefaults() }); // warm-up: grammars and module code
  const startRssMb = process.memoryUsage.rss() / 2 ** 20;
  const start = process.hrtime.bigint();
  const result = await review({ files, pr, config });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const notAnalysed = [
    ...result.skipped.map((s) => `skipped: ${s.reason}`),
    ...result.coverage.map((g) => `${g.ruleId ?? "all rules"}: ${g.reason.slice(0, 80)}`),
  ];
  const measure: Measure = { seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, startRssMb, findings: result.findings.length, notAnalysed };
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

/** Turns off whatever would stop or skip the rules, so the bench times the rules themselves. */
function unlimited(config: ReturnType<typeof bundledDefaults>): void {
  const limits = config.limits as Record<string, unknown>;
  for (const key of ["file_seconds", "review_seconds"]) if (key in limits) limits[key] = 100_000;
  if ("skip_generated" in limits) limits.skip_generated = false;
}

function runChild(language: Language, shape: Shape, bytes: number): Measure | "timeout" | string {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, "--one", language, shape, String(bytes)], {
    encoding: "utf8",
    timeout: TIMEOUT_S * 1000,
    maxBuffer: 10 * 2 ** 20,
  });
  if (child.error && (child.error as NodeJS.ErrnoException).code === "ETIMEDOUT") return "timeout";
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status !== 0 || !line.startsWith("{")) return `failed (${child.status ?? child.signal}): ${child.stderr.trim().split("\n").pop()}`;
  return JSON.parse(line) as Measure;
}

async function main(): Promise<void> {
  const languages = list(process.env.BENCH_LANGUAGES, LANGUAGES) as Language[];
  const shapes = list(process.env.BENCH_SHAPES, [...SHAPES]) as Shape[];
  process.stdout.write(
    `ai-gaps engine by file shape and size (node ${process.version}, timeout ${TIMEOUT_S} s per run, budgets ${process.env.BENCH_BUDGETS ? "on" : "off"})\n`,
  );
  process.stdout.write("language    shape            size KB   seconds   x prev (size x)   peak RSS MB  (+ over start)  findings  not analysed\n");
  for (const language of languages) {
    for (const shape of shapes) {
      let previous: { kb: number; seconds: number } | undefined;
      let stopped = false;
      for (const kb of SIZES_KB) {
        const head = `${language.padEnd(11)} ${shape.padEnd(16)} ${String(kb).padStart(7)}`;
        if (stopped) {
          process.stdout.write(`${head}   not run (a smaller size timed out)\n`);
          continue;
        }
        const m = runChild(language, shape, kb * 1000);
        if (typeof m === "string") {
          process.stdout.write(`${head}   ${m === "timeout" ? `> ${TIMEOUT_S} s (killed)` : m}\n`);
          stopped = m === "timeout";
          continue;
        }
        const growth = previous ? `${(m.seconds / Math.max(previous.seconds, 1e-6)).toFixed(1)} (${(kb / previous.kb).toFixed(1)})` : "-";
        process.stdout.write(
          `${head} ${m.seconds.toFixed(3).padStart(9)}   ${growth.padEnd(15)} ${m.peakRssMb.toFixed(0).padStart(11)}  (+${(m.peakRssMb - m.startRssMb).toFixed(0)})`.padEnd(104) +
            `${String(m.findings).padStart(8)}  ${[...new Set(m.notAnalysed)].join("; ").slice(0, 120)}\n`,
        );
        previous = { kb, seconds: m.seconds };
      }
    }
  }
}

const args = process.argv.slice(2);
if (args[0] === "--one") await measureOne(args[1] as Language, args[2] as Shape, Number(args[3]));
else await main();
