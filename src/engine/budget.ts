// Time budgets for the rules: the engine sets a deadline around each rule's work on a file, and the shared
// walks (descendant lists, tree-sitter queries) check it, so a rule over its budget stops at its next walk.
// A rule that never walks again (stuck in one regex) is stopped from outside: the worker is terminated.
// The same checks stop a step that grows tree-sitter's WASM memory past limits.memory_mb.
import { wasmMemoryMb } from "./memory.js";

/** Thrown at a walk once the current deadline has passed. */
export class BudgetExceeded extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "BudgetExceeded";
  }
}

let deadline = Number.POSITIVE_INFINITY;
let reason = "";
let ceilingMb = Number.POSITIVE_INFINITY;
/** The WASM memory's size when the running step started: a step is blamed only for memory it grew. */
let memoryAtStart = 0;

/** Throws BudgetExceeded when the running step is past its deadline or its memory ceiling. Cheap: call it from any walk. */
export function checkBudget(): void {
  if (deadline !== Number.POSITIVE_INFINITY && performance.now() > deadline) throw new BudgetExceeded(reason);
  const why = memoryOver();
  if (why) throw new BudgetExceeded(`stopped: ${why}`);
}

/** Sets the memory ceiling (limits.memory_mb) for the steps that follow. */
export function setMemoryCeiling(mb: number): void {
  ceilingMb = mb;
}

/** Why the running step must stop for memory: it grew tree-sitter's WASM memory past the ceiling; else undefined. */
export function memoryOver(): string | undefined {
  const mb = wasmMemoryMb();
  if (mb <= ceilingMb || mb <= memoryAtStart) return undefined;
  return `tree-sitter's memory grew to ${Math.round(mb)} MB, over the ceiling (limits.memory_mb: ${ceilingMb} MB)`;
}

/** Marks the start of a step (a file's parse, a rule on a file) for memoryOver. */
export function startStep(): void {
  memoryAtStart = wasmMemoryMb();
}

/** Runs fn with a deadline (performance.now() milliseconds); nested calls keep the earlier deadline. */
export function withDeadline<T>(at: number, why: string, fn: () => T): T {
  const outer = { deadline, reason };
  if (at < deadline) {
    deadline = at;
    reason = why;
  }
  const outerMemory = memoryAtStart;
  startStep();
  try {
    checkBudget();
    return fn();
  } finally {
    memoryAtStart = outerMemory;
    deadline = outer.deadline;
    reason = outer.reason;
  }
}
