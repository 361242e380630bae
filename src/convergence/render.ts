// The "Convergence" section of the check run (Markdown with a Mermaid xychart GitHub renders), and the
// CLI's text. Pure.
import type { ContractChange } from "../engine/types.js";
import { cell } from "../report/text.js";
import { migrationScript, type Migration } from "./migration.js";
import type { LoopSign } from "./patterns.js";
import type { SeriesRow, Verdict } from "./verdict.js";

export const SECTION_START = "<!-- ai-gaps:convergence:start -->";
export const SECTION_END = "<!-- ai-gaps:convergence:end -->";
const DATA = /<!-- ai-gaps:convergence-data ([A-Za-z0-9_-]+) -->/;

/** What the review knew, kept in the section so a re-evaluation without a review (another process, later) has it. */
export interface SectionData {
  changes: ContractChange[];
  silencing: LoopSign[];
}

/** The data block of an earlier section; empty when there is none or it does not parse. */
export function readSectionData(text: string | undefined): SectionData {
  const m = DATA.exec(text ?? "");
  if (!m) return { changes: [], silencing: [] };
  try {
    const d = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8")) as Partial<SectionData>;
    return { changes: Array.isArray(d.changes) ? d.changes : [], silencing: Array.isArray(d.silencing) ? d.silencing : [] };
  } catch {
    return { changes: [], silencing: [] };
  }
}

function dataBlock(data: SectionData): string {
  const kept = { changes: data.changes.slice(0, 50).map((c) => ({ ...c, files: c.files.slice(0, 200) })), silencing: data.silencing.slice(0, 50) };
  return `<!-- ai-gaps:convergence-data ${Buffer.from(JSON.stringify(kept)).toString("base64url")} -->`;
}

const short = (sha: string) => sha.slice(0, 7);
const show = (n: number | undefined) => (n === undefined ? "—" : Number.isInteger(n) ? String(n) : n.toFixed(1));

const HEADLINE: Record<Verdict["level"], string> = {
  critical: "🛑 Critical",
  warning: "⚠️ Warning",
  healthy: "✅ Healthy",
  pending: "⏳ Pending",
  none: "ℹ️ No verdict yet",
};

/** Capitalised sentence with a full stop. */
function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function errorsCell(r: SeriesRow): string {
  if (r.status === "pending") return "pending";
  if (r.status === "no-ci") return "no CI";
  return show(r.errors);
}

/** Oldest first, numbered like the chart's x-axis. */
function table(rows: SeriesRow[]): string {
  const lines = ["| # | Commit | Message | Errors | Resolved | Source |", "| ---: | --- | --- | ---: | ---: | --- |"];
  rows.forEach((r, i) => {
    const resolved = r.resolved === undefined ? "—" : r.resolved > 0 ? `+${show(r.resolved)}` : show(r.resolved);
    lines.push(`| ${i + 1} | \`${short(r.sha)}\` | ${cell(r.message.slice(0, 72))} | ${errorsCell(r)} | ${resolved} | ${cell(r.source)} |`);
  });
  return lines.join("\n");
}

/** Chart line colour (GitHub's red): Mermaid's default palette draws a line too pale to read. */
const CHART_THEME = '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#cf222e"}}}}%%';

/**
 * A Mermaid `xychart-beta` line of the counted commits, oldest first, labelled by their number in the table
 * (SHAs overlap on the axis); undefined with fewer than two.
 */
export function chart(rows: SeriesRow[]): string | undefined {
  const counted = rows.map((r, i) => ({ r, n: i + 1 })).filter(({ r }) => r.status === "counted" && r.errors !== undefined);
  if (counted.length < 2) return undefined;
  const max = Math.max(1, ...counted.map(({ r }) => r.errors!));
  return [
    "```mermaid",
    CHART_THEME,
    "xychart-beta",
    '    title "Errors per commit (1 = oldest)"',
    `    x-axis "Commit" [${counted.map(({ n }) => `"${n}"`).join(", ")}]`,
    `    y-axis "Errors" 0 --> ${Math.ceil(max * 1.1)}`,
    `    line [${counted.map(({ r }) => r.errors).join(", ")}]`,
    "```",
  ].join("\n");
}

export interface SectionInput {
  verdict: Verdict;
  /** Only with a critical verdict, when the cascade rules detected the breaking changes. */
  migration?: Migration;
  data?: SectionData;
}

/** The whole section, between markers so a later re-evaluation can replace it alone. */
export function renderSection({ verdict, migration, data }: SectionInput): string {
  const head = `**${HEADLINE[verdict.level]}: ${sentence(verdict.sentence)}**`;
  const parts = ["## Convergence", head];
  if (verdict.advice) parts.push(verdict.advice);
  const series = [table(verdict.rows), chart(verdict.rows)].filter(Boolean).join("\n\n");
  const reasons = verdict.reasons.length ? verdict.reasons.map((r) => `- ${r}`).join("\n") : "";
  if (verdict.level === "healthy" || verdict.level === "none" || verdict.level === "pending") {
    // Healthy and undecided series stay short: the detail is folded.
    parts.push(`<details><summary>Errors per commit (${verdict.rows.length} commits)</summary>\n\n${series}${reasons ? `\n\n${reasons}` : ""}\n\n</details>`);
  } else {
    parts.push(series);
    if (reasons) parts.push(`Why:\n${reasons}`);
  }
  if (verdict.level === "critical") parts.push(migrationPart(migration));
  parts.push(
    "<sub>Errors per commit come from the other checks on each commit (failure annotations; the job log where GitHub Actions cut them). " +
      "Thresholds: `cascade.monitor` in `.github/ai-gaps.yml`.</sub>",
  );
  if (data) parts.push(dataBlock(data));
  return `${SECTION_START}\n${parts.join("\n\n")}\n${SECTION_END}`;
}

function migrationPart(migration: Migration | undefined): string {
  if (!migration) {
    return "### Batch migration\nThe cascade rules detected no rename or signature change in this PR to script. List the breaking changes by hand (what was renamed, which signatures changed), then migrate every dependent at once.";
  }
  return ["### Batch migration", "Built from the breaking changes `stale-dependents` detected in this PR. Run from the repository root, review `git diff`, commit once:", "```sh", migrationScript(migration), "```"].join("\n");
}

/** `text` with its convergence section replaced (or appended). */
export function replaceSection(text: string | undefined, section: string): string {
  const old = text ?? "";
  const start = old.indexOf(SECTION_START);
  const end = old.indexOf(SECTION_END);
  if (start >= 0 && end > start) return old.slice(0, start) + section + old.slice(end + SECTION_END.length);
  return old ? `${old}\n\n${section}` : section;
}

/** The CLI's text: the series, then the verdict and why. */
export function renderText(verdict: Verdict): string {
  const rows = verdict.rows.map((r) => `${short(r.sha)}  ${errorsCell(r).padStart(6)}  ${(r.resolved === undefined ? "" : show(r.resolved)).padStart(8)}  ${r.message.slice(0, 60)}`);
  return [
    "commit   errors  resolved  message",
    ...rows,
    "",
    `${verdict.level}: ${verdict.sentence}`,
    ...verdict.reasons.map((r) => `  - ${r}`),
    ...(verdict.advice ? ["", verdict.advice] : []),
  ].join("\n");
}
