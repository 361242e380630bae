// Turn the Markdown template into the checklist for one PR: keep the items of the categories found.
import { readProjectFile } from "../project-files.js";
import type { Config } from "../config/schema.js";
import type { CategoryId } from "../engine/types.js";

export interface ChecklistItem {
  id: string;
  text: string;
  category: CategoryId | "always";
  required: boolean;
}

/** A rendered line: either plain Markdown or an item. */
export type ChecklistLine = { kind: "text"; text: string } | { kind: "item"; item: ChecklistItem };

export interface Checklist {
  lines: ChecklistLine[];
  items: ChecklistItem[];
}

const ITEM = /^\s*-\s*\[[ xX]\]\s*(.*?)\s*<!--\s*ai-gaps:item\s+([^>]*?)\s*-->\s*$/;
const HEADING = /<!--\s*ai-gaps:heading\s+category=([a-z]+)\s*-->/;

function attrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(/\s+/)) {
    const [k, v] = part.split("=");
    if (k) out[k] = v ?? "true";
  }
  return out;
}

export function buildChecklist(template: string, found: CategoryId[], config: Config): Checklist {
  const lines: ChecklistLine[] = [];
  const shows = (c: string) => c === "always" || found.includes(c as CategoryId);
  for (const raw of template.split("\n")) {
    const item = ITEM.exec(raw);
    const heading = HEADING.exec(raw);
    if (item) {
      const a = attrs(item[2]);
      const category = (a.category ?? "always") as ChecklistItem["category"];
      if (!a.id || !shows(category)) continue;
      const required = config.checklist.required[a.id] ?? !("optional" in a);
      lines.push({ kind: "item", item: { id: a.id, text: item[1], category, required } });
    } else if (heading) {
      if (shows(heading[1])) lines.push({ kind: "text", text: raw.replace(HEADING, "").trimEnd() });
    } else {
      lines.push({ kind: "text", text: raw });
    }
  }
  const extra = config.checklist.items.filter((i) => shows(i.category));
  if (extra.length) {
    lines.push({ kind: "text", text: "\n#### Added by this repository" });
    for (const i of extra) lines.push({ kind: "item", item: { id: i.id, text: i.text, category: i.category, required: i.required } });
  }
  const items = lines.flatMap((l) => (l.kind === "item" ? [l.item] : []));
  return { lines, items };
}

/** Renders the checklist as Markdown task items, each with its id in a hidden marker. */
export function renderChecklist(list: Checklist, ticked: ReadonlySet<string>, na: ReadonlyMap<string, string> = new Map()): string {
  return list.lines
    .map((line) => {
      if (line.kind === "text") return line.text;
      const { id, text, required } = line.item;
      const marker = `<!-- ai-gaps:item id=${id} -->`;
      const suffix = required ? "" : " *(optional)*";
      if (na.has(id)) return `- N/A: ${na.get(id)} — ${text}${suffix} ${marker}`;
      return `- [${ticked.has(id) ? "x" : " "}] ${text}${suffix} ${marker}`;
    })
    .join("\n");
}

let bundled: string | undefined;

/** The bundled template, config/checklist.md. */
export function bundledTemplate(): string {
  return (bundled ??= readProjectFile("config/checklist.md"));
}
