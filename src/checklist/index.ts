// The checklist facade: the pull-request job calls prepareChecklist; the edit handlers apply ticks through workflow.ts.
import type { Config } from "../config/schema.js";
import { categoryInfo } from "../engine/categories.js";
import { plural } from "../report/text.js";
import { isNonServiceCode, languageOf } from "../engine/languages.js";
import type { CategoryId, EngineResult } from "../engine/types.js";
import { carryOver, shasToCompare } from "./carry.js";
import { renderBody } from "./comment.js";
import { openFailures } from "./dismiss.js";
import { bump, emptyState, MAX_GATE_FINDINGS, readState, withNotes, type ChecklistState, type GateFinding, type KeyRing, type StateView } from "./state.js";
import { buildChecklist, type Checklist, type ChecklistLine } from "./template.js";
import { blockingFindings, shortText, stateItems } from "./workflow.js";

export { CHECKLIST_MARKER, renderBody } from "./comment.js";
export { keyFromEnv, readState, stateKey, type ChecklistState, type KeyRing } from "./state.js";
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
  key: KeyRing;
  /** Body of the existing checklist comment, if there is one. */
  existingBody?: string;
  /** Files changed between `base` and the head (compare API); null when the two cannot be compared. */
  compare: (base: string) => Promise<{ files: string[] } | null>;
  /** Told when the existing comment's state block fails verification. */
  onTampered?: (reason: string) => void;
  /** Adds or removes lines after the template is built (the convergence monitor's stop-and-batch item). */
  adjust?: (lines: ChecklistLine[]) => ChecklistLine[];
  /** The PR's and the check run's pages, linked from the comment. */
  links?: { prUrl?: string; runUrl?: string };
  /** Inline review comment ids by finding fingerprint, linked from the items. */
  comments?: ReadonlyMap<string, number>;
}

export interface ChecklistOutput {
  checklist: Checklist;
  state: ChecklistState;
  body: string;
  progress: Progress;
  gate: Gate;
  /** False when there is nothing to tick and no comment yet: none is created. */
  post: boolean;
  /** Said on the check run too (an earlier record that did not verify). */
  alerts: string[];
}

export async function prepareChecklist(input: ChecklistInput): Promise<ChecklistOutput> {
  const { result, config, headSha } = input;
  const found = result.pr.map((c) => c.category);
  const noCategory = !found.length && config.gate.no_category === "pass";
  const service = serviceFiles(result);
  const general = !noCategory && (config.checklist.general === "always" || (config.checklist.general === "service_code" && service.length > 0));
  const built = buildChecklist(input.template, { found: noCategory ? [] : found, general }, config);
  const lines = input.adjust && !noCategory ? input.adjust(built.lines) : built.lines;
  const checklist: Checklist = { lines, items: lines.flatMap((l) => (l.kind === "item" ? [l.item] : [])) };
  const alerts: string[] = [];
  const trusted = trustedState(input, alerts);
  // Notes are about the last push: a new head starts them afresh (resets below add the new ones).
  let state = trusted.head === headSha ? trusted : { ...trusted, notes: [] };
  const changed = new Map<string, { files: string[] } | null>();
  for (const sha of shasToCompare(state, headSha)) changed.set(sha, await input.compare(sha));
  const ids = new Set(checklist.items.map((i) => i.id));
  state = { ...state, lines: checklist.lines, ticks: only(state.ticks, ids), na: only(state.na, ids) };
  state = carryOver(state, headSha, changed, result);
  const fps = new Set(result.findings.map((f) => f.fingerprint));
  state = {
    ...state,
    head: headSha,
    ...failuresOf(result, input.comments),
    dismissed: Object.fromEntries(Object.entries(state.dismissed).filter(([fp]) => fps.has(fp))),
    view: viewOf(input, found, service, noCategory),
  };
  state = withNotes(dropBlockedTicks(state), alerts);
  state = bump(trusted, state);
  const progress = progressOf(state);
  const gate = noCategory ? NO_CATEGORY_GATE : decideGate(progress, config);
  return { checklist, state, body: renderBody(state, input.key), progress, gate, post: !noCategory || !!input.existingBody, alerts };
}

