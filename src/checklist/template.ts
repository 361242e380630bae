// Turn the Markdown template into the checklist for one PR: keep the items of the categories found, and the
// general questions when the change touches service code.
import { readProjectFile } from "../project-files.js";
import type { Config } from "../config/schema.js";
import type { CategoryId } from "../engine/types.js";
import { richText } from "../report/markdown.js";

export interface ChecklistItem {
  id: string;
  text: string;
  category: CategoryId | "always";
  required: boolean;
}

/** A rendered line: plain Markdown, a group's heading (the comment adds why the group is there), or an item. */
export type ChecklistLine =
  | { kind: "text"; text: string }
  | { kind: "heading"; text: string; category: CategoryId | "always" }
  | { kind: "item"; item: ChecklistItem };

export interface Checklist {
  lines: ChecklistLine[];
  items: ChecklistItem[];
}

/** What the checklist is built for: the categories present, and whether the general questions are asked. */
export interface ChecklistScope {
  found: CategoryId[];
  general: boolean;
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

/**
 * The template's items for one PR: a category's items when it is present; the general ones ("always") when
 * asked, except those whose `unless=<category>` is present (that category's own items ask the same thing).
 * Headings left with no item are dropped.
 */
export function buildChecklist(template: string, scope: ChecklistScope, config: Config): Checklist {
  const shows = (category: string, unless?: string) =>
    category === "always" ? scope.general && !(unless && scope.found.includes(unless as CategoryId)) : scope.found.includes(category as CategoryId);
  const lines: ChecklistLine[] = [];
  for (const raw of template.split("\n")) {
    const item = ITEM.exec(raw);
    const heading = HEADING.exec(raw);
    if (item) {
      const a = attrs(item[2]);
      const category = (a.category ?? "always") as ChecklistItem["category"];
      if (!a.id || !shows(category, a.unless)) continue;
      const required = config.checklist.required[a.id] ?? !("optional" in a);
      lines.push({ kind: "item", item: { id: a.id, text: item[1], category, required } });
    } else if (heading) {
      lines.push({ kind: "heading", text: raw.replace(HEADING, "").trimEnd(), category: heading[1] as CategoryId | "always" });
    } else {
      lines.push({ kind: "text", text: raw });
    }
  }
  const extra = config.checklist.items.filter((i) => shows(i.category));
  if (extra.length) {
    lines.push({ kind: "text", text: "" }, { kind: "heading", text: "#### Added by this repository", category: "always" });
    for (const i of extra) lines.push({ kind: "item", item: { id: i.id, text: i.text, category: i.category, required: i.required } });
  }
  const kept = dropEmptyHeadings(lines);
  return { lines: kept, items: kept.flatMap((l) => (l.kind === "item" ? [l.item] : [])) };
}

const isBlank = (l: ChecklistLine) => l.kind === "text" && !l.text.trim();

/** Removes headings whose section has no item, then runs of blank lines. */
function dropEmptyHeadings(lines: ChecklistLine[]): ChecklistLine[] {
  const hasItem = (i: number) => {
    for (const l of lines.slice(i + 1)) {
      if (l.kind === "heading") return false;
      if (l.kind === "item") return true;
    }
    return false;
  };
  const kept = lines.filter((line, i) => line.kind !== "heading" || hasItem(i));
  return kept.filter((l, i) => !(isBlank(l) && (i === kept.length - 1 || isBlank(kept[i + 1]))));
}

/** Renders the checklist as Markdown task items, each with its id in a hidden marker; `after` adds lines below a heading. */
export function renderChecklist(
  list: Checklist,
  ticked: ReadonlySet<string>,
  na: ReadonlyMap<string, string> = new Map(),
  after: (category: CategoryId | "always") => string[] = () => [],
): string {
  return list.lines
    .flatMap((line) => {
      if (line.kind === "text") return [line.text];
      if (line.kind === "heading") return [line.text, ...after(line.category)];
      const { id, text, required } = line.item;
      const marker = `<!-- ai-gaps:item id=${id} -->`;
      const suffix = required ? "" : " *(optional)*";
      // The reason is what an editor typed (the PR author, on items they may answer): literal text.
      if (na.has(id)) return [`- N/A: ${richText(na.get(id)!)} — ${text}${suffix} ${marker}`];
      return [`- [${ticked.has(id) ? "x" : " "}] ${text}${suffix} ${marker}`];
    })
    .join("\n");
}

let bundled: string | undefined;

/** The bundled template, config/checklist.md. */
export function bundledTemplate(): string {
  return (bundled ??= readProjectFile("config/checklist.md"));
}
