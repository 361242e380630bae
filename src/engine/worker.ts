// Worker-thread entry: runs reviews sent by the pool (src/engine/pool.ts) and reports each step as it starts,
// so the pool knows which rule on which file to blame when it has to stop this thread.
import { parentPort, workerData } from "node:worker_threads";
import { review, type EngineInput } from "./index.js";
import { capWasmMemory, wasmMemoryMb } from "./memory.js";
import type { Rule } from "./rule.js";
import type { EngineResult } from "./types.js";

export type ToWorker = { id: number; input: Omit<EngineInput, "rules" | "onStep">; rulesModule?: string };
export type FromWorker =
  | { id: number; type: "step"; ruleId?: string; path: string }
  /** `wasmMb`: tree-sitter's WASM memory after the review (it never shrinks; the pool replaces a worker it has grown in). */
  | { id: number; type: "done"; result: EngineResult; wasmMb: number; broken: boolean }
  | { id: number; type: "error"; message: string };

const port = parentPort;
if (!port) throw new Error("src/engine/worker.ts runs as a worker thread (see src/engine/pool.ts)");
if (typeof workerData?.memoryMb === "number") capWasmMemory(workerData.memoryMb);

/** tree-sitter's module stops working after an allocation past its cap ("Aborted(...)"): this thread is done. */
const broken = (result: EngineResult) => result.coverage.some((g) => g.reason.includes("Aborted("));

port.on("message", ({ id, input, rulesModule }: ToWorker) => {
  const send = (message: FromWorker) => port.postMessage(message);
  const rules = rulesModule ? import(rulesModule).then((m: { rules: Rule<any>[] }) => m.rules) : Promise.resolve(undefined);
  rules.then((list) => review({ ...input, rules: list, onStep: (step) => send({ id, type: "step", ...step }) })).then(
    (result) => send({ id, type: "done", result, wasmMb: wasmMemoryMb(), broken: broken(result) }),
    (error: unknown) => send({ id, type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
