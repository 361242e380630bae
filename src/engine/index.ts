// The engine: (changed files, contents, PR text, config) -> classification + findings. Pure: no network.
import { createHash } from "node:crypto";
import { rules as allRules } from "../../checks/index.js";
import type { Config } from "../config/schema.js";
import { SEVERITY_RANK } from "./categories.js";
import { reviewPipelines } from "../../checks/_lib/pipeline/index.js";
import { scriptTargets } from "../../checks/_lib/context.js";
import { ruleLevel } from "./rule-meta.js";
import { classifyFile, classifyPr } from "./classify.js";
import { changedPipelines } from "./pipelines.js";
import { inFilter, parsePatch } from "./diff.js";
import { disposeFiles, parseFiles } from "./parse.js";
import { BudgetExceeded, setMemoryCeiling, withDeadline } from "./budget.js";
import type { ParsedFile, Report, ReviewFacts, Rule, RuleContext } from "./rule.js";
import { contentSkipReason, generatedReason, planFiles } from "./select.js";
import { applySuppressions } from "./suppress.js";
import { numberInstances } from "./fingerprint.js";
import { NOT_ANALYSED } from "./types.js";
import type {
  CategoryId,
  ChangedFile,
  CoverageGap,
  EngineResult,
  FileClassification,
  Finding,
  PipelineView,
  PullRequestText,
  RepoFile,
  Severity,
} from "./types.js";

export interface EngineInput {
  files: ChangedFile[];
  /** Unchanged repository files at the head SHA, read for cross-file rules (optional). */
  repoFiles?: RepoFile[];
  pr: PullRequestText;
  config: Config;
  rules?: Rule<any>[];
  /** Steps known not to finish (a worker stopped on them): reported as gaps and not run again. */
  skip?: CoverageGap[];
  /** Milliseconds left for the review (default limits.review_seconds). */
  timeLeftMs?: number;
  /** Told before each step starts: a file being parsed (no ruleId) or a rule on a file ("" for PR-wide). */
  onStep?: (step: { ruleId?: string; path: string }) => void;
}

export { planFiles } from "./select.js";

/** Which files are analysed, which only classified (with why), from paths and content. */
function selectFiles(input: EngineInput) {
  const { config } = input;
  const plan = planFiles(input.files, config);
  const skipped = [...plan.skipped, ...plan.classify.map((f) => ({ path: f.path, reason: generatedReason(f)! }))];
  // Not analysed, but still classified from their path and content: a skip never drops a category.
  const classifyOnly = [...plan.classify];
  const readable = plan.read.filter((file) => {
    const reason = contentSkipReason(file, config);
    if (reason) skipped.push({ path: file.path, reason });
    if (reason) classifyOnly.push(file);
    return !reason;
  });
  const classify = (findings: Finding[]) => {
    const files = readable.map((f) => classifyFile(f.path, f.content, findings, config));
    for (const f of classifyOnly) files.push(classifyFile(f.path, f.content, [], config));
    for (const s of plan.skipped) if (s.reason !== "removed") files.push(classifyFile(s.path, undefined, [], config));
    return files;
  };
  return { skipped, readable, classify };
}

/**
 * The result of a review stopped from outside (its worker ended): the rules' findings are lost, so every file
 * analysed would have been is not analysed, with the gaps known so far and `reason` for the rest.
 */
export function stoppedReview(input: EngineInput, gaps: CoverageGap[], reason: string): EngineResult {
  const { skipped, readable, classify } = selectFiles(input);
  const named = new Set(gaps.map((g) => g.path));
  const coverage = [...gaps, ...readable.filter((f) => !named.has(f.path)).map((f) => ({ path: f.path, reason }))];
  if (!readable.length) coverage.push({ path: "", reason });
  const findings = notAnalysedFindings(coverage, readable, classify([]), input.config);
  const files = classify(findings);
  return { files, pr: classifyPr(input.pr, files, findings, input.config), findings: sortFindings(findings), suppressions: [], skipped, notes: [], coverage };
}

