// Time budgets for the rules: the engine sets a deadline around each rule's work on a file, and the shared
// walks (descendant lists, tree-sitter queries) check it, so a rule over its budget stops at its next walk.
// A rule that never walks again (stuck in one regex) is stopped from outside: the worker is terminated.

/** Thrown at a walk once the current deadline has passed. */
export class BudgetExceeded extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "BudgetExceeded";
  }
}

let deadline = Number.POSITIVE_INFINITY;
let reason = "";

/** Throws BudgetExceeded when the running step is past its deadline. Cheap: call it from any walk. */
export function checkBudget(): void {
  if (deadline !== Number.POSITIVE_INFINITY && performance.now() > deadline) throw new BudgetExceeded(reason);
}

/** Runs fn with a deadline (performance.now() milliseconds); nested calls keep the earlier deadline. */
export function withDeadline<T>(at: number, why: string, fn: () => T): T {
  const outer = { deadline, reason };
  if (at < deadline) {
    deadline = at;
    reason = why;
  }
  try {
    checkBudget();
    return fn();
  } finally {
    deadline = outer.deadline;
    reason = outer.reason;
  }
}
