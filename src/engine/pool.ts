// Reviews run in worker threads, so the webhook server keeps answering while the rules work, and a review
// that will not stop (a rule stuck in one regex, a heap over limits.memory_mb) is ended by terminating its
// thread, not the process. A thread whose tree-sitter (WASM) memory a review grew past half of limits.memory_mb
// is replaced after the review, since WASM memory is never given back. The engine's own budgets stop most
// overruns from inside; this is the backstop.
//
// The worker tells the pool each step as it starts. When a step outlives its budget (plus a grace), or the
// worker dies (out of memory, crash), the pool blames that step, terminates the worker, and runs the review
// again in a fresh one with the step skipped, up to MAX_RESTARTS times; past the review's budget it returns
// a result in which every file is not analysed. AI_GAPS_ENGINE_WORKERS=0 runs reviews in-process instead.
import { Worker } from "node:worker_threads";
import type { EngineInput } from "./index.js";
import type { Rule } from "./rule.js";
import type { CoverageGap, EngineResult } from "./types.js";
import type { FromWorker, ToWorker } from "./worker.js";

/** The engine itself, loaded only where a review runs in this thread (the rules load the TypeScript compiler). */
const engine = () => import("./index.js");

export type PoolInput = Omit<EngineInput, "rules" | "onStep" | "skip" | "timeLeftMs"> & {
  /** URL of a module whose `rules` export replaces the bundled rules (tests, local rule development). */
  rulesModule?: string;
};

const MAX_RESTARTS = 3;

export interface PoolOptions {
  /** Worker threads at most (reviews beyond wait); 0 runs reviews in-process. */
  size?: number;
  /** Extra time past a budget before the worker is terminated, in milliseconds (default: half the file budget, at least 1 s). */
  graceMs?: number;
}

interface Slot {
  worker: Worker;
  memoryMb: number;
}

/** `keep`: the thread may serve another review (false once its WASM memory has grown past half the ceiling). */
type Outcome = { kind: "done"; result: EngineResult; keep: boolean } | { kind: "stopped"; gap: CoverageGap; review: boolean };