export async function review(input: EngineInput): Promise<EngineResult> {
  const { config, pr } = input;
  const clock = new Clock(config, input.timeLeftMs);
  setMemoryCeiling(config.limits.memory_mb);
  const { skipped, readable, classify } = selectFiles(input);
  const gaps: CoverageGap[] = [];
  const skipWhole = new Set((input.skip ?? []).filter((g) => !g.ruleId).map((g) => g.path));
  const sources = [
    ...readable.map((f) => ({ path: f.path, content: f.content!, changed: true, baseContent: f.baseContent })),
    ...(input.repoFiles ?? []).map((f) => ({ path: f.path, content: f.content, changed: false })),
  ];
  const { parsed, failed } = await parseFiles(
    sources.filter((f) => !skipWhole.has(f.path)),
    (path) => input.onStep?.({ path }),
  );
  markScripts(parsed, [...input.files, ...(input.repoFiles ?? [])]);
  try {
    for (const f of failed) gaps.push({ path: f.path, reason: `could not be parsed: ${firstLine(f.message)}` });
    for (const g of input.skip ?? []) gaps.push(g);
    const runner = new RuleRunner(parsed, pr, config, clock, gaps, input);
    const raw = numberInstances(runner.run(input.rules ?? allRules));
    const { findings, suppressions } = applySuppressions(raw, parsed, retiredIds(input.rules ?? allRules), readable, config);
    const kept = filterToDiff(findings, readable, config);
    // A not-analysed file counts in its finding's category, so even a file in no category holds the gate.
    const first = classify(kept);
    const unread = notAnalysedFindings(gaps, readable, first, config);
    const all = [...kept, ...unread];
    const files = unread.length ? classify(all) : first;
    return {
      files,
      pr: classifyPr(pr, files, all, config),
      findings: sortFindings(all),
      suppressions,
      skipped,
      notes: [],
      coverage: gaps,
      ruleMs: runner.ms,
      pipelines: await pipelinesOf(parsed, clock, gaps),
    };
  } finally {
    disposeFiles(parsed);
  }
}

/** Files a package.json script runs (from the manifests among the inputs) are scripts: checks/_lib/context.ts. */
function markScripts(parsed: ParsedFile[], inputs: { path: string; content?: string }[]): void {
  const manifests = inputs.filter((f): f is { path: string; content: string } => /(^|\/)package\.json$/.test(f.path) && typeof f.content === "string");
  if (!manifests.length) return;
  const targets = scriptTargets(manifests);
  for (const f of parsed) {
    const by = targets.get(f.path);
    if (by) f.runBy = by;
  }
}

/** The changed request pipelines for the check run; when they cannot be built, a coverage note instead. */
async function pipelinesOf(parsed: ParsedFile[], clock: Clock, gaps: CoverageGap[]): Promise<PipelineView[] | undefined> {
  const deadline = clock.next("");
  if (!deadline) return undefined;
  try {
    const head = withDeadline(deadline.at, deadline.why, () => reviewPipelines({ files: parsed }));
    return await changedPipelines(parsed, head);
  } catch (error) {
    const why = error instanceof BudgetExceeded ? error.reason : `failed: ${firstLine(error instanceof Error ? error.message : String(error))}`;
    gaps.push({ path: "", reason: `the request-pipeline view ${why}` });
    return undefined;
  }
}

const firstLine = (message: string) => message.split("\n")[0].slice(0, 300);

/** The review's clock: a budget per file (all rules together) and one for the review. */
class Clock {
  readonly reviewEnd: number;
  readonly fileMs: number;
  readonly #used = new Map<string, number>();

  constructor(readonly config: Config, timeLeftMs?: number) {
    this.fileMs = config.limits.file_seconds * 1000;
    this.reviewEnd = performance.now() + (timeLeftMs ?? config.limits.review_seconds * 1000);
  }

  /** The deadline for the next step on a file, and what it stands for; undefined once nothing is left. */
  next(path: string): { at: number; why: string } | undefined {
    const now = performance.now();
    const fileLeft = path ? this.fileMs - (this.#used.get(path) ?? 0) : Number.POSITIVE_INFINITY;
    if (this.reviewEnd - now <= 0) return undefined;
    if (fileLeft <= 0) return undefined;
    return now + fileLeft < this.reviewEnd
      ? { at: now + fileLeft, why: `did not finish within the file's ${this.config.limits.file_seconds} s (limits.file_seconds)` }
      : { at: this.reviewEnd, why: `did not finish before the review's ${this.config.limits.review_seconds} s ran out (limits.review_seconds)` };
  }

  /** Why a step does not even start. */
  exhausted(path: string): string {
    return performance.now() >= this.reviewEnd
      ? `not run: the review's ${this.config.limits.review_seconds} s (limits.review_seconds) ran out`
      : `not run: other rules used up the file's ${this.config.limits.file_seconds} s (limits.file_seconds)`;
  }

  spend(path: string, ms: number): void {
    if (path) this.#used.set(path, (this.#used.get(path) ?? 0) + ms);
  }
}

/** Level for a rule: per-rule config, then the category's severity, then the rule's default. */
export { ruleLevel } from "./rule-meta.js";

/** Runs every rule on every file, each step under its budget; whatever fails or runs out becomes a gap. */
class RuleRunner {
  /** Milliseconds each rule took, summed over its steps. */
  readonly ms: Record<string, number> = {};
  readonly #findings: Finding[] = [];
  readonly #byPath: Map<string, ParsedFile>;
  readonly #skip: Set<string>;

