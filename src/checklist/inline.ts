// Inline review comments, pure part: which findings get one (right-hand diff lines only, most severe first,
// capped), their bodies with a signed hidden marker, and the updates for findings that went away.
import type { Config } from "../config/schema.js";
import { categoryInfo, SEVERITY_RANK } from "../engine/categories.js";
import { parsePatch } from "../engine/diff.js";
import type { CategoryId, Finding, Severity } from "../engine/types.js";
import { signFinding, type Attestation } from "./state.js";

export interface NewComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

/** What the hidden marker of an inline comment says (verified with `sign`). */
export interface FindingMark {
  fp: string;
  ruleId: string;
  category: CategoryId;
  severity: Severity;
}

/** One of the app's existing inline comments. */
export interface ExistingComment {
  id: number;
  body: string;
  mark: FindingMark;
}

export interface InlinePlan {
  create: NewComment[];
  update: { id: number; body: string }[];
}

/** Signs the marker fields; bound to one repository and PR by the caller. */
export type Signer = (fields: string) => string;

/** The signer for one PR's inline markers. */
export function findingSigner(key: Buffer, repo: string, pr: number): Signer {
  return (fields) => signFinding(key, repo, pr, fields);
}

const MARK = /<!--\s*ai-gaps:finding\s+fp=([a-f0-9]+)\s+rule=([a-z0-9-]+)\s+category=([a-z]+)\s+severity=([a-z]+)\s+sig=([a-f0-9]+)\s*-->/;
const BOX = /^- \[[ xX]\] Reviewed:.*$/m;
const REVIEWED_BY = /^_Reviewed by .*_$\n?/m;
const GONE = /^\*\*No longer found[^\n]*\n\n/;

const fields = (m: FindingMark) => `${m.fp} ${m.ruleId} ${m.category} ${m.severity}`;

export function markerOf(m: FindingMark, sign: Signer): string {
  return `<!-- ai-gaps:finding fp=${m.fp} rule=${m.ruleId} category=${m.category} severity=${m.severity} sig=${sign(fields(m))} -->`;
}

/** The verified marker of a comment body; undefined when missing or forged. */
export function readMark(body: string | null | undefined, sign: Signer): FindingMark | undefined {
  const m = MARK.exec(body ?? "");
  if (!m) return undefined;
  const mark = { fp: m[1], ruleId: m[2], category: m[3] as CategoryId, severity: m[4] as Severity };
  return sign(fields(mark)) === m[5] ? mark : undefined;
}

/** Whether the `Reviewed` box of a body is ticked; undefined when the box is gone. */
export function boxTicked(body: string | null | undefined): boolean | undefined {
  const m = BOX.exec(body ?? "");
  return m ? /^- \[[xX]\]/.test(m[0]) : undefined;
}

const BOX_TEXT = "Reviewed: I checked this finding; it is handled, or accepted with a reason in a reply.";

export function renderComment(f: Finding, sign: Signer): string {
  return [
    `**ai-gaps · ${categoryInfo(f.category).name} · \`${f.ruleId}\`** (${f.severity})`,
    "",
    f.message,
    "",
    `**What to do:** ${f.remediation}`,
    "",
    `- [ ] ${BOX_TEXT}`,
    markerOf({ fp: f.fingerprint, ruleId: f.ruleId, category: f.category, severity: f.severity }, sign),
  ].join("\n");
}

/** Puts the trusted `Reviewed` state into a comment body (box and the line naming who). */
export function withReviewed(body: string, reviewed: Attestation | undefined): string {
  const box = `- [${reviewed ? "x" : " "}] ${BOX_TEXT}`;
  let out = body.replace(REVIEWED_BY, "");
  out = BOX.test(out) ? out.replace(BOX, box) : out.replace(MARK, (m) => `${box}\n${m}`);
  if (!reviewed) return out;
  return out.replace(BOX, (b) => `${b}\n_Reviewed by @${reviewed.by} at \`${reviewed.sha.slice(0, 7)}\` (${reviewed.at.slice(0, 16).replace("T", " ")} UTC)_`);
}

/** Adds or removes the "no longer found" note. */
export function withGone(body: string, goneAt: string | undefined): string {
  const clean = body.replace(GONE, "");
  return goneAt ? `**No longer found at \`${goneAt.slice(0, 7)}\`:** the code this pointed at changed or the finding was fixed.\n\n${clean}` : clean;
}

export function isGone(body: string): boolean {
  return GONE.test(body);
}

/** The line a finding's comment sits on: its own line if the diff shows it, else the first shown line of its span. */
export function commentLine(f: Finding, patch: string | undefined): number | undefined {
  if (f.outsideDiff || !f.path) return undefined;
  const { visible } = parsePatch(patch);
  for (let l = f.line; l <= Math.max(f.line, f.endLine); l++) if (visible.has(l)) return l;
  return undefined;
}

export function planInline(
  findings: Finding[],
  patches: ReadonlyMap<string, string | undefined>,
  existing: ExistingComment[],
  config: Config,
  sign: Signer,
  headSha: string,
): InlinePlan {
  const min = SEVERITY_RANK[config.review.comments.min_severity];
  const current = new Set(findings.map((f) => f.fingerprint));
  const commented = new Set(existing.map((c) => c.mark.fp));
  const update: InlinePlan["update"] = [];
  for (const c of existing) {
    const body = withGone(c.body, current.has(c.mark.fp) ? undefined : headSha);
    if (body !== c.body && (current.has(c.mark.fp) || !isGone(c.body))) update.push({ id: c.id, body });
  }
  const active = existing.filter((c) => current.has(c.mark.fp)).length;
  const create: NewComment[] = [];
  const candidates = findings
    .filter((f) => SEVERITY_RANK[f.severity] >= min && !commented.has(f.fingerprint))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line);
  for (const f of candidates) {
    if (active + create.length >= config.review.comments.max) break;
    const line = commentLine(f, patches.get(f.path));
    if (line === undefined || create.some((c) => c.body.includes(`fp=${f.fingerprint} `))) continue;
    create.push({ path: f.path, line, side: "RIGHT", body: renderComment(f, sign) });
  }
  return { create, update };
}