export class EnginePool {
  readonly size: number;
  readonly #graceMs: number | undefined;
  readonly #idle: Slot[] = [];
  readonly #waiting: (() => void)[] = [];
  #busy = 0;
  #nextId = 1;
  #closed = false;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(0, options.size ?? 2);
    this.#graceMs = options.graceMs;
  }

  /** Threads alive now (idle and busy). */
  get threads(): number {
    return this.#idle.length + this.#busy;
  }

  async review(input: PoolInput): Promise<EngineResult> {
    if (this.size === 0) {
      const { rulesModule, ...rest } = input;
      const { review } = await engine();
      return review({ ...rest, rules: rulesModule ? ((await import(rulesModule)) as { rules: Rule<any>[] }).rules : undefined });
    }
    const { limits } = input.config;
    const started = performance.now();
    const skip: CoverageGap[] = [];
    for (let attempt = 0; ; attempt++) {
      const timeLeftMs = limits.review_seconds * 1000 - (performance.now() - started);
      const outcome = await this.#attempt({ ...input, skip: [...skip], timeLeftMs });
      if (outcome.kind === "done") return outcome.result;
      if (outcome.review || !outcome.gap.path || attempt >= MAX_RESTARTS) {
        const why = outcome.review || !outcome.gap.path ? outcome.gap.reason : `${outcome.gap.reason}; ${MAX_RESTARTS} restarts used`;
        return (await engine()).stoppedReview(input, outcome.gap.path ? [...skip, outcome.gap] : skip, `not run: ${why}`);
      }
      skip.push(outcome.gap);
    }
  }

  /** Terminates every thread; reviews still running end as stopped. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#idle.splice(0).map((s) => s.worker.terminate()));
  }

  async #attempt(input: Omit<PoolInput, "skip"> & Pick<EngineInput, "skip" | "timeLeftMs">): Promise<Outcome> {
    const slot = await this.#acquire(input.config.limits.memory_mb);
    let healthy = false;
    try {
      const outcome = await this.#run(slot, input);
      healthy = outcome.kind === "done" && outcome.keep;
      return outcome;
    } finally {
      this.#release(slot, healthy);
    }
  }

  #run(slot: Slot, { rulesModule, ...input }: Omit<PoolInput, "skip"> & Pick<EngineInput, "skip" | "timeLeftMs">): Promise<Outcome> {
    const { limits } = input.config;
    const fileMs = limits.file_seconds * 1000;
    const grace = this.#graceMs ?? Math.max(1000, fileMs / 2);
    const id = this.#nextId++;
    const { worker } = slot;
    return new Promise<Outcome>((resolve) => {
      let step: { ruleId?: string; path: string } = { path: "" };
      let stepTimer: NodeJS.Timeout | undefined;
      const stop = (gap: CoverageGap, wholeReview: boolean) => finish({ kind: "stopped", gap, review: wholeReview }, true);
      const finish = (outcome: Outcome, kill = false) => {
        clearTimeout(stepTimer);
        clearTimeout(reviewTimer);
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        if (kill) void worker.terminate();
        resolve(outcome);
      };
      const blame = (reason: string): CoverageGap => (step.ruleId ? { path: step.path, ruleId: step.ruleId, reason } : { path: step.path, reason });
      const onMessage = (m: FromWorker) => {
        if (m.id !== id) return;
        if (m.type === "done") return finish({ kind: "done", result: m.result, keep: !m.broken && m.wasmMb <= limits.memory_mb / 2 });
        if (m.type === "error") return stop({ path: "", reason: `the engine failed: ${m.message.split("\n")[0]}` }, true);
        step = { ruleId: m.ruleId, path: m.path };
        clearTimeout(stepTimer);
        // A step on a file may use the file's whole budget; a PR-wide step is bounded by the review's alone.
        if (m.path) {
          stepTimer = setTimeout(
            () => stop(blame(`${m.ruleId ? "stopped" : "parsing stopped"}: still running ${((fileMs + grace) / 1000).toFixed(1)} s after it started (limits.file_seconds)`), false),
            fileMs + grace,
          );
        }
      };
      const onError = (error: Error & { code?: string }) => {
        const reason =
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `stopped: the review went over its memory ceiling (limits.memory_mb: ${limits.memory_mb} MB) here`
            : `stopped: the engine's thread crashed here (${error.message.split("\n")[0]})`;
        stop(blame(reason), false);
      };
      const onExit = (code: number) => stop(blame(`stopped: the engine's thread exited (code ${code}) here`), false);
      const reviewTimer = setTimeout(
        () => stop({ path: "", reason: `the review's ${limits.review_seconds} s (limits.review_seconds) ran out and its thread was stopped` }, true),
        Math.max(0, input.timeLeftMs ?? limits.review_seconds * 1000) + grace,
      );
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.postMessage({ id, input, rulesModule } satisfies ToWorker);
    });
  }

  async #acquire(memoryMb: number): Promise<Slot> {
    if (this.#closed) throw new Error("the engine pool is closed");
    while (this.#busy >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#busy++;
    const i = this.#idle.findIndex((s) => s.memoryMb === memoryMb);
    const slot = i >= 0 ? this.#idle.splice(i, 1)[0] : this.#spawn(memoryMb);
    if (i < 0 && this.#idle.length + this.#busy > this.size) void this.#idle.shift()?.worker.terminate();
    slot.worker.ref();
    return slot;
  }

  #spawn(memoryMb: number): Slot {
    const slot = spawn(memoryMb);
    // An idle thread that fails or exits leaves the pool (and never takes the process down with it).
    slot.worker.on("error", () => {});
    slot.worker.on("exit", () => {
      const k = this.#idle.indexOf(slot);
      if (k >= 0) this.#idle.splice(k, 1);
    });
    return slot;
  }

  #release(slot: Slot, healthy: boolean): void {
    this.#busy--;
    if (healthy && !this.#closed) {
      slot.worker.unref();
      this.#idle.push(slot);
    } else void slot.worker.terminate();
    this.#waiting.shift()?.();
  }
}

/** A worker running src/engine/worker: compiled JavaScript as is, TypeScript sources (tests, tsx) through tsx. */
function spawn(memoryMb: number): Slot {
  const compiled = import.meta.url.endsWith(".js");
  const entry = new URL(compiled ? "./worker.js" : "./worker.ts", import.meta.url);
  // The JS heap is capped by V8; tree-sitter's WASM memory by the worker itself (src/engine/memory.ts).
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb };
  if (compiled) return { worker: new Worker(entry, { resourceLimits, workerData: { memoryMb } }), memoryMb };
  return { worker: new Worker(new URL("./worker-tsx.mjs", import.meta.url), { workerData: { entry: entry.href, memoryMb }, resourceLimits }), memoryMb };
}

let shared: EnginePool | undefined;
let holders = 0;

/** The process's pool; AI_GAPS_ENGINE_WORKERS sets its size when it is first made (default 2, 0 = in-process). */
export function enginePool(env: Record<string, string | undefined> = process.env): EnginePool {
  const size = env.AI_GAPS_ENGINE_WORKERS === undefined ? undefined : Number(env.AI_GAPS_ENGINE_WORKERS);
  shared ??= new EnginePool({ size: Number.isInteger(size) ? size : undefined });
  return shared;
}

/** A server (or CLI run) holds the shared pool while it runs; the last one to let go closes its threads. */
export function holdEnginePool(env?: Record<string, string | undefined>): () => Promise<void> {
  const pool = enginePool(env);
  holders++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--holders > 0 || shared !== pool) return;
    shared = undefined;
    await pool.close();
  };
}
