// Dismissal boxes in the checklist comment for the failure findings that have no inline comment (outside the diff,
// past `review.comments.max`, or a review GitHub refused): the same three reasons as on an inline comment, ticked
// under the same rules. The boxes are rendered from the signed state; an edit only says which box changed, and
// the finding it names is looked up in the state (a box for a finding the state does not hold counts for nothing).
import { categoryInfo } from "../engine/categories.js";
import { findingUrl } from "../report/text.js";
import { codeSpan, plainText } from "../report/markdown.js";
import { DISMISS_REASONS, isOpen, reasonLabel, type DismissReason } from "./dismiss.js";
import type { ChecklistState, GateFinding } from "./state.js";

/** Findings given boxes at a time (three lines each); the rest appear as these are closed. */
export const MAX_CLOSE_HERE = 10;

const BOX = /^\s*[-*+]\s*\[([ xX])\][^\n]*<!--\s*ai-gaps:dismiss\s+fp=([a-f0-9]+)\s+reason=([a-z-]+)\s*-->/gm;

/** Failure findings without an inline comment: the open ones first, then the dismissed ones (to reopen). */
export function withoutComment(state: ChecklistState): GateFinding[] {
  const all = state.failures.filter((f) => f.comment === undefined);
  return [...all.filter((f) => isOpen(state, f.fp)), ...all.filter((f) => !isOpen(state, f.fp))];
}

/** The section, or "" when every failure finding has an inline comment. */
export function renderCloseHere(state: ChecklistState): string {
  const all = withoutComment(state);
  if (!all.length) return "";
  const shown = all.slice(0, MAX_CLOSE_HERE);
  const lines = [
    "#### Findings to close here",
    "These failure findings have no inline comment. Tick one reason to dismiss a finding (counts for anyone allowed to tick its category's items); untick it to reopen the finding.",
    "",
  ];
  for (const f of shown) lines.push(headLine(state, f), ...boxes(f, state.dismissed[f.fp]?.reason));
  if (all.length > shown.length) lines.push("", `…and ${all.length - shown.length} more, listed here as these are closed.`);
  return lines.join("\n");
}

/** A finding's rule and place, linked to where GitHub shows it. */
export function findingLink(state: ChecklistState, f: GateFinding): string {
  const label = `${codeSpan(f.ruleId)} in ${codeSpan(`${f.path}${f.line ? `:${f.line}` : ""}`)}`;
  const url = findingUrl(state.view?.prUrl, state.head, f);
  return url ? `[${label}](${url})` : label;
}

function headLine(state: ChecklistState, f: GateFinding): string {
  const parts = [`${findingLink(state, f)} (${categoryInfo(f.category).name})`];
  const d = state.dismissed[f.fp];
  if (f.pending !== undefined && !d) parts.push(`suppressed by this PR (“${plainText(f.pending)}”): a reason ticked here approves it`);
  if (d) parts.push(`_dismissed as ${reasonLabel(d.reason)} by @${d.by} at \`${d.sha.slice(0, 7)}\`_`);
  return `- ${d ? "🚫" : "🛑"} ${parts.join(" · ")}`;
}

function boxes(f: GateFinding, ticked: DismissReason | undefined): string[] {
  return DISMISS_REASONS.map((r) => `  - [${r === ticked ? "x" : " "}] Dismiss: ${reasonLabel(r)} <!-- ai-gaps:dismiss fp=${f.fp} reason=${r} -->`);
}

/** Ticked reasons by fingerprint, for every finding whose boxes are in the body. */
export function readCloseHere(body: string | null | undefined): Map<string, DismissReason[]> {
  const out = new Map<string, DismissReason[]>();
  for (const m of (body ?? "").matchAll(BOX)) {
    const reason = DISMISS_REASONS.find((r) => r === m[3]);
    if (!reason) continue;
    const list = out.get(m[2]) ?? [];
    if (m[1] !== " ") list.push(reason);
    out.set(m[2], list);
  }
  return out;
}

/** What an edit asks, per finding of the state: a reason (a box newly ticked) or null (the recorded one unticked). */
export function closeHereChanges(before: string, after: string, state: ChecklistState): { finding: GateFinding; reason: DismissReason | null }[] {
  const was = readCloseHere(before);
  const now = readCloseHere(after);
  const changes: { finding: GateFinding; reason: DismissReason | null }[] = [];
  for (const [fp, ticked] of now) {
    const finding = state.failures.find((f) => f.fp === fp && f.comment === undefined);
    if (!finding) continue;
    const recorded = state.dismissed[fp]?.reason;
    const had = was.get(fp) ?? [];
    const added = ticked.find((r) => !had.includes(r) && r !== recorded);
    if (added) changes.push({ finding, reason: added });
    // Reopened only when the editor unticked the recorded reason they saw ticked.
    else if (recorded && had.includes(recorded) && !ticked.includes(recorded)) changes.push({ finding, reason: null });
  }
  return changes;
}
