// Precision and recall per category on the held-out corpus (bench/corpus/).
// Run: npx tsx bench/precision.ts [folder-prefix]   (or npm run bench:precision)
import { bundledDefaults } from "../src/config/files.js";
import { CATEGORIES } from "../src/engine/categories.js";
import { review } from "../src/engine/index.js";
import type { Finding } from "../src/engine/types.js";
import { rules } from "../checks/index.js";
import { loadCorpus, type Expectation } from "./corpus.js";

const TOLERANCE = 3; // lines: a finding on the statement's first line or the call's line both count

const categoryOf = new Map(rules.map((r) => [r.meta.id, r.meta.category]));
// Marks naming a retired rule count for the rule that took it over.
const retired = new Map(rules.flatMap((r) => (r.meta.replaces ?? []).map((old) => [old, r.meta.id] as const)));
const tally = new Map(CATEGORIES.map((c) => [c.id, { tp: 0, fp: 0, fn: 0 }]));
const misses: string[] = [];

function matches(f: Finding, e: Expectation): boolean {
  if (f.ruleId !== e.ruleId || f.path !== e.path) return false;
  return !e.path || (e.line >= f.line - TOLERANCE && e.line <= f.endLine + TOLERANCE);
}

const only = process.argv[2] ?? "";
// AI_GAPS_HOLDOUT_PREFIX=h5- keeps a held-out set being written out of runs that do not name it.
const holdout = process.env.AI_GAPS_HOLDOUT_PREFIX;
const hidden = (name: string) => Boolean(holdout) && name.startsWith(holdout!) && !only.startsWith(holdout!);
const selected = loadCorpus()
  .filter((p) => p.name.startsWith(only) && !hidden(p.name))
  .map((p) => ({ ...p, expected: p.expected.map((e) => ({ ...e, ruleId: retired.get(e.ruleId) ?? e.ruleId })) }));
for (const pr of selected) {
  const config = bundledDefaults();
  config.review.filter = "file";
  const result = await review({ files: pr.files, repoFiles: pr.repoFiles, pr: pr.pr, config });
  const findings = result.findings.filter((f) => f.ruleId !== "suppression-without-reason");
  const matched = new Set<Expectation>();
  for (const f of findings) {
    // The nearest expectation not yet matched, else one already matched (a duplicate report, not a false positive).
    const candidates = pr.expected.filter((x) => matches(f, x)).sort((a, b) => Math.abs(a.line - f.line) - Math.abs(b.line - f.line));
    const e = candidates.find((x) => !matched.has(x)) ?? candidates[0];
    const t = tally.get(f.category)!;
    if (!e) {
      t.fp++;
      misses.push(`FP ${pr.name}/${f.path}:${f.line} ${f.ruleId}: ${f.message}`);
    } else if (!matched.has(e)) {
      t.tp++;
      matched.add(e);
    }
  }
  for (const e of pr.expected.filter((x) => !matched.has(x))) {
    tally.get(categoryOf.get(e.ruleId) ?? "resilience")!.fn++;
    misses.push(`FN ${pr.name}/${e.path || "(pr)"}:${e.line} ${e.ruleId}`);
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : "n/a");
console.log("category                    TP  FP  FN  precision  recall");
let all = { tp: 0, fp: 0, fn: 0 };
for (const c of CATEGORIES) {
  const t = tally.get(c.id)!;
  all = { tp: all.tp + t.tp, fp: all.fp + t.fp, fn: all.fn + t.fn };
  console.log(`${c.name.padEnd(26)} ${String(t.tp).padStart(3)} ${String(t.fp).padStart(3)} ${String(t.fn).padStart(3)}  ${pct(t.tp, t.tp + t.fp).padStart(9)}  ${pct(t.tp, t.tp + t.fn).padStart(6)}`);
}
console.log(`${"all".padEnd(26)} ${String(all.tp).padStart(3)} ${String(all.fp).padStart(3)} ${String(all.fn).padStart(3)}  ${pct(all.tp, all.tp + all.fp).padStart(9)}  ${pct(all.tp, all.tp + all.fn).padStart(6)}`);
if (misses.length) console.log("\n" + misses.join("\n"));
