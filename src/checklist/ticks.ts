// Read the item boxes of a checklist comment and find what an edit changed, by item id.

export interface ItemMark {
  checked: boolean;
  /** Set when the box was replaced by `N/A: <reason>`; "" when no reason was given. */
  na?: string;
}

export type TickChange =
  | { id: string; kind: "tick" }
  | { id: string; kind: "untick" }
  | { id: string; kind: "na"; reason: string }
  | { id: string; kind: "na-clear"; checked: boolean };

const MARKER = /<!--\s*ai-gaps:item\s+id=([a-z0-9][a-z0-9.-]*)[^>]*-->/;
const BOX = /^\s*[-*+]\s*\[([ xX])\]/;
const NA = /^\s*[-*+]\s*(?:\[[ xX]\]\s*)?N\/A\b\s*:?\s*(.*)$/i;

/** Item marks by id; `texts` (id -> item text) lets an N/A reason be told apart from the item text. */
export function readMarks(body: string | null | undefined, texts: ReadonlyMap<string, string> = new Map()): Map<string, ItemMark> {
  const marks = new Map<string, ItemMark>();
  for (const line of (body ?? "").split(/\r?\n/)) {
    const m = MARKER.exec(line);
    if (!m || marks.has(m[1])) continue;
    const id = m[1];
    const before = line.slice(0, m.index);
    const na = NA.exec(before);
    if (na) {
      marks.set(id, { checked: false, na: naReason(na[1], texts.get(id)) });
      continue;
    }
    const box = BOX.exec(before);
    if (box) marks.set(id, { checked: box[1] !== " " });
  }
  return marks;
}

function naReason(rest: string, text: string | undefined): string {
  let r = rest.replace(/\s*\*\(optional\)\*\s*$/, "").trim();
  if (text && r.endsWith(text)) r = r.slice(0, -text.length);
  return r.replace(/[\s—–:|-]+$/, "").trim();
}

/** What changed between the body before an edit and after it. Deleted items are not changes. */
export function diffMarks(before: Map<string, ItemMark>, after: Map<string, ItemMark>): TickChange[] {
  const changes: TickChange[] = [];
  for (const [id, now] of after) {
    const was = before.get(id) ?? { checked: false };
    if (now.na !== undefined) {
      if (was.na !== now.na) changes.push({ id, kind: "na", reason: now.na });
    } else if (was.na !== undefined) {
      changes.push({ id, kind: "na-clear", checked: now.checked });
    } else if (now.checked !== was.checked) {
      changes.push({ id, kind: now.checked ? "tick" : "untick" });
    }
  }
  return changes;
}
