// Length limits of the check-runs API, applied in one place; and the check run's `text`.
import { createHash } from "node:crypto";
import { ruleMeta } from "../engine/rule-meta.js";
import { categoryInfo, SEVERITY_RANK } from "../engine/categories.js";
import type { Finding } from "../engine/types.js";
import { codeSpan, richText } from "./markdown.js";
import type { ReportLinks, ReviewReport, Section } from "./summary.js";

export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_TITLE_CHARS = 255;
/** Annotation messages may be 64 KB; keep them readable well below that. */
export const MAX_MESSAGE_CHARS = 4_000;

/** Cuts text to at most `max` characters, saying so at the end. */
export function truncate(text: string, max: number, note = "\n\n…(cut to fit GitHub's limit)"): string {
  if (text.length <= max) return text;
  if (max <= note.length) return text.slice(0, max);
  return text.slice(0, max - note.length) + note;
}

export { cell } from "./markdown.js";

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

// The check run's `text`: every finding, grouped by file, with why and how to fix it, in Markdown (annotations
// are plain text on GitHub). Composed of sections like the summary; another part adds its own to TEXT_SECTIONS.

export const TEXT_SECTIONS: Section[] = [findingsByFile, (r) => r.convergence ?? ""];

export function renderText(r: ReviewReport): string {
  return truncate(TEXT_SECTIONS.map((section) => section(r)).filter(Boolean).join("\n\n"), MAX_OUTPUT_CHARS);
}

/** Findings listed with their text before the rest are only counted (keeps `text` under GitHub's limit). */
const MAX_LISTED = 300;
const ICON: Record<string, string> = { failure: "🛑", warning: "⚠️", notice: "ℹ️" };

function findingsByFile(r: ReviewReport): string {
  if (r.noCategory) return "";
  const findings = [...r.result.findings].sort((a, b) => a.path.localeCompare(b.path) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.line - b.line);
  if (!findings.length) return "";
  const listed = findings.slice(0, MAX_LISTED);
  const files = new Map<string, Finding[]>();
  for (const f of listed) files.set(f.path, [...(files.get(f.path) ?? []), f]);
  const out = [`## Findings by file (${findings.length})`];
  for (const [path, list] of files) {
    out.push(`### ${path ? codeSpan(path) : "The pull request as a whole"}`);
    const explained = new Set<string>();
    for (const f of list) {
      out.push(findingItem(f, r.links, explained.has(f.ruleId)));
      explained.add(f.ruleId);
    }
  }
  if (findings.length > listed.length) out.push(`…and ${findings.length - listed.length} more, counted in the summary.`);
  return out.join("\n\n");
}

function findingItem(f: Finding, links: ReportLinks | undefined, explained: boolean): string {
  const meta = ruleMeta(f.ruleId);
  const where = f.path ? lineLink(f, links) : "";
  const head = [`${ICON[f.severity]} **${f.severity}**`, where, codeSpan(f.ruleId), categoryInfo(f.category).name].filter(Boolean).join(" · ");
  const lines = [`- ${head}`, "", `  ${richText(f.message)}`];
  if (explained) {
    lines.push("", "  Why and fix: as above.");
  } else {
    if (meta?.why) lines.push("", `  **Why:** ${meta.why}`);
    const fix = f.remediation || meta?.fix;
    if (fix) lines.push("", `  **Fix:** ${fix}`);
  }
  return lines.join("\n");
}

/** "line 6", linked to the finding's inline comment, else its line in the diff, else the file at the head. */
function lineLink(f: Finding, links: ReportLinks | undefined): string {
  const label = f.endLine > f.line ? `lines ${f.line}–${f.endLine}` : `line ${f.line}`;
  const url = findingUrl(links?.prUrl, links?.head, { path: f.path, line: f.line, comment: links?.comments?.get(f.fingerprint), outside: f.outsideDiff });
  return url ? `[${label}](${url})` : label;
}

export interface FindingPlace {
  path: string;
  line?: number;
  /** Its inline review comment's id. */
  comment?: number;
  outside?: boolean;
}

/** Where a finding shows on GitHub: its inline comment, else its line in the PR's diff, else the file at the head. */
export function findingUrl(prUrl: string | undefined, head: string | undefined, f: FindingPlace): string | undefined {
  if (!prUrl) return undefined;
  if (f.comment) return `${prUrl}#discussion_r${f.comment}`;
  if (!f.path) return undefined;
  const line = f.line ?? 1;
  if (!f.outside) return `${prUrl}/files#diff-${createHash("sha256").update(f.path).digest("hex")}R${line}`;
  if (!head) return undefined;
  // encodeURIComponent leaves parentheses: an unbalanced one in the path would end a Markdown link early.
  const segment = (s: string) => encodeURIComponent(s).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${prUrl.replace(/\/pull\/\d+$/, "")}/blob/${head}/${f.path.split("/").map(segment).join("/")}#L${line}`;
}
