// Findings -> check-run annotations: most severe first, capped, with the rule's docs in the message.
import { categoryInfo, SEVERITY_RANK } from "../engine/categories.js";
import { ruleMeta } from "../engine/rule-meta.js";
import type { Finding } from "../engine/types.js";
import { MAX_MESSAGE_CHARS, MAX_TITLE_CHARS, truncate } from "./text.js";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

/** GitHub accepts at most 50 annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export { ruleMeta };

export function annotationFor(finding: Finding): Annotation {
  const meta = ruleMeta(finding.ruleId);
  const title = `${categoryInfo(finding.category).name}: ${finding.ruleId}`;
  const parts = [finding.message];
  if (meta?.why) parts.push(`Why: ${meta.why}`);
  const fix = finding.remediation || meta?.fix;
  if (fix) parts.push(`Fix: ${fix}`);
  if (meta?.docs?.length) parts.push(`Docs: ${meta.docs.join(" ")}`);
  const start = Math.max(1, finding.line);
  return {
    path: finding.path,
    start_line: start,
    end_line: Math.max(start, finding.endLine),
    annotation_level: finding.severity,
    title: truncate(title, MAX_TITLE_CHARS, "…"),
    message: truncate(parts.join("\n\n"), MAX_MESSAGE_CHARS, "…"),
  };
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Findings on a file that did not fit under the cap. */
  overflow: number;
}

/** Findings with a file become annotations, most severe first, at most `max`. */
export function planAnnotations(findings: Finding[], max: number): AnnotationPlan {
  const located = findings
    .filter((f) => f.path)
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line);
  const kept = located.slice(0, Math.max(0, max));
  return { annotations: kept.map(annotationFor), overflow: located.length - kept.length };
}

/** Splits annotations into the pages sent one request each. */
export function pages<T>(items: T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
