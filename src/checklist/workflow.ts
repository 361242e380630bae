// Apply the ticks of one edit to the trusted state: authorize each, record attestations, note rejections.
import type { Config } from "../config/schema.js";
import type { CategoryId } from "../engine/types.js";
import { authorize, type Editor } from "./authorize.js";
import { codeSpan } from "../report/markdown.js";
import { openFailures } from "./dismiss.js";
import { bump, withNotes, type ChecklistState } from "./state.js";
import type { ChecklistItem } from "./template.js";
import type { TickChange } from "./ticks.js";

export interface EditOutcome {
  state: ChecklistState;
  accepted: TickChange[];
  rejected: { change: TickChange; why: string }[];
}

export function stateItems(state: ChecklistState): ChecklistItem[] {
  return state.lines.flatMap((l) => (l.kind === "item" ? [l.item] : []));
}

/** Item text without Markdown emphasis, cut short, for notes. */
export function shortText(text: string): string {
  const plain = text.replace(/[*_`]/g, "").trim();
  return plain.length > 60 ? `${plain.slice(0, 57)}...` : plain;
}

const VERB: Record<TickChange["kind"], string> = { tick: "tick", untick: "untick", na: "answer N/A to", "na-clear": "change" };

export async function applyEdit(
  state: ChecklistState,
  changes: TickChange[],
  editor: Editor,
  config: Config,
  now: Date,
  head: string,
): Promise<EditOutcome> {
  const items = new Map(stateItems(state).map((i) => [i.id, i]));
  let next: ChecklistState = { ...state, ticks: { ...state.ticks }, na: { ...state.na } };
  const accepted: TickChange[] = [];
  const rejected: EditOutcome["rejected"] = [];
  const stamp = { by: editor.login, at: now.toISOString(), sha: head };
  for (const change of changes) {
    const item = items.get(change.id);
    if (!item || isNoop(next, change)) continue;
    const why = (await verdict(item.category, editor, config)) ?? precheck(change, item, next);
    if (why) {
      rejected.push({ change, why });
      continue;
    }
    accepted.push(change);
    if (change.kind === "tick" || (change.kind === "na-clear" && change.checked)) next.ticks[change.id] = stamp;
    if (change.kind === "untick" || change.kind === "na") delete next.ticks[change.id];
    if (change.kind === "na") next.na[change.id] = { ...stamp, reason: change.reason };
    if (change.kind === "na-clear") delete next.na[change.id];
  }
  next = withNotes(
    next,
    rejected.map(({ change, why }) => `@${editor.login} tried to ${VERB[change.kind]} “${shortText(items.get(change.id)!.text)}” (\`${change.id}\`): ${why}. Reverted.`),
  );
  return { state: bump(state, next), accepted, rejected };
}

/** A change that would leave the record as it is (for example the same edit delivered twice). */
function isNoop(state: ChecklistState, change: TickChange): boolean {
  switch (change.kind) {
    case "tick":
      return !!state.ticks[change.id];
    case "untick":
      return !state.ticks[change.id];
    case "na":
      return state.na[change.id]?.reason === change.reason && !state.ticks[change.id];
    case "na-clear":
      return !state.na[change.id] && !!state.ticks[change.id] === change.checked;
  }
}

function precheck(change: TickChange, item: ChecklistItem, state: ChecklistState): string | undefined {
  if (change.kind === "tick" || change.kind === "na" || (change.kind === "na-clear" && change.checked)) {
    const open = blockingFindings(state, item);
    if (open) return open;
  }
  if (change.kind !== "na") return undefined;
  if (item.required) return "required items cannot be answered N/A";
  if (!change.reason) return "an N/A answer needs a reason (`N/A: <reason>`)";
  return undefined;
}

async function verdict(category: CategoryId | "always", editor: Editor, config: Config): Promise<string | undefined> {
  const v = await authorize(category, editor, config);
  return v.ok ? undefined : v.why;
}

/** Why a category item cannot be ticked yet: failure-level findings of its category still open. */
export function blockingFindings(state: ChecklistState, item: ChecklistItem): string | undefined {
  if (item.category === "always") return undefined;
  const open = openFailures(state, item.category);
  if (!open.length) return undefined;
  const named = open.slice(0, 3).map((f) => `${codeSpan(f.ruleId)} in ${codeSpan(f.path)}`).join(", ");
  const rest = open.length > 3 ? ` and ${open.length - 3} more` : "";
  const are = open.length === 1 ? "failure finding of this category is" : "failure findings of this category are";
  return `${open.length} ${are} still open (${named}${rest}); fix, suppress or dismiss ${open.length === 1 ? "it" : "them"} first`;
}
