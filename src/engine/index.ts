// The engine: (changed files, contents, PR text, config) -> classification + findings. Pure: no network.
import { createHash } from "node:crypto";
import { rules as allRules } from "../../checks/index.js";
import type { Config } from "../config/schema.js";
import { SEVERITY_RANK } from "./categories.js";
import { reviewPipelines } from "../../checks/_lib/pipeline/index.js";
import { classifyFile, classifyPr } from "./classify.js";
import { changedPipelines } from "./pipelines.js";
import { inFilter, parsePatch } from "./diff.js";
import { disposeFiles, parseFiles } from "./parse.js";
import type { ParsedFile, Report, Rule, RuleContext } from "./rule.js";
import { contentSkipReason, generatedReason, planFiles } from "./select.js";
import { findIgnores, ignoreFor } from "./suppress.js";
import type { ChangedFile, EngineResult, Finding, PullRequestText, RepoFile, RuleError, Severity, Suppression } from "./types.js";

export interface EngineInput {
  files: ChangedFile[];
  /** Unchanged repository files at the head SHA, read for cross-file rules (optional). */
  repoFiles?: RepoFile[];
  pr: PullRequestText;
  config: Config;
  rules?: Rule<any>[];
}

export { planFiles } from "./select.js";

export async function review(input: EngineInput): Promise<EngineResult> {
  const { config, pr } = input;
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
  const parsed = await parseFiles([
    ...readable.map((f) => ({ path: f.path, content: f.content!, changed: true, baseContent: f.baseContent })),
    ...(input.repoFiles ?? []).map((f) => ({ path: f.path, content: f.content, changed: false })),
  ]);
  try {
    const ruleErrors: RuleError[] = [];
    const raw = runRules(input.rules ?? allRules, parsed, pr, config, ruleErrors);
    const { findings, suppressions } = applySuppressions(raw, parsed, retiredIds(input.rules ?? allRules));
    const kept = filterToDiff(findings, readable, config);
    const files = readable.map((f) => classifyFile(f.path, f.content, kept, config));
    for (const f of classifyOnly) files.push(classifyFile(f.path, f.content, [], config));
    for (const s of plan.skipped) if (s.reason !== "removed") files.push(classifyFile(s.path, undefined, [], config));
    return {
      files,
      pr: classifyPr(pr, files, kept, config),
      findings: sortFindings(kept),
      suppressions,
      skipped,
      notes: [],
      ruleErrors,
      pipelines: await changedPipelines(parsed, reviewPipelines({ files: parsed })),
    };
  } finally {
    disposeFiles(parsed);
  }
}

/** Level for a rule: per-rule config, then the category's severity, then the rule's default. */
export function ruleLevel(rule: Rule<any>, config: Config): Severity | "off" {
  const cat = config.categories[rule.meta.category];
  if (!cat.enabled) return "off";
  const own = config.rules[rule.meta.id] ?? rule.meta.replaces?.map((id) => config.rules[id]).find(Boolean);
  return own ?? cat.severity ?? rule.meta.severity;
}

function runRules(rules: Rule<any>[], parsed: ParsedFile[], pr: PullRequestText, config: Config, errors: RuleError[]): Finding[] {
  const findings: Finding[] = [];
  const base = { files: parsed, pr, config };
  for (const rule of rules) {
    const level = ruleLevel(rule, config);
    if (level === "off") continue;
    // A rule that throws loses its findings for that file, not the whole review.
    const guard = <T>(path: string, fn: () => T[]): T[] => {
      try {
        return fn();
      } catch (error) {
        errors.push({ ruleId: rule.meta.id, path, message: error instanceof Error ? error.message : String(error) });
        return [];
      }
    };
    const facts = guard("", () => [rule.collect?.(base)])[0];
    const ctx: RuleContext<unknown> = { ...base, facts };
    const toFinding = (r: Report, path: string) => makeFinding(rule, level, r, path, parsed);
    for (const file of parsed) {
      const detect = file.changed ? rule.detect?.[file.language] : undefined;
      if (detect) for (const r of guard(file.path, () => detect(file, ctx))) findings.push(toFinding(r, r.path ?? file.path));
    }
    for (const r of guard("", () => rule.detectPr?.(ctx) ?? [])) findings.push(toFinding(r, r.path ?? ""));
  }
  return findings;
}

const LOWER: Record<Severity, Severity> = { failure: "warning", warning: "notice", notice: "notice" };

function makeFinding(rule: Rule<any>, severity: Severity, r: Report, path: string, parsed: ParsedFile[]): Finding {
  const file = parsed.find((f) => f.path === path);
  const code = file?.lines[r.line - 1]?.trim() ?? "";
  return {
    ruleId: rule.meta.id,
    category: rule.meta.category,
    path,
    line: r.line,
    endLine: Math.max(r.endLine ?? r.line, r.line),
    severity: r.lower ? LOWER[severity] : severity,
    message: r.message,
    remediation: rule.meta.fix,
    fingerprint: createHash("sha1").update(`${rule.meta.id}\0${path}\0${code.replace(/\s+/g, " ")}`).digest("hex").slice(0, 16),
    outsideDiff: r.anywhere || (file ? !file.changed : undefined),
  };
}

/** Retired rule id -> the rule that took it over, so `ai-gaps-ignore <old-id>` keeps working. */
function retiredIds(rules: Rule<any>[]): Map<string, string> {
  return new Map(rules.flatMap((r) => (r.meta.replaces ?? []).map((old) => [old, r.meta.id] as const)));
}

function applySuppressions(findings: Finding[], parsed: ParsedFile[], retired: Map<string, string>) {
  const kept: Finding[] = [];
  const suppressions: Suppression[] = [];
  const ignores = new Map(
    parsed.filter((f) => f.changed).map((f) => [f.path, findIgnores(f.lines).map((i) => ({ ...i, ruleId: retired.get(i.ruleId) ?? i.ruleId }))]),
  );
  for (const f of findings) {
    const ignore = ignoreFor(ignores.get(f.path) ?? [], f.ruleId, f.line);
    if (ignore?.reason) suppressions.push({ ruleId: f.ruleId, path: f.path, line: ignore.line, reason: ignore.reason });
    else kept.push(f);
  }
  for (const [path, list] of ignores) {
    for (const ig of list.filter((i) => !i.reason)) {
      kept.push({
        ruleId: "suppression-without-reason",
        category: "resilience",
        path,
        line: ig.line,
        endLine: ig.line,
        severity: "warning",
        message: `\`ai-gaps-ignore ${ig.ruleId}\` has no reason, so it suppresses nothing.`,
        remediation: `Write the reason after a colon: \`ai-gaps-ignore ${ig.ruleId}: <why this is safe>\`.`,
        fingerprint: createHash("sha1").update(`ignore\0${path}\0${ig.ruleId}`).digest("hex").slice(0, 16),
      });
    }
  }
  return { findings: kept, suppressions };
}

function filterToDiff(findings: Finding[], files: ChangedFile[], config: Config): Finding[] {
  const diffs = new Map(files.map((f) => [f.path, parsePatch(f.patch)]));
  return findings.filter((f) => {
    if (!f.path || f.outsideDiff) return true;
    const diff = diffs.get(f.path);
    if (!diff) return false;
    const file = files.find((x) => x.path === f.path)!;
    // A new file shown without a patch (too large) counts as all added.
    if (!file.patch && file.status === "added") return true;
    return inFilter(diff, config.review.filter, f.line, f.endLine);
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line,
  );
}
