// The check run's title and summary for a finished review, a configuration error, a draft, a superseded run.
import type { ConfigProblem } from "../config/load.js";
import { CATEGORIES, categoryInfo } from "../engine/categories.js";
import type { Dismissal } from "../checklist/dismiss.js";
import { reasonLabel } from "../checklist/dismiss.js";
import type { CategoryId, EngineResult } from "../engine/types.js";
import { renderCoverage } from "./coverage.js";
import { pipelineSection } from "./pipelines.js";
import { cell, codeSpan, plainText, richText } from "./markdown.js";
import { MAX_OUTPUT_CHARS, plural, truncate } from "./text.js";

export interface ReviewReport {
  result: EngineResult;
  progress: { done: number; required: number };
  gate: { conclusion: string; reason: string };
  /** Findings left out of the annotations by `annotations.max`. */
  overflow: number;
  annotationsMax: number;
  configSource: string[];
  /** Findings closed by a dismissal (from the checklist's signed state). */
  dismissed?: Dismissal[];
}

/** Rows listed in full before "and N more". */
const MAX_ROWS = 200;

export function foundCategories(result: EngineResult): CategoryId[] {
  const found = new Set<CategoryId>(result.pr.map((c) => c.category));
  for (const f of result.findings) found.add(f.category);
  return CATEGORIES.map((c) => c.id).filter((id) => found.has(id));
}

export function renderTitle(r: Pick<ReviewReport, "result" | "progress">): string {
  const findings = plural(r.result.findings.length, "finding");
  const categories = plural(foundCategories(r.result).length, "category", "categories");
  return `${findings}, ${categories}, checklist ${r.progress.done}/${r.progress.required}`;
}

export function renderSummary(r: ReviewReport): string {
  const sections = [
    `**Gate: ${r.gate.conclusion}**: ${r.gate.reason}.`,
    categoryTable(r.result),
    prLevelFindings(r.result),
    dependents(r.result),
    pipelineSection(r.result),
    r.overflow > 0
      ? `**${plural(r.overflow, "more finding")} not shown as annotations** (the cap is \`annotations.max: ${r.annotationsMax}\`).`
      : "",
    r.result.notes.length ? `### Notes\n${r.result.notes.map((n) => `- ${richText(n)}`).join("\n")}` : "",
    renderCoverage(r.result),
    suppressions(r.result),
    renderDismissed(r.dismissed ?? []),
    notAnalysed(r.result),
    skipped(r.result),
    `### Configuration\n${r.configSource.map((s) => `- ${s}`).join("\n")}`,
  ];
  return truncate(sections.filter(Boolean).join("\n\n"), MAX_OUTPUT_CHARS);
}

function categoryTable(result: EngineResult): string {
  const rows = CATEGORIES.map((c) => {
    const files = result.files.filter((f) => f.categories.some((x) => x.category === c.id)).length;
    const findings = result.findings.filter((f) => f.category === c.id).length;
    const inPr = result.pr.some((p) => p.category === c.id) || findings > 0;
    const when = c.when === "before" ? "Before implementation" : "After implementation";
    const todo = inPr ? `**${when}:** ${c.advice}` : "Nothing found.";
    return `| ${inPr ? "**" + c.name + "**" : c.name} | ${files} | ${findings} | ${cell(todo)} |`;
  });
  return ["### The seven categories", "| Category | Files | Findings | What the team should do |", "| --- | ---: | ---: | --- |", ...rows].join("\n");
}

function prLevelFindings(result: EngineResult): string {
  const general = result.findings.filter((f) => !f.path);
  if (!general.length) return "";
  return ["### About the pull request as a whole", ...general.map((f) => `- **${f.severity}** ${codeSpan(f.ruleId)}: ${richText(f.message)}`)].join("\n");
}

/** Cascade findings may sit outside the diff: list where the old form is still used. */
function dependents(result: EngineResult): string {
  const stale = result.findings.filter((f) => f.category === "cascade" && f.outsideDiff);
  if (!stale.length) return "";
  const rows = stale.slice(0, MAX_ROWS).map((f) => `- ${codeSpan(f.path)}:${f.line}: ${richText(f.message)}`);
  const advice = "Migrate every one of them in this change, in one batch (search and replace, then a full compile), rather than one error at a time.";
  return [`### Dependents still on the old form (${stale.length})`, advice, ...rows, more(stale.length)].join("\n");
}

function suppressions(result: EngineResult): string {
  if (!result.suppressions.length) return "";
  const rows = result.suppressions.slice(0, MAX_ROWS).map((s) => `| ${cell(codeSpan(s.ruleId))} | ${cell(codeSpan(s.path))}:${s.line} | ${cell(richText(s.reason))} |`);
  return [
    `### Suppressions (${result.suppressions.length})`,
    "| Rule | Where | Reason |",
    "| --- | --- | --- |",
    ...rows,
    more(result.suppressions.length),
  ].join("\n");
}

