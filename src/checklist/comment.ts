// The checklist comment, rendered from the trusted state only: what users typed is never echoed back, so a
// deleted or reworded item comes back, and a forged tick disappears. Layout: a status line (progress, link to
// the check run, who may tick), the items by group with why each group is there and its open findings, then
// the record and the notes folded away, and the signed state block.
import type { CategoryId } from "../engine/types.js";
import { findingLink, renderCloseHere } from "./close-here.js";
import { openFailures, reasonLabel } from "./dismiss.js";
import { encodeState, type Attestation, type ChecklistState, type KeyRing } from "./state.js";
import { renderChecklist } from "./template.js";
import { stateItems } from "./workflow.js";
import { codeSpan, richText } from "../report/markdown.js";

export const CHECKLIST_MARKER = "<!-- ai-gaps:checklist -->";

const when = (a: Attestation) => `${a.at.slice(0, 16).replace("T", " ")} UTC`;
const at = (a: Attestation) => `\`${a.sha.slice(0, 7)}\``;
const code = codeSpan;

export function renderBody(state: ChecklistState, key: KeyRing): string {
  const parts = [CHECKLIST_MARKER];
  if (state.view?.noCategory) {
    parts.push("### ai-gaps checklist", "", `This change touches none of the seven categories: nothing to tick.${runLink(state, " · ")}`);
  } else {
    const items = stateItems(state);
    const na = new Map(Object.entries(state.na).map(([id, a]) => [id, a.reason]));
    const list = renderChecklist({ lines: state.lines, items }, new Set(Object.keys(state.ticks)), na, (c) => why(state, c)).trimEnd().split("\n");
    const title = list.findIndex((l) => /^#{1,3} /.test(l));
    list.splice(title + 1, 0, "", statusLine(state), ...alerts(state).flatMap((a) => ["", a]));
    parts.push(list.join("\n"));
    const closeHere = renderCloseHere(state);
    if (closeHere) parts.push("", closeHere);
  }
  const folded = [record(state), notes(state), HOW].filter(Boolean);
  parts.push("", ...folded, "", encodeState(state, key));
  return parts.join("\n");
}

function runLink(state: ChecklistState, before: string): string {
  return state.view?.runUrl ? `${before}[Check run](${state.view.runUrl})` : "";
}

function statusLine(state: ChecklistState): string {
  const required = stateItems(state).filter((i) => i.required);
  const done = required.filter((i) => state.ticks[i.id]).length;
  const open = openFailures(state).length + (state.moreFailures ?? 0);
  const progress = [`**${done} of ${required.length} required items ticked**`, open ? `**${open} failure finding${open === 1 ? "" : "s"} open**` : ""].filter(Boolean).join(" · ");
  return [progress + runLink(state, " · "), state.view?.who].filter(Boolean).join(" · ");
}

/** Lines under a group's heading: why it is there (files), then its open failure findings with links. */
function why(state: ChecklistState, category: CategoryId | "always"): string[] {
  const scope = state.view?.scope?.[category];
  const lines: string[] = [];
  if (scope?.count) {
    const more = scope.count > scope.files.length ? ` and ${scope.count - scope.files.length} more` : "";
    const because = category === "always" ? "Asked because service code changed" : "Files in this category";
    lines.push(`${because}: ${scope.files.map(code).join(", ")}${more}.`);
  }
  if (category === "always") return lines.length ? [lines.join("<br>")] : [];
  const open = openFailures(state, category);
  if (open.length) {
    const shown = open.slice(0, 10).map((f) => `🛑 ${findingLink(state, f)}`);
    const rest = open.length > 10 ? ` and ${open.length - 10} more (see the check run)` : "";
    const here = open.some((f) => f.comment === undefined) ? " (without an inline comment: under “Findings to close here”)" : "";
    lines.push(`Open: ${shown.join(", ")}${rest}. Fix, suppress or dismiss ${open.length === 1 ? "it" : "them"}${here} before ticking.`);
  }
  const warnings = state.view?.warnings?.[category];
  if (warnings) lines.push(`${warnings} warning${warnings === 1 ? "" : "s"} to look at in the check run.`);
  return lines.length ? [lines.join("<br>")] : [];
}

function record(state: ChecklistState): string {
  const lines: string[] = [];
  for (const item of stateItems(state)) {
    const tick = state.ticks[item.id];
    const na = state.na[item.id];
    if (tick) lines.push(`- ✅ ${code(item.id)} @${tick.by}, ${when(tick)}, at ${at(tick)}`);
    if (na) lines.push(`- ➖ ${code(item.id)} N/A “${richText(na.reason)}”, @${na.by}, ${when(na)}, at ${at(na)}`);
  }
  const dismissed = Object.values(state.dismissed);
  for (const d of dismissed) {
    lines.push(`- 🚫 Finding ${code(d.ruleId)} in ${code(d.path)} dismissed as ${reasonLabel(d.reason)}: @${d.by}, ${when(d)}, at ${at(d)}`);
  }
  if (!lines.length) return "";
  const ticks = lines.length - dismissed.length;
  const counts = [ticks && `${ticks} attested`, dismissed.length && `${dismissed.length} dismissed`].filter(Boolean).join(", ");
  return fold(`Record: ${counts}`, ["Recorded by ai-gaps, signed; editing this comment does not change it.", "", ...lines]);
}

/** Notes that must not be folded away (a record that did not verify). */
const alerts = (state: ChecklistState) => state.notes.filter((n) => n.startsWith("⚠️"));

function notes(state: ChecklistState): string {
  const rest = state.notes.filter((n) => !n.startsWith("⚠️"));
  if (!rest.length) return "";
  return fold(`Notes (${rest.length})`, rest.map((n) => `- ${n}`));
}

const HOW = fold("How ticking works", [
  "Tick an item once it holds for this change; an *optional* item may instead be answered by replacing its box with `N/A: <reason>`. " +
    "Ticks by someone not allowed are reverted with a note. A tick stays on later pushes while the files of its group do not change. " +
    "A finding is closed by fixing it, by `ai-gaps-ignore <rule-id>: <reason>` in the code, or by ticking a dismissal reason " +
    "(false positive, accepted risk, fixed elsewhere) on its inline comment, or under “Findings to close here” when it has none. " +
    "Every dismissal and reopening is kept in the history folded in the check run.",
]);

function fold(summary: string, lines: string[]): string {
  return [`<details><summary>${summary}</summary>`, "", ...lines, "", "</details>"].join("\n");
}

