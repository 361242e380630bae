// The cascade convergence monitor's pure side: verdict, batch migration, check-run section, checklist item.
import type { ChecklistLine } from "../checklist/template.js";
import type { Config } from "../config/schema.js";
import type { Finding } from "../engine/types.js";
import { batchMigration } from "./migration.js";
import { messageSigns } from "./patterns.js";
import { renderSection, type SectionData } from "./render.js";
import { evaluate, type CommitCount, type Verdict } from "./verdict.js";

export * from "./migration.js";
export * from "./patterns.js";
export * from "./render.js";
export * from "./verdict.js";

export const NOT_CONVERGING_RULE = "cascade-not-converging";
export const STOP_ITEM_ID = "cascade.stop-and-batch";
const STOP_HEADING = "\n#### Cascade fix series not converging";
const STOP_TEXT =
  "**Stop fixing error by error:** inventory every breaking change, then migrate in one batch (the check run's Convergence section has the commands).";

export interface Judgement {
  verdict: Verdict;
  section: string;
  /** The PR-level finding for a critical verdict. */
  finding?: Finding;
}

/**
 * The verdict over the series and the section showing it. `known` is what the review found that the counts
 * cannot tell: the breaking changes (for the batch migration) and the silencing casts in the diff.
 */
export function judge(series: CommitCount[], config: Config, commits: { sha: string; message: string }[], known: SectionData): Judgement {
  const signs = [...messageSigns(commits), ...known.silencing];
  const verdict = evaluate(series, config.cascade.monitor, signs);
  const critical = verdict.level === "critical";
  const migration = critical ? batchMigration(known.changes) : undefined;
  return { verdict, section: renderSection({ verdict, migration, data: known }), finding: critical ? notConvergingFinding(verdict) : undefined };
}

export function notConvergingFinding(verdict: Verdict): Finding {
  return {
    ruleId: NOT_CONVERGING_RULE,
    category: "cascade",
    path: "",
    line: 0,
    endLine: 0,
    severity: "warning",
    message: `The fix series is ${verdict.sentence}.`,
    remediation: "Stop fixing error by error: inventory every breaking change, then migrate all dependents in one batch (see the Convergence section).",
    fingerprint: NOT_CONVERGING_RULE,
  };
}

/** Checklist lines with the stop-and-batch item when the verdict is critical, without it otherwise. */
export function withStopItem(lines: ChecklistLine[], critical: boolean): ChecklistLine[] {
  const has = lines.some((l) => l.kind === "item" && l.item.id === STOP_ITEM_ID);
  if (critical === has) return lines;
  if (!critical) return lines.filter((l) => !(l.kind === "item" && l.item.id === STOP_ITEM_ID) && !(l.kind === "text" && l.text === STOP_HEADING));
  return [
    ...lines,
    { kind: "text", text: STOP_HEADING },
    { kind: "item", item: { id: STOP_ITEM_ID, text: STOP_TEXT, category: "cascade", required: true } },
  ];
}
