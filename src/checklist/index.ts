// The checklist facade: the pull-request job calls prepareChecklist; the edit handlers apply ticks through workflow.ts.
import type { Config } from "../config/schema.js";
import type { EngineResult } from "../engine/types.js";
import { carryOver, shasToCompare } from "./carry.js";
import { renderBody } from "./comment.js";
import { openFailures } from "./dismiss.js";
import { bump, emptyState, MAX_GATE_FINDINGS, readState, withNotes, type ChecklistState, type GateFinding } from "./state.js";
import { buildChecklist, type Checklist, type ChecklistLine } from "./template.js";
import { blockingFindings, shortText, stateItems } from "./workflow.js";

export { CHECKLIST_MARKER, renderBody } from "./comment.js";
export { readState, stateKey, type ChecklistState } from "./state.js";
export { DISMISS_REASONS, dismiss, isOpen, openFailures, reasonLabel, type Dismissal, type DismissReason, type FindingRef } from "./dismiss.js";

export interface Gate {
  conclusion: "success" | "failure" | "neutral";
  /** Why, in one line. */
  reason: string;
}

export interface Progress {
  done: number;
  required: number;
  /** Failure-level findings neither fixed, suppressed nor dismissed. */
  openFailures: number;
}

export interface ChecklistInput {
  template: string;
  result: EngineResult;
  config: Config;
  repo: string;
  pr: number;
  headSha: string;
  /** Signing key for the state block (see stateKey). */
  key: Buffer;
  /** Body of the existing checklist comment, if there is one. */
  existingBody?: string;
  /** Files changed between `base` and the head (compare API); null when the two cannot be compared. */
  compare: (base: string) => Promise<{ files: string[] } | null>;
  /** Told when the existing comment's state block fails verification. */
  onTampered?: (reason: string) => void;
  /** Adds or removes lines after the template is built (the convergence monitor's stop-and-batch item). */
  adjust?: (lines: ChecklistLine[]) => ChecklistLine[];
}

export interface ChecklistOutput {
  checklist: Checklist;
  state: ChecklistState;
  body: string;
  progress: Progress;
  gate: Gate;
}

export async function prepareChecklist(input: ChecklistInput): Promise<ChecklistOutput> {
  const { result, config, repo, pr, headSha } = input;
  const built = buildChecklist(input.template, result.pr.map((c) => c.category), config);
  const lines = input.adjust ? input.adjust(built.lines) : built.lines;
  const checklist: Checklist = { lines, items: lines.flatMap((l) => (l.kind === "item" ? [l.item] : [])) };
  const trusted = trustedState(input);
  let state = trusted;
  const changed = new Map<string, { files: string[] } | null>();
  for (const sha of shasToCompare(state, headSha)) changed.set(sha, await input.compare(sha));
  const ids = new Set(checklist.items.map((i) => i.id));
  state = { ...state, lines: checklist.lines, ticks: only(state.ticks, ids), na: only(state.na, ids) };
  state = carryOver(state, headSha, changed, result);
  const fps = new Set(result.findings.map((f) => f.fingerprint));
  state = {
    ...state,
    head: headSha,
    ...failuresOf(result),
    dismissed: Object.fromEntries(Object.entries(state.dismissed).filter(([fp]) => fps.has(fp))),
  };
  state = dropBlockedTicks(state);
  state = bump(trusted, state);
  const progress = progressOf(state);
  return { checklist, state, body: renderBody(state, input.key), progress, gate: decideGate(progress, config) };
}

function trustedState(input: ChecklistInput): ChecklistState {
  const read = readState(input.existingBody, input.key, input.repo, input.pr);
  if (read.status === "ok") return read.state;
  if (read.status === "invalid") input.onTampered?.(read.reason);
  return emptyState(input.repo, input.pr, input.headSha);
}

function only<T>(record: Record<string, T>, ids: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
}

function failuresOf(result: EngineResult): { failures: GateFinding[]; moreFailures: number } {
  const all = result.findings.filter((f) => f.severity === "failure");
  const failures = all.slice(0, MAX_GATE_FINDINGS).map((f) => ({
    fp: f.fingerprint,
    category: f.category,
    ruleId: f.ruleId,
    path: f.path,
    line: f.line,
    ...(f.outsideDiff ? { outside: true } : {}),
  }));
  return { failures, moreFailures: all.length - failures.length };
}

/** A category item ticked before a failure finding of its category appeared is unticked, with a note. */
function dropBlockedTicks(state: ChecklistState): ChecklistState {
  const notes: string[] = [];
  const ticks = { ...state.ticks };
  for (const item of stateItems(state)) {
    const why = ticks[item.id] && blockingFindings(state, item);
    if (!why) continue;
    notes.push(`Reset tick of “${shortText(item.text)}” (\`${item.id}\`, by @${ticks[item.id].by}): ${why}.`);
    delete ticks[item.id];
  }
  return notes.length ? withNotes({ ...state, ticks }, notes) : state;
}

export function progressOf(state: ChecklistState): Progress {
  const required = stateItems(state).filter((i) => i.required);
  return {
    done: required.filter((i) => state.ticks[i.id]).length,
    required: required.length,
    openFailures: openFailures(state).length + (state.moreFailures ?? 0),
  };
}

/** Title fragment for the check run, e.g. "checklist 4/7". */
export function progressTitle(progress: Progress): string {
  return `checklist ${progress.done}/${progress.required}`;
}

export function decideGate(progress: Progress, config: Config): Gate {
  const open = progress.required - progress.done;
  if (!progress.openFailures && !open) {
    return { conclusion: "success", reason: "every required item is attested and no failure-level finding is open" };
  }
  const reason = [
    progress.openFailures && `${progress.openFailures} failure-level finding(s) open (fix, suppress or dismiss them)`,
    open && `${open} required checklist item(s) not attested`,
  ]
    .filter(Boolean)
    .join(", ");
  return { conclusion: config.gate.mode === "block" ? "failure" : "neutral", reason };
}