  constructor(
    readonly parsed: ParsedFile[],
    readonly pr: PullRequestText,
    readonly config: Config,
    readonly clock: Clock,
    readonly gaps: CoverageGap[],
    readonly input: EngineInput,
  ) {
    this.#byPath = new Map(parsed.map((f) => [f.path, f]));
    this.#skip = new Set((input.skip ?? []).map((g) => `${g.ruleId ?? ""}\0${g.path}`));
  }

  run(rules: Rule<any>[]): Finding[] {
    for (const rule of rules) {
      const level = ruleLevel(rule, this.config);
      if (level !== "off") this.#runRule(rule, level);
    }
    return this.#findings;
  }

  #runRule(rule: Rule<any>, level: Severity): void {
    const base: ReviewFacts = { files: this.parsed, pr: this.pr, config: this.config };
    const collected = this.#collect(rule, base);
    if (!collected) return;
    const ctx: RuleContext<unknown> = { ...base, facts: collected.facts };
    for (const file of this.parsed) {
      const detect = file.changed && !collected.failed.has(file.path) ? rule.detect?.[file.language] : undefined;
      if (!detect) continue;
      const reports = this.#step(rule, file.path, () => detect(file, ctx));
      for (const r of reports ?? []) this.#findings.push(makeFinding(rule, level, r, r.path ?? file.path, this.#byPath));
    }
    if (!rule.detectPr) return;
    const reports = this.#step(rule, "", () => rule.detectPr!(ctx));
    if (reports) for (const r of reports) this.#findings.push(makeFinding(rule, level, r, r.path ?? "", this.#byPath));
    else this.#blameChangedFiles(rule, collected.failed, "its check across the PR did not finish");
  }

  /**
   * The rule's cross-file facts. When collect() fails, each file is tried alone: the files it fails on are
   * gaps for this rule, and the facts come from the others, so one poison file does not disable the rule.
   */
  #collect(rule: Rule<any>, base: ReviewFacts): { facts: unknown; failed: Set<string> } | undefined {
    const failed = new Set<string>();
    if (!rule.collect) return { facts: undefined, failed };
    let gapsBefore = this.gaps.length;
    const whole = this.#step(rule, "", () => [rule.collect!(base)]);
    if (whole) return { facts: whole[0], failed };
    this.gaps.length = gapsBefore; // the whole pass failed: find the files it fails on instead
    for (const file of base.files) {
      if (!this.#step(rule, file.path, () => [rule.collect!({ ...base, files: [file] })])) failed.add(file.path);
    }
    gapsBefore = this.gaps.length;
    const rest = this.#step(rule, "", () => [rule.collect!({ ...base, files: base.files.filter((f) => !failed.has(f.path)) })]);
    if (rest) return { facts: rest[0], failed };
    this.gaps.length = gapsBefore;
    this.#blameChangedFiles(rule, failed, "its pass over all files failed (no single file causes it)");
    return undefined;
  }

  /** A PR-wide step that failed: a gap on every changed file the rule reads (so each can be dismissed). */
  #blameChangedFiles(rule: Rule<any>, already: Set<string>, why: string): void {
    for (const file of this.parsed) {
      if (file.changed && !already.has(file.path) && rule.meta.languages.includes(file.language)) {
        this.gaps.push({ path: file.path, ruleId: rule.meta.id, reason: why });
      }
    }
  }

  /** One rule on one file ("" for PR-wide) under its deadline; undefined (and a gap) when it did not finish. */
  #step<T>(rule: Rule<any>, path: string, fn: () => T[]): T[] | undefined {
    const ruleId = rule.meta.id;
    if (this.#skip.has(`${ruleId}\0${path}`)) return undefined;
    const deadline = this.clock.next(path);
    if (!deadline) {
      if (path) this.gaps.push({ path, ruleId, reason: this.clock.exhausted(path) });
      return undefined;
    }
    this.input.onStep?.({ ruleId, path });
    const start = performance.now();
    try {
      return withDeadline(deadline.at, deadline.why, fn);
    } catch (error) {
      const reason = error instanceof BudgetExceeded ? error.reason : `failed: ${firstLine(error instanceof Error ? error.message : String(error))}`;
      this.gaps.push({ path, ruleId, reason });
      return undefined;
    } finally {
      const took = performance.now() - start;
      this.clock.spend(path, took);
      this.ms[ruleId] = (this.ms[ruleId] ?? 0) + took;
    }
  }
}

const LOWER: Record<Severity, Severity> = { failure: "warning", warning: "notice", notice: "notice" };

/**
 * Fail closed: a changed file some rule could not finish on gets a failure-level finding, which holds the gate
 * (block mode) until someone allowed to tick the file's category dismisses it.
 */