const NO_CATEGORY_GATE: Gate = { conclusion: "success", reason: "this change touches none of the seven categories, so there is nothing to review or tick" };

/** Changed source files that run in a service: not tests, scripts, examples or fixtures. */
export function serviceFiles(result: EngineResult): string[] {
  return result.files.map((f) => f.path).filter((p) => languageOf(p) && !isNonServiceCode(p));
}

const SCOPE_FILES = 5;

function viewOf(input: ChecklistInput, found: CategoryId[], service: string[], noCategory: boolean): StateView {
  const scope: StateView["scope"] = { always: { files: service.slice(0, SCOPE_FILES), count: service.length } };
  for (const c of found) {
    const files = input.result.files.filter((f) => f.categories.some((x) => x.category === c)).map((f) => f.path);
    scope[c] = { files: files.slice(0, SCOPE_FILES), count: files.length };
  }
  const warnings: StateView["warnings"] = {};
  for (const f of input.result.findings) if (f.severity === "warning") warnings[f.category] = (warnings[f.category] ?? 0) + 1;
  return { ...input.links, who: whoMayTick(input.config, found), scope, warnings, ...(noCategory ? { noCategory } : {}) };
}

/** Who may tick what, in one line, for the categories present. */
export function whoMayTick(config: Config, found: CategoryId[]): string {
  const name = (c: CategoryId) => categoryInfo(c).name;
  const parts = ["anyone with write access"];
  const independent = found.filter((c) => config.checklist.independent.includes(c));
  if (independent.length) parts.push(`${listOf(independent.map(name))}: not the PR author`);
  for (const c of found) {
    const team = config.checklist.approvers[c];
    if (team) parts.push(`${name(c)}: members of ${team} only`);
  }
  return `Who may tick: ${parts.join("; ")}.`;
}

function listOf(words: string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function trustedState(input: ChecklistInput, alerts: string[]): ChecklistState {
  const read = readState(input.existingBody, input.key, input.repo, input.pr);
  if (read.status === "ok") return read.state;
  if (read.status === "invalid") {
    input.onTampered?.(read.reason);
    alerts.push(
      `⚠️ The earlier record in this comment did not verify (${read.reason}), so its ticks and dismissals are not counted and the checklist starts afresh. ` +
        "If the app's keys changed, see “Keys and rotation” in the ai-gaps README.",
    );
  }
  return emptyState(input.repo, input.pr, input.headSha);
}

function only<T>(record: Record<string, T>, ids: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
}

function failuresOf(result: EngineResult, comments?: ReadonlyMap<string, number>): { failures: GateFinding[]; moreFailures: number } {
  const all = result.findings.filter((f) => f.severity === "failure");
  const failures = all.slice(0, MAX_GATE_FINDINGS).map((f) => ({
    fp: f.fingerprint,
    category: f.category,
    ruleId: f.ruleId,
    path: f.path,
    line: f.line,
    ...(comments?.has(f.fingerprint) ? { comment: comments.get(f.fingerprint) } : {}),
    ...(f.outsideDiff ? { outside: true } : {}),
    ...(f.pendingSuppression !== undefined ? { pending: f.pendingSuppression.slice(0, 120) } : {}),
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
    return { conclusion: "success", reason: "every required item is ticked and no failure finding is open" };
  }
  const reason = [
    progress.openFailures && `${plural(progress.openFailures, "failure finding")} open (fix, suppress or dismiss ${progress.openFailures === 1 ? "it" : "them"})`,
    open && `${plural(open, "required item")} not ticked`,
  ]
    .filter(Boolean)
    .join(", ");
  return { conclusion: config.gate.mode === "block" ? "failure" : "neutral", reason };
}
