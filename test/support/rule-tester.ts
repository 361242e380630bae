// A RuleTester in the spirit of ESLint's: run a rule's own cases through the real engine.
import { defaultConfig } from "../../src/config/schema.js";
import { review } from "../../src/engine/index.js";
import type { Rule, RuleCase } from "../../src/engine/rule.js";
import type { ChangedFile, Language } from "../../src/engine/types.js";

const DEFAULT_PATH: Record<Language, string> = { typescript: "src/case.ts", rust: "src/case.rs", python: "app/case.py" };

export function caseFiles(c: RuleCase): { changed: ChangedFile[]; repo: { path: string; content: string }[] } {
  const files = c.files ?? [{ path: c.path ?? DEFAULT_PATH[c.language ?? "typescript"], code: c.code ?? "" }];
  return {
    changed: files
      .filter((f) => f.changed !== false)
      .map((f) => ({ path: f.path, status: f.base === undefined ? "added" : "modified", content: f.code, baseContent: f.base })),
    repo: files.filter((f) => f.changed === false).map((f) => ({ path: f.path, content: f.code })),
  };
}

/** The findings a rule reports on a case, as the `expect` list would write them. */
export async function runCase(rule: Rule<any>, c: RuleCase): Promise<(number | string)[]> {
  return (await caseFindings(rule, c)).map((f) => f.at).sort(compare);
}

/** The rule's findings on a case: where (as `expect` writes it) and the message. */
export async function caseFindings(rule: Rule<any>, c: RuleCase): Promise<{ at: number | string; message: string }[]> {
  const config = defaultConfig();
  config.rules[rule.meta.id] = rule.meta.severity;
  config.review.filter = "file";
  const { changed, repo } = caseFiles(c);
  const result = await review({
    files: changed,
    repoFiles: repo,
    pr: { title: c.pr?.title ?? "", body: c.pr?.body ?? "", commitMessages: c.pr?.commitMessages ?? [] },
    config,
    rules: [rule],
  });
  const multi = Boolean(c.files);
  return result.findings
    .filter((f) => f.ruleId === rule.meta.id)
    .map((f) => ({ at: !f.path ? "pr" : multi ? `${f.path}:${f.line}` : f.line, message: f.message }));
}

export function compare(a: number | string, b: number | string): number {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}

/** Counts of flagged and clean cases per language ("pr" for PR-level cases). */
export function caseCounts(rule: Rule<any>): Record<string, { flagged: number; clean: number }> {
  const counts: Record<string, { flagged: number; clean: number }> = {};
  const prOnly = rule.meta.languages.every((l) => l === "pr");
  for (const c of rule.cases) {
    const lang = prOnly ? "pr" : caseLanguage(c);
    counts[lang] ??= { flagged: 0, clean: 0 };
    counts[lang][c.expect.length ? "flagged" : "clean"]++;
  }
  return counts;
}

export function caseLanguage(c: RuleCase): string {
  if (c.language) return c.language;
  const path = c.files?.[0]?.path ?? c.path ?? "";
  if (/\.rs$/.test(path)) return "rust";
  if (/\.py$/.test(path)) return "python";
  if (/\.[cm]?[jt]sx?$/.test(path)) return "typescript";
  return "pr";
}
