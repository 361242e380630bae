// The checklist comment, rendered from the trusted state only: what users typed is never echoed back, so a
// deleted or reworded item comes back, and a forged tick disappears.
import { reasonLabel } from "./dismiss.js";
import { encodeState, type Attestation, type ChecklistState } from "./state.js";
import { renderChecklist } from "./template.js";
import { shortText, stateItems } from "./workflow.js";
import { codeSpan, richText } from "../report/markdown.js";

export const CHECKLIST_MARKER = "<!-- ai-gaps:checklist -->";

const when = (a: Attestation) => `${a.at.slice(0, 16).replace("T", " ")} UTC`;
const at = (a: Attestation) => `\`${a.sha.slice(0, 7)}\``;

export function renderBody(state: ChecklistState, key: Buffer): string {
  const items = stateItems(state);
  const na = new Map(Object.entries(state.na).map(([id, a]) => [id, a.reason]));
  const list = renderChecklist({ lines: state.lines, items }, new Set(Object.keys(state.ticks)), na);
  const parts = [CHECKLIST_MARKER, list.trimEnd()];
  const record = attestationLines(state);
  if (record.length) parts.push("", "**Attested** (recorded by ai-gaps; editing this comment does not change the record)", ...record);
  if (state.notes.length) parts.push("", "**Notes**", ...state.notes.map((n) => `- ${n}`));
  parts.push("", encodeState(state, key));
  return parts.join("\n");
}

function attestationLines(state: ChecklistState): string[] {
  const lines: string[] = [];
  for (const item of stateItems(state)) {
    const tick = state.ticks[item.id];
    const na = state.na[item.id];
    if (tick) lines.push(`- ✅ ${shortText(item.text)} (\`${item.id}\`): @${tick.by}, ${when(tick)}, at ${at(tick)}`);
    if (na) lines.push(`- ➖ ${shortText(item.text)} (\`${item.id}\`): N/A “${richText(na.reason)}”, @${na.by}, ${when(na)}, at ${at(na)}`);
  }
  for (const d of Object.values(state.dismissed)) {
    lines.push(`- 🚫 Finding ${codeSpan(d.ruleId)} in ${codeSpan(d.path)} dismissed as ${reasonLabel(d.reason)}: @${d.by}, ${when(d)}, at ${at(d)}`);
  }
  return lines;
}
