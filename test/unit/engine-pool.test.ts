// The engine off the server's thread: reviews run in worker threads, and a review that will not stop is
// ended by terminating its thread (the process and the pool go on).
import { defaultConfig, type Config } from "../../src/config/schema.js";
import { EnginePool } from "../../src/engine/pool.js";
import type { ChangedFile } from "../../src/engine/types.js";
import { generate } from "../support/shapes.js";

const RULES = new URL("../fixtures/runaway-rules.ts", import.meta.url).href;
const pr = { title: "", body: "", commitMessages: [] };
const added = (path: string, content = "export const a = 1;\n"): ChangedFile => ({ path, status: "added", content });
const seen = (findings: { ruleId: string; path: string }[]) => findings.map((f) => `${f.ruleId}@${f.path}`).sort();

function config(limits: Partial<Config["limits"]> = {}): Config {
  const c = defaultConfig();
  c.review.filter = "file";
  Object.assign(c.limits, { file_seconds: 1, ...limits });
  return c;
}

let pool: EnginePool;
beforeAll(() => {
  pool = new EnginePool({ size: 1, graceMs: 500 });
}, 120_000);
afterAll(() => pool.close());


test("the bundled rules run in a worker thread", async () => {
  const handler = "export function h(req, res) {\n  console.log('order ' + req.params.id);\n}\n";
  const result = await pool.review({ files: [added("src/h.ts", handler)], pr, config: config() });
  expect(seen(result.findings)).toEqual(["unstructured-logging@src/h.ts"]);
  expect(pool.threads).toBe(1);
}, 120_000);

test("a rule stuck in one regex is stopped by ending its thread; the review goes on without that step", async () => {
  const files = [added("src/stuck.ts"), added("src/fine.ts")];
  const result = await pool.review({ files, pr, config: config(), rulesModule: RULES });
  expect(result.coverage).toEqual([
    { path: "src/stuck.ts", ruleId: "spinner", reason: "stopped: still running 1.5 s after it started (limits.file_seconds)" },
  ]);
  expect(seen(result.findings)).toEqual(["hog@src/fine.ts", "hog@src/stuck.ts", "not-analysed@src/stuck.ts", "probe@src/fine.ts", "probe@src/stuck.ts", "spinner@src/fine.ts"]);
  // The pool replaced the thread and keeps working.
  const again = await pool.review({ files: [added("src/fine.ts")], pr, config: config(), rulesModule: RULES });
  expect(again.coverage).toEqual([]);
}, 120_000);

test("a file that takes the heap over limits.memory_mb is not analysed; the other files are", async () => {
  const files = [added("src/hog.ts"), added("src/fine.ts")];
  const result = await pool.review({ files, pr, config: config({ memory_mb: 256, file_seconds: 60 }), rulesModule: RULES });
  expect(result.coverage).toEqual([
    { path: "src/hog.ts", ruleId: "hog", reason: "stopped: the review went over its memory ceiling (limits.memory_mb: 256 MB) here" },
  ]);
  expect(seen(result.findings)).toContain("probe@src/fine.ts");
  expect(seen(result.findings)).toContain("not-analysed@src/hog.ts");
}, 120_000);

test("a file whose parse takes tree-sitter's WASM memory over limits.memory_mb is not analysed; the thread is replaced", async () => {
  // Five megabytes of small Python functions: tree-sitter's tree for it needs about 200 MB of WASM memory.
  const files = [added("src/big.py", generate("python", "small-functions", 5_000_000)), added("src/fine.ts")];
  const limits = { memory_mb: 128, file_seconds: 60, max_file_bytes: 10_000_000, skip_generated: false };
  const result = await pool.review({ files, pr, config: config(limits), rulesModule: RULES });
  expect(result.coverage).toEqual([
    { path: "src/big.py", reason: expect.stringMatching(/^could not be parsed: tree-sitter's memory grew to \d+ MB, over the ceiling \(limits\.memory_mb: 128 MB\) while parsing it$/) },
  ]);
  expect(seen(result.findings)).toEqual(["hog@src/fine.ts", "not-analysed@src/big.py", "probe@src/fine.ts", "spinner@src/fine.ts"]);
  // Its WASM memory never shrinks, so the thread is not kept; the next review gets a fresh one.
  expect(pool.threads).toBe(0);
  const again = await pool.review({ files: [added("src/fine.py", "def f():\n    return 1\n")], pr, config: config(limits), rulesModule: RULES });
  expect(again.coverage).toEqual([]);
  expect(pool.threads).toBe(1);
}, 120_000);

test("a review past limits.review_seconds is stopped: every file is not analysed, and the gate holds", async () => {
  const files = [added("src/a.ts"), added("src/b.ts")];
  const started = performance.now();
  const result = await pool.review({ files, pr: { ...pr, title: "endless" }, config: config({ review_seconds: 1 }), rulesModule: RULES });
  expect(performance.now() - started).toBeLessThan(30_000);
  expect(result.coverage).toEqual([
    { path: "src/a.ts", reason: "not run: the review's 1 s (limits.review_seconds) ran out and its thread was stopped" },
    { path: "src/b.ts", reason: "not run: the review's 1 s (limits.review_seconds) ran out and its thread was stopped" },
  ]);
  expect(seen(result.findings)).toEqual(["not-analysed@src/a.ts", "not-analysed@src/b.ts"]);
  expect(result.findings.every((f) => f.severity === "failure")).toBe(true);
}, 120_000);

test("AI_GAPS_ENGINE_WORKERS=0 reviews in-process", async () => {
  const inProcess = new EnginePool({ size: 0 });
  const result = await inProcess.review({ files: [added("src/fine.ts")], pr, config: config(), rulesModule: RULES });
  expect(seen(result.findings)).toEqual(["hog@src/fine.ts", "probe@src/fine.ts", "spinner@src/fine.ts"]);
  expect(inProcess.threads).toBe(0);
}, 120_000);
