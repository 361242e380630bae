// The check run's coverage section: which rule did not finish on which file, and why.
import type { EngineResult } from "../engine/types.js";
import { cell, codeSpan, plainText } from "./markdown.js";
import { plural } from "./text.js";

const MAX_ROWS = 200;

export function renderCoverage(result: EngineResult): string {
  const gaps = result.coverage;
  if (!gaps.length) return "";
  const files = new Set(gaps.map((g) => g.path).filter(Boolean));
  const rows = gaps
    .slice(0, MAX_ROWS)
    .map((g) => `| ${g.path ? cell(codeSpan(g.path)) : "the PR as a whole"} | ${g.ruleId ? cell(codeSpan(g.ruleId)) : "every rule"} | ${cell(plainText(g.reason))} |`);
  return [
    `### Coverage: ${plural(files.size, "file")} not fully analysed`,
    "Findings of these rules on these files may be missing. Each changed file listed here holds the gate as a `not-analysed` finding until someone allowed to tick its category reviews it by hand and dismisses the finding.",
    "",
    "| File | Rule | Why |",
    "| --- | --- | --- |",
    ...rows,
    ...(gaps.length > MAX_ROWS ? [`\n…and ${gaps.length - MAX_ROWS} more.`] : []),
  ].join("\n");
}