function notAnalysedFindings(gaps: CoverageGap[], readable: ChangedFile[], files: FileClassification[], config: Config): Finding[] {
  const out: Finding[] = [];
  const changed = new Map(readable.map((f) => [f.path, f]));
  const byPath = new Map<string, CoverageGap[]>();
  for (const g of gaps) if (changed.has(g.path)) byPath.set(g.path, [...(byPath.get(g.path) ?? []), g]);
  for (const [path, list] of byPath) {
    const rules = [...new Set(list.map((g) => g.ruleId).filter(Boolean))];
    const what = rules.length && list.every((g) => g.ruleId) ? `${rules.length} rule(s) (${rules.slice(0, 5).join(", ")}${rules.length > 5 ? ", ..." : ""})` : "the rules";
    out.push({
      ruleId: NOT_ANALYSED,
      category: fileCategory(files.find((f) => f.path === path), config),
      path,
      line: firstChangedLine(changed.get(path)!),
      endLine: firstChangedLine(changed.get(path)!),
      severity: "failure",
      message: `ai-gaps could not analyse this file: ${what} did not finish (${list[0].reason}). Review it by hand, then dismiss this finding.`,
      remediation: "See the check run's coverage section for each rule and why. Someone allowed to tick this category dismisses this finding once the file is reviewed by hand.",
      // Bound to the file's content: a dismissal says "read by hand" of this text, not of what a later push puts there.
      fingerprint: createHash("sha1").update(`${NOT_ANALYSED}\0${path}\0`).update(changed.get(path)!.content ?? "").digest("hex").slice(0, 16),
    });
  }
  return out;
}

export { NOT_ANALYSED };

/** The category whose approvers must clear a not-analysed file: an independent one the file is in first. */
function fileCategory(file: FileClassification | undefined, config: Config): CategoryId {
  const cats = file?.categories.map((c) => c.category) ?? [];
  return cats.find((c) => config.checklist.independent.includes(c)) ?? cats[0] ?? "resilience";
}

function firstChangedLine(file: ChangedFile): number {
  const diff = parsePatch(file.patch);
  let first = 0;
  for (const line of diff.added.size ? diff.added : diff.visible) if (!first || line < first) first = line;
  return first || 1;
}

/** A line's code as fingerprints read it (whitespace runs as one space), remembered per file line. */
const codeOf = new WeakMap<ParsedFile, Map<number, string>>();
/** Past this length a line (minified code, one long line) stands in fingerprints by its digest. */
const LONG_LINE = 2000;

function fingerprintCode(file: ParsedFile | undefined, line: number): string {
  if (!file) return "";
  let known = codeOf.get(file);
  if (!known) codeOf.set(file, (known = new Map()));
  let code = known.get(line);
  if (code === undefined) {
    code = (file.lines[line - 1]?.trim() ?? "").replace(/\s+/g, " ");
    if (code.length > LONG_LINE) code = `sha1:${createHash("sha1").update(code).digest("hex")}`;
    known.set(line, code);
  }
  return code;
}

function makeFinding(rule: Rule<any>, severity: Severity, r: Report, path: string, parsed: Map<string, ParsedFile>): Finding {
  const file = parsed.get(path);
  const code = fingerprintCode(file, r.line);
  return {
    ruleId: rule.meta.id,
    category: rule.meta.category,
    path,
    line: r.line,
    endLine: Math.max(r.endLine ?? r.line, r.line),
    severity: r.lower ? LOWER[severity] : severity,
    message: r.message,
    remediation: rule.meta.fix,
    fingerprint: createHash("sha1").update(`${rule.meta.id}\0${path}\0${code}`).digest("hex").slice(0, 16),
    outsideDiff: r.anywhere || (file ? !file.changed : undefined),
    ...(r.alsoAt?.length ? { alsoAt: r.alsoAt } : {}),
    ...(r.change ? { change: r.change } : {}),
  };
}

/** Retired rule id -> the rule that took it over, so `ai-gaps-ignore <old-id>` keeps working. */
function retiredIds(rules: Rule<any>[]): Map<string, string> {
  return new Map(rules.flatMap((r) => (r.meta.replaces ?? []).map((old) => [old, r.meta.id] as const)));
}

function filterToDiff(findings: Finding[], files: ChangedFile[], config: Config): Finding[] {
  const diffs = new Map(files.map((f) => [f.path, parsePatch(f.patch)]));
  const byPath = new Map(files.map((f) => [f.path, f]));
  return findings.filter((f) => {
    if (!f.path || f.outsideDiff) return true;
    const diff = diffs.get(f.path);
    if (!diff) return false;
    const file = byPath.get(f.path)!;
    // A new file shown without a patch (too large) counts as all added.
    if (!file.patch && file.status === "added") return true;
    return inFilter(diff, config.review.filter, f.line, f.endLine) || (f.alsoAt ?? []).some((l) => inFilter(diff, config.review.filter, l, l));
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line,
  );
}
