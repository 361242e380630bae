// The check run's title and summary for a finished review, a configuration error, a draft, a superseded run.
import type { ConfigProblem } from "../config/load.js";
import { CATEGORIES, categoryInfo } from "../engine/categories.js";
import type { Dismissal } from "../checklist/dismiss.js";
import type { LogEntry, LogTrimmed } from "../checklist/state.js";
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
  /** Every dismissal, approval and reopening so far (the signed state's history). */
  history?: History;
  /** Pages to link: the PR, the checklist comment, inline comments by finding fingerprint. */
  links?: ReportLinks;
  /** The change touches no category: the run says so in one line. */
  noCategory?: boolean;
  /** The cascade convergence monitor's section for the text (Markdown), when it ran. */
  convergence?: string;
}

export interface ReportLinks {
  prUrl?: string;
  commentUrl?: string;
  head?: string;
  comments?: ReadonlyMap<string, number>;
}

/** A part of the summary or text: returns "" when it has nothing to say. Add one by adding it to a list below. */
export type Section = (r: ReviewReport) => string;

/** Rows listed in full before "and N more". */
const MAX_ROWS = 200;

export function foundCategories(result: EngineResult): CategoryId[] {
  const found = new Set<CategoryId>(result.pr.map((c) => c.category));
  for (const f of result.findings) found.add(f.category);
  return CATEGORIES.map((c) => c.id).filter((id) => found.has(id));
}

export function renderTitle(r: Pick<ReviewReport, "result" | "progress" | "noCategory">): string {
  if (r.noCategory) return "No category touched: nothing to review";
  const failures = r.result.findings.filter((f) => f.severity === "failure").length;
  const findings = plural(r.result.findings.length, "finding") + (failures ? ` (${failures} failure${failures === 1 ? "" : "s"})` : "");
  const categories = plural(foundCategories(r.result).length, "category", "categories");
  return `${findings}, ${categories}, checklist ${r.progress.done}/${r.progress.required}`;
}

/** The summary's sections, in order. */
export const SUMMARY_SECTIONS: Section[] = [
  gateLine,
  (r) => categoryTable(r.result),
  (r) => prLevelFindings(r.result),
  (r) => dependents(r.result),
  (r) => pipelineSection(r.result),
  (r) =>
    r.overflow > 0
      ? `**${plural(r.overflow, "more finding")} not shown as annotations** (the cap is \`annotations.max: ${r.annotationsMax}\`); all of them are listed below.`
      : "",
  (r) => (r.result.notes.length ? `### Notes\n${r.result.notes.map((n) => `- ${richText(n)}`).join("\n")}` : ""),
  (r) => renderCoverage(r.result),
  (r) => suppressions(r.result),
  (r) => renderDismissed(r.dismissed ?? [], r.history),
  (r) => notAnalysed(r.result),
  (r) => skipped(r.result),
  (r) => fold("Configuration", r.configSource.map((s) => `- ${s}`)),
];

/** A change in no category: the gate line, then only what was looked at, folded. */
const NO_CATEGORY_SECTIONS: Section[] = [gateLine, (r) => skipped(r.result), (r) => fold("Configuration", r.configSource.map((s) => `- ${s}`))];

export function renderSummary(r: ReviewReport): string {
  const sections = r.noCategory ? NO_CATEGORY_SECTIONS : SUMMARY_SECTIONS;
  return truncate(sections.map((section) => section(r)).filter(Boolean).join("\n\n"), MAX_OUTPUT_CHARS);
}

function gateLine(r: ReviewReport): string {
  const links = [r.links?.commentUrl && `[Checklist](${r.links.commentUrl})`, !r.noCategory && r.result.findings.length && "Findings by file below"].filter(Boolean);
  // The links go on the next line: a tick rewrites the gate line alone (src/github/gate.ts).
  return `**Gate: ${r.gate.conclusion}**: ${r.gate.reason}.${links.length ? `\n${links.join(" · ")}.` : ""}`;
}

/** What to do now, for a PR whose code is already written (the "before" categories say so, and what to record). */
const NOW: Record<CategoryId, string> = {
  novel: "The code is already written: check it against a design a person wrote (types or architecture that make misuse fail to compile), and add that design (an ADR) to this PR. Next time, design first.",
  framework: "Check the runtime order of middleware, hooks and transactions against the framework's documentation, not just the order they are registered in.",
  performance: "Decide what must be cached or batched on every per-request or per-item path, with the cost of each external call in mind.",
  security: "The code is already written: review it now against a threat model, and write down the threat model you reviewed against (link it from the checklist). Next time, write it first.",
  resilience: "Do the operations pass: limits, backoff, timeouts, fallbacks and structured logs with correlation ids.",
  business: "The code is already written: have the domain owner confirm the unwritten rules it relies on, and write down what they confirmed. Next time, ask first.",
  cascade: "Stop fixing error by error: list every breaking change, migrate all dependents in one batch, then compile.",
};

