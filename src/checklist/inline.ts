// Inline review comments, pure part: which findings get one (right-hand diff lines only, most severe first,
// capped), their bodies with a signed hidden marker, and the updates for findings that went away.
import type { Config } from "../config/schema.js";
import { categoryInfo, SEVERITY_RANK } from "../engine/categories.js";
import { parsePatch } from "../engine/diff.js";
import type { CategoryId, Finding, Severity } from "../engine/types.js";
import { DISMISS_REASONS, reasonFromLabel, reasonLabel, type Dismissal, type DismissReason } from "./dismiss.js";
import { signFinding, verifyingKeys, type KeyRing } from "./state.js";
import { codeSpan, richText } from "../report/markdown.js";

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

/** Signs the marker fields; bound to one repository and PR by the caller. `verify` also accepts older keys. */
export interface Signer {
  (fields: string): string;
  verify?: (fields: string, sig: string) => boolean;
}

/** The signer for one PR's inline markers: signs with the current key, accepts the previous ones. */
export function findingSigner(keys: KeyRing, repo: string, pr: number): Signer {
  const sign: Signer = (fields) => signFinding(keys, repo, pr, fields);
  sign.verify = (fields, sig) => verifyingKeys(keys).some((key) => signFinding(key, repo, pr, fields) === sig);
  return sign;
}

const MARK = /<!--\s*ai-gaps:finding\s+fp=([a-f0-9]+)\s+rule=([a-z0-9-]+)\s+category=([a-z]+)\s+severity=([a-z]+)\s+sig=([a-f0-9]+)\s*-->/;
const BOXES = /^- \[([ xX])\] Dismiss: ([a-z ]+?)\s*$/gm;
const DISMISSED_BY = /^_Dismissed as .*_$\n?/m;
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
  const ok = sign.verify ? sign.verify(fields(mark), m[5]) : sign(fields(mark)) === m[5];
  return ok ? mark : undefined;
}

/** The dismissal reasons ticked in a body; undefined when the boxes are gone. */
export function tickedReasons(body: string | null | undefined): DismissReason[] | undefined {
  const boxes = [...(body ?? "").matchAll(BOXES)];
  if (!boxes.length) return undefined;
  return boxes.flatMap((m) => {
    const reason = reasonFromLabel(m[2]);
    return m[1] !== " " && reason ? [reason] : [];
  });
}

/** What an edit of the boxes asks for: a reason (newly ticked), null (the recorded one unticked), or nothing. */
export function dismissalChange(before: string, after: string, recorded: DismissReason | undefined): DismissReason | null | undefined {
  const was = tickedReasons(before) ?? [];
  const now = tickedReasons(after);
  if (!now) return undefined;
  const added = now.find((r) => !was.includes(r));
  if (added) return added;
  if (recorded && !now.includes(recorded)) return null;
  return undefined;
}

function boxes(dismissed: DismissReason | undefined): string {
  return DISMISS_REASONS.map((r) => `- [${r === dismissed ? "x" : " "}] Dismiss: ${reasonLabel(r)}`).join("\n");
}

const CLOSE = (ruleId: string, category: string) =>
  `**To close it:** fix the code, add \`ai-gaps-ignore ${ruleId}: <reason>\` on the line above, or tick one reason below ` +
  `(counts for anyone allowed to tick ${category} items):`;

export function renderComment(f: Finding, sign: Signer): string {
  return [
    `**ai-gaps · ${categoryInfo(f.category).name} · ${codeSpan(f.ruleId)}** (${f.severity})`,
    "",
    richText(f.message),
    "",
    `**What to do:** ${richText(f.remediation)}`,
    "",
    CLOSE(f.ruleId, categoryInfo(f.category).name),
    boxes(undefined),
    markerOf({ fp: f.fingerprint, ruleId: f.ruleId, category: f.category, severity: f.severity }, sign),
  ].join("\n");
}

/** Puts the trusted dismissal into a comment body: the boxes, and a line naming who dismissed it and why. */
export function withDismissal(body: string, d: Dismissal | undefined): string {
  const lines = body.replace(DISMISSED_BY, "").split("\n");
  const first = lines.findIndex((l) => /^- \[[ xX]\] Dismiss: /.test(l));
  const kept = lines.filter((l) => !/^- \[[ xX]\] Dismiss: /.test(l));
  const at = first >= 0 ? first : kept.findIndex((l) => MARK.test(l));
  const block = boxes(d?.reason).split("\n");
  if (d) block.push(`_Dismissed as ${reasonLabel(d.reason)} by @${d.by} at \`${d.sha.slice(0, 7)}\` (${d.at.slice(0, 16).replace("T", " ")} UTC)_`);
  kept.splice(at < 0 ? kept.length : at, 0, ...block);
  return kept.join("\n");
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
    // A marker read with a previous key (a rotation) is written back under the current one.
    const resigned = c.body.replace(MARK, () => markerOf(c.mark, sign));
    const body = withGone(resigned, current.has(c.mark.fp) ? undefined : headSha);
    if (body !== c.body && (current.has(c.mark.fp) || !isGone(c.body) || resigned !== c.body)) update.push({ id: c.id, body });
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
