// Pushes: an attestation carries over to the new head only when none of the files its item covers changed
// since it was given. Coverage: the general items ("always") cover every reviewed file (anything not
// skipped, removed files included); a category item covers the files classified into its category.
import type { EngineResult } from "../engine/types.js";
import { withNotes, type Attestation, type ChecklistState } from "./state.js";
import type { ChecklistItem } from "./template.js";
import { shortText, stateItems } from "./workflow.js";
import { codeSpan } from "../report/markdown.js";

/** Files changed between an attestation's SHA and the new head; null when the two cannot be compared. */
export type ChangedSince = ReadonlyMap<string, { files: string[] } | null>;

export function covers(item: ChecklistItem, path: string, result: EngineResult): boolean {
  if (item.category === "always") return !result.skipped.some((s) => s.path === path && s.reason !== "removed");
  return result.files.some((f) => f.path === path && f.categories.some((c) => c.category === item.category));
}

/** SHAs the caller must compare with the new head. */
export function shasToCompare(state: ChecklistState, head: string): string[] {
  const all = [...Object.values(state.ticks), ...Object.values(state.na)].map((a) => a.sha);
  return [...new Set(all)].filter((sha) => sha !== head);
}

const short = (sha: string) => sha.slice(0, 7);

export function carryOver(state: ChecklistState, head: string, changed: ChangedSince, result: EngineResult): ChecklistState {
  if (state.head === head && !shasToCompare(state, head).length) return state;
  const items = new Map(stateItems(state).map((i) => [i.id, i]));
  const notes: string[] = [];
  const keep = <T extends Attestation>(record: Record<string, T>, what: string): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const [id, a] of Object.entries(record)) {
      const item = items.get(id);
      const why = item ? resetReason(item, a, head, changed, result) : undefined;
      if (why) notes.push(`Reset ${what} “${shortText(item!.text)}” (\`${id}\`, by @${a.by} at ${short(a.sha)}): ${why}.`);
      else out[id] = a;
    }
    return out;
  };
  const next = { ...state, head, ticks: keep(state.ticks, "tick of"), na: keep(state.na, "N/A answer to") };
  return withNotes(next, notes);
}

function resetReason(item: ChecklistItem, a: Attestation, head: string, changed: ChangedSince, result: EngineResult): string | undefined {
  if (a.sha === head) return undefined;
  const diff = changed.get(a.sha);
  if (!diff) return `${short(a.sha)} cannot be compared with ${short(head)} (history rewritten, or more than GitHub's 300 files changed)`;
  const file = diff.files.find((path) => covers(item, path, result));
  return file ? `${codeSpan(file)} changed in ${short(head)} since then` : undefined;
}