function counts(findings: EngineResult["findings"]): string {
  const by = (s: string) => findings.filter((f) => f.severity === s).length;
  const parts = [
    by("failure") && plural(by("failure"), "failure"),
    by("warning") && plural(by("warning"), "warning"),
    by("notice") && plural(by("notice"), "notice"),
  ].filter(Boolean);
  return parts.join(", ") || "none";
}

function categoryTable(result: EngineResult): string {
  const present = new Set(foundCategories(result));
  const rows = CATEGORIES.filter((c) => present.has(c.id)).map((c) => {
    const files = result.files.filter((f) => f.categories.some((x) => x.category === c.id)).length;
    const findings = counts(result.findings.filter((f) => f.category === c.id));
    return `| **${c.name}** | ${files} | ${findings} | ${cell(NOW[c.id])} |`;
  });
  const absent = CATEGORIES.filter((c) => !present.has(c.id)).map((c) => c.name);
  const rest = absent.length ? `Not in this change: ${absent.join(", ")}.` : "";
  if (!rows.length) return rest;
  return ["| Category | Files | Findings | What to do now |", "| --- | ---: | --- | --- |", ...rows, "", rest].join("\n").trimEnd();
}

function fold(summary: string, lines: string[]): string {
  return lines.length ? [`<details><summary>${summary}</summary>`, "", ...lines, "", "</details>"].join("\n") : "";
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
  const status = (pending?: boolean) => (pending ? "**open**: added by this PR; someone allowed to attest the category dismisses it" : "closed");
  const rows = result.suppressions
    .slice(0, MAX_ROWS)
    .map((s) => `| ${cell(codeSpan(s.ruleId))} | ${cell(codeSpan(s.path))}:${s.line} | ${cell(richText(s.reason))} | ${status(s.pending)} |`);
  return [
    `### Suppressions (${result.suppressions.length})`,
    "| Rule | Where | Reason | Finding |",
    "| --- | --- | --- | --- |",
    ...rows,
    more(result.suppressions.length),
  ].join("\n");
}

const DISMISSED_START = "<!-- ai-gaps:dismissed -->";
const DISMISSED_END = "<!-- /ai-gaps:dismissed -->";
export const DISMISSED_SECTION = /<!-- ai-gaps:dismissed -->[\s\S]*?<!-- \/ai-gaps:dismissed -->/;

export interface History {
  log: LogEntry[];
  trimmed?: LogTrimmed;
}

const when = (at: string) => `${at.slice(0, 16).replace("T", " ")} UTC`;

/** Dismissed findings and the history of dismissals, between markers so a later tick can rewrite this section alone. */
export function renderDismissed(dismissed: Dismissal[], history: History = { log: [] }): string {
  const rows = dismissed
    .slice(0, MAX_ROWS)
    .map((d) => `| ${cell(codeSpan(d.ruleId))} | ${cell(codeSpan(d.path))} | ${reasonLabel(d.reason)} | @${d.by}, ${when(d.at)}, at \`${d.sha.slice(0, 7)}\` |`);
  const table = rows.length
    ? [`### Dismissed findings (${dismissed.length})`, "| Rule | File | Reason | By |", "| --- | --- | --- | --- |", ...rows, more(dismissed.length)].join("\n")
    : "";
  const body = [table, historyFold(history)].filter(Boolean).join("\n\n");
  return `${DISMISSED_START}\n${body}\n${DISMISSED_END}`;
}

const ACTS: Record<LogEntry["act"], string> = { dismiss: "dismissed", approve: "approved the suppression", reopen: "reopened" };

/** The history, oldest first, folded: what each entry did, to which finding instance, at which head. */
function historyFold({ log, trimmed }: History): string {
  if (!log.length) return "";
  const total = log.length + (trimmed?.count ?? 0);
  const rows = log.map((e) => {
    const what = `${ACTS[e.act]}${e.reason ? ` as ${reasonLabel(e.reason)}` : ""}`;
    const finding = `${codeSpan(e.ruleId)} in ${codeSpan(`${e.path}${e.line ? `:${e.line}` : ""}`)} (${codeSpan(e.fp.slice(0, 8))})`;
    return `| ${when(e.at)} | @${e.by} | ${what} | ${cell(finding)} | \`${e.sha.slice(0, 7)}\` |`;
  });
  const earlier = trimmed ? [`${plural(trimmed.count, "earlier entry", "earlier entries")} folded into a hash chain (\`${trimmed.digest.slice(0, 12)}\`).`, ""] : [];
  return fold(`Dismissal history (${plural(total, "entry", "entries")})`, [
    "Appended to the signed record in the checklist comment, never rewritten: an edit of any entry fails its signature.",
    "",
    ...earlier,
    "| When | Who | What | Finding | Head |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ]);
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
    summary: truncate(`The review stopped with an error: ${message}\n\nPress Re-run on this check, or push a commit, to try again.`, MAX_OUTPUT_CHARS),
  };
}