const DISMISSED_START = "<!-- ai-gaps:dismissed -->";
const DISMISSED_END = "<!-- /ai-gaps:dismissed -->";
export const DISMISSED_SECTION = /<!-- ai-gaps:dismissed -->[\s\S]*?<!-- \/ai-gaps:dismissed -->/;

/** Dismissed findings, between markers so a later tick can rewrite this section alone. */
export function renderDismissed(dismissed: Dismissal[]): string {
  const rows = dismissed
    .slice(0, MAX_ROWS)
    .map((d) => `| ${cell(codeSpan(d.ruleId))} | ${cell(codeSpan(d.path))} | ${reasonLabel(d.reason)} | @${d.by}, ${d.at.slice(0, 16).replace("T", " ")} UTC, at \`${d.sha.slice(0, 7)}\` |`);
  const body = rows.length
    ? [`### Dismissed findings (${dismissed.length})`, "| Rule | File | Reason | By |", "| --- | --- | --- | --- |", ...rows, more(dismissed.length)].join("\n")
    : "";
  return `${DISMISSED_START}\n${body}\n${DISMISSED_END}`;
}

/** Skipped files that still fall in a category: their items are on the checklist, and a person reads them. */
function notAnalysed(result: EngineResult): string {
  const rows = result.skipped.flatMap((s) => {
    const names = categoriesOf(result, s.path).map((c) => categoryInfo(c).name);
    return names.length ? [`| ${cell(codeSpan(s.path))} | ${cell(plainText(s.reason))} | ${names.join(", ")} |`] : [];
  });
  if (!rows.length) return "";
  return [
    `### Not analysed (${rows.length}): read these yourself`,
    "ai-gaps ran no rules on these files, but their paths or imports put them in a category, so that category's checklist items apply.",
    "| File | Why not analysed | Categories |",
    "| --- | --- | --- |",
    ...rows.slice(0, MAX_ROWS),
    more(rows.length),
  ].join("\n");
}

function categoriesOf(result: EngineResult, path: string): CategoryId[] {
  return result.files.find((f) => f.path === path)?.categories.map((c) => c.category) ?? [];
}

function skipped(result: EngineResult): string {
  if (!result.skipped.length) return "";
  const rows = result.skipped.slice(0, MAX_ROWS).map((s) => `| ${cell(codeSpan(s.path))} | ${cell(plainText(s.reason))} |`);
  return [
    `<details><summary>Files skipped (${result.skipped.length})</summary>`,
    "",
    "| File | Why |",
    "| --- | --- |",
    ...rows,
    more(result.skipped.length),
    "</details>",
  ].join("\n");
}

function more(total: number): string {
  return total > MAX_ROWS ? `\n…and ${total - MAX_ROWS} more.` : "";
}

export interface SimpleOutput {
  title: string;
  summary: string;
}

export function renderConfigError(problems: ConfigProblem[], source: string[]): SimpleOutput {
  const lines = problems.map((p) => {
    const where = p.line ? `line ${p.line}, column ${p.column ?? 1}` : "whole file";
    const key = p.path ? ` ${codeSpan(p.path)}` : "";
    return `- ${codeSpan(p.file)} ${where}${key}: ${richText(p.message)}`;
  });
  return {
    title: `Configuration error: ${plural(problems.length, "problem")} in .github/ai-gaps.yml`,
    summary: truncate(
      [
        "ai-gaps did not review this pull request because its configuration is invalid. Fix these on the default branch:",
        lines.join("\n"),
        `### Configuration\n${source.map((s) => `- ${s}`).join("\n")}`,
      ].join("\n\n"),
      MAX_OUTPUT_CHARS,
    ),
  };
}

export function renderDraft(): SimpleOutput {
  return {
    title: "Waiting for \"ready for review\"",
    summary:
      "This pull request is a draft. ai-gaps reviews it once it is marked \"ready for review\" " +
      "(set `review.skip_drafts: false` in `.github/ai-gaps.yml` to review drafts too).",
  };
}

export function renderSuperseded(headSha: string, newerSha?: string): SimpleOutput {
  const newer = newerSha ? ` (${newerSha.slice(0, 7)})` : "";
  return {
    title: `Superseded by a newer commit${newer}`,
    summary: `The review of ${headSha.slice(0, 7)} stopped because the pull request moved to a newer commit${newer}; see the run on that commit.`,
  };
}

export function renderStarted(): SimpleOutput {
  return { title: "Reviewing…", summary: "ai-gaps is reading the changed files." };
}

export function renderFailure(message: string): SimpleOutput {
  return {
    title: "ai-gaps could not finish the review",
    summary: truncate(`The review stopped with an error: ${message}\n\nPush a commit or re-run the check to try again.`, MAX_OUTPUT_CHARS),
  };
}
