// The convergence monitor's pure side: the paper's verdict table, error-line counting, loop signs, the
// batch migration (from a real stale-dependents run) and the section.
import { describe, expect, test } from "@jest/globals";
import { defaultConfig } from "../../src/config/schema.js";
import {
  batchMigration,
  changesOf,
  countErrorLines,
  evaluate,
  judge,
  messageSigns,
  migrationScript,
  readSectionData,
  renderSection,
  replaceSection,
  silencingSigns,
  withStopItem,
  STOP_ITEM_ID,
  type CommitCount,
} from "../../src/convergence/index.js";
import { review } from "../../src/engine/index.js";

const T = defaultConfig().cascade.monitor;
const sha = (i: number) => i.toString(16).padStart(7, "0") + "f".repeat(33);
const series = (counts: (number | "pending" | "no-ci")[]): CommitCount[] =>
  counts.map((c, i) =>
    typeof c === "number"
      ? { sha: sha(i + 1), message: `fix ${i + 1}`, status: "counted", errors: c, source: "annotations (build)" }
      : { sha: sha(i + 1), message: `fix ${i + 1}`, status: c, source: c === "pending" ? "CI running" : "no checks ran" },
  );

/** The paper's incident: 214 errors, 30 commits over a day, down, up and sideways, 14 left. */
export const INCIDENT = [214, 188, 161, 140, 122, 109, 97, 91, 84, 88, 79, 73, 75, 66, 61, 63, 55, 51, 52, 46, 41, 43, 37, 33, 34, 29, 26, 18, 16, 14];

describe("verdict (paper section 4.3, recommendation 3)", () => {
  test("the incident's series is critical: the last commits resolve fewer than 3 errors each", () => {
    const v = evaluate(series([...INCIDENT.slice(0, 26), 24, 22, 20, 19]), T);
    expect(v.level).toBe("critical");
    expect(v.sentence).toBe("not converging: 3 commits in a row resolved fewer than 3 errors");
    expect(v.metrics).toMatchObject({ stalled: 3, trend: "decreasing", from: 24, to: 19 });
    expect(v.advice).toMatch(/^Stop fixing error by error/);
  });

  test("errors rising over the window are critical even when earlier commits resolved many", () => {
    const v = evaluate(series([120, 80, 40, 30, 31, 36, 44]), T);
    expect(v.level).toBe("critical");
    expect(v.metrics?.trend).toBe("increasing");
    expect(v.sentence).toBe("not converging: 3 commits in a row resolved fewer than 3 errors");
    expect(evaluate(series([50, 40, 30, 20, 25, 35, 45]), { ...T, stalled_critical: 5 }).sentence).toBe("not converging: errors rose from 20 to 45 over the last 3 commits");
  });

  test("a steadily falling series is healthy and says so briefly", () => {
    const v = evaluate(series([40, 33, 26, 18, 9]), T);
    expect(v.level).toBe("healthy");
    expect(v.sentence).toBe("converging: 40 → 9 errors over 5 commits (8 resolved per commit)");
    const done = evaluate(series([40, 32, 24, 16, 8, 0]), T);
    expect(done.level).toBe("healthy");
    expect(done.sentence).toBe("converging: 40 → 0 errors over 6 commits");
  });

  test("3 to 4 resolved per commit is a warning (the paper's middle column)", () => {
    const v = evaluate(series([60, 56, 53, 49]), T);
    expect(v.level).toBe("warning");
    expect(v.metrics?.rate).toBeCloseTo(3.7, 1);
    expect(v.sentence).toMatch(/^slowing down: /);
  });

  test("one stalled commit is a warning, three in a row critical", () => {
    expect(evaluate(series([60, 50, 40, 39]), T).level).toBe("warning");
    expect(evaluate(series([60, 50, 40, 39, 38, 37]), T).level).toBe("critical");
  });

  test("pending CI on the head gives no verdict, and is never counted as zero", () => {
    const v = evaluate(series([40, 39, 38, "pending"]), T);
    expect(v.level).toBe("pending");
    expect(v.sentence).toMatch(/^waiting for CI on 0000004/);
    expect(v.rows[3].errors).toBeUndefined();
  });

  test("commits without CI in between share the drop between their neighbours", () => {
    const v = evaluate(series([40, "no-ci", "no-ci", 28]), T);
    expect(v.rows[3].resolved).toBe(4);
    expect(v.metrics?.stalled).toBe(0);
  });

  test("thresholds come from cascade.monitor", () => {
    const strict = { ...T, stall_below: 1, stalled_critical: 5, critical_resolved: 0.5, healthy_resolved: 1 };
    expect(evaluate(series([60, 59, 58, 57]), strict).level).toBe("healthy");
  });

  test("a single commit with errors has no verdict yet", () => {
    expect(evaluate(series([12]), T).level).toBe("none");
  });
});

describe("error lines and loop signs", () => {
  test("tsc, rustc/cargo, mypy, pyright, eslint and go vet lines count; summaries and noise do not", () => {
    const log = [
      "2026-01-01T10:00:00.0000000Z src/a.ts(3,5): error TS2304: Cannot find name 'computeTotal'.",
      "2026-01-01T10:00:00.1000000Z src/b.ts:7:1 - error TS2554: Expected 2 arguments, but got 1.",
      "\u001b[31merror[E0425]\u001b[0m: cannot find function `save` in this scope",
      "error: mismatched types",
      "error: aborting due to 3 previous errors",
      "error: could not compile `ledger` (lib) due to 3 previous errors",
      "app/models.py:12: error: Incompatible types in assignment  [assignment]",
      "  /repo/app/api.py:40:9 - error: \"x\" is not defined (reportUndefinedVariable)",
      "   12:5  error  'x' is not defined  no-undef",
      "./main.go:10:2: undefined: Save",
      "Found 1 error in 1 file (checked 3 source files)",
      "warning: unused variable",
    ].join("\n");
    expect(countErrorLines(log)).toBe(8);
    expect(countErrorLines("E: bad thing\nE: other\nok", [/^E: /])).toBe(2);
    expect(countErrorLines(log, [], [/TS\d+/])).toBe(2);
  });

  test("commit messages of a local fix loop, and casts added to silence the compiler", () => {
    const signs = messageSigns([
      { sha: sha(1), message: "partial fix for the repository macro" },
      { sha: sha(2), message: "WIP: more errors" },
      { sha: sha(3), message: "Revert \"fix save()\"" },
      { sha: sha(4), message: "Add invoice totals" },
    ]);
    expect(signs.map((s) => s.what.toLowerCase())).toEqual(["partial fix", "wip", "revert"]);
    const patch = "@@ -1,2 +1,4 @@\n const a = 1;\n+const b = load() as any;\n+// @ts-ignore\n-old\n+#[allow(dead_code)]\n x = f()  # type: ignore";
    expect(silencingSigns("src/a.ts", patch)).toEqual([
      { kind: "silencing", where: "src/a.ts:2", what: "as any" },
      { kind: "silencing", where: "src/a.ts:3", what: "@ts-ignore" },
      { kind: "silencing", where: "src/a.ts:4", what: "#[allow(...)]" },
    ]);
  });
});

const PRICING = "export interface Price { cents: number }\n\nexport function computeTotal(items: Price[]): number {\n  return items.reduce((s, i) => s + i.cents, 0);\n}\n";

async function renameReview() {
  return review({
    files: [{ path: "src/billing/pricing.ts", status: "modified", baseContent: PRICING, content: PRICING.replace("computeTotal", "calculateTotal"), patch: "@@ -3 +3 @@\n-export function computeTotal(items: Price[]): number {\n+export function calculateTotal(items: Price[]): number {" }],
    repoFiles: [
      { path: "src/billing/invoice.ts", content: 'import { computeTotal, type Price } from "./pricing.js";\nexport const invoice = (i: Price[]) => computeTotal(i);\n' },
      { path: "src/api/cart.ts", content: 'import { computeTotal } from "../billing/pricing.js";\nexport const cart = (i: never[]) => computeTotal(i);\n' },
    ],
    pr: { title: "Rename", body: "", commitMessages: [] },
    config: defaultConfig(),
  });
}

describe("batch migration", () => {
  test("built from the rename stale-dependents detected: exact files, then the check command", async () => {
    const result = await renameReview();
    const changes = changesOf(result.findings);
    expect(changes).toEqual([
      { kind: "renamed", language: "typescript", symbol: "function", name: "computeTotal", newName: "calculateTotal", definedIn: "src/billing/pricing.ts", files: ["src/api/cart.ts", "src/billing/invoice.ts"] },
    ]);
    const script = migrationScript(batchMigration(changes)!);
    expect(script).toContain(`rg -l '\\bcomputeTotal\\b' 'src/api/cart.ts' 'src/billing/invoice.ts' | xargs sd '\\bcomputeTotal\\b' 'calculateTotal'`);
    expect(script).toContain("npx tsc --noEmit");
  });

  test("methods and macros use their call forms; arity changes only list the calls", () => {
    const m = batchMigration([
      { kind: "renamed", language: "rust", symbol: "method", owner: "OrderRepo", name: "save", newName: "db_save", definedIn: "src/repo.rs", files: ["src/service.rs"] },
      { kind: "arity", language: "rust", symbol: "macro", name: "repository", definedIn: "src/macros.rs", files: ["src/orders/repo.rs"] },
    ])!;
    const script = migrationScript(m);
    expect(script).toContain(`rg -l '\\.save\\(' 'src/service.rs' | xargs sd '\\.save\\(' '.db_save('`);
    expect(script).toContain(`rg -n '\\brepository!' 'src/orders/repo.rs'`);
    expect(script).toContain("cargo check --workspace --all-targets");
    expect(batchMigration([])).toBeUndefined();
  });

  test("no rename is scripted without a detected replacement", () => {
    const script = migrationScript(batchMigration([{ kind: "removed", language: "typescript", symbol: "value", name: "LIMIT", definedIn: "src/a.ts", files: ["src/b.ts"] }])!);
    expect(script).not.toContain("xargs sd");
    expect(script).toContain("rg -n '\\bLIMIT\\b' 'src/b.ts'");
  });
});

describe("section and checklist item", () => {
  test("critical: verdict sentence, table, chart, migration; the data block survives a re-read", async () => {
    const result = await renameReview();
    const known = { changes: changesOf(result.findings), silencing: [{ kind: "silencing" as const, where: "src/a.ts:2", what: "as any" }] };
    const commits = series([60, 50, 40, 39, 38, 37]).map((c) => ({ sha: c.sha, message: c.message }));
    const j = judge(series([60, 50, 40, 39, 38, 37]), defaultConfig(), commits, known);
    expect(j.verdict.level).toBe("critical");
    expect(j.finding).toMatchObject({ ruleId: "cascade-not-converging", category: "cascade", path: "" });
    expect(j.section).toContain("## Convergence");
    expect(j.section).toContain("**🛑 Critical: Not converging: 3 commits in a row resolved fewer than 3 errors.**");
    expect(j.section).toContain("| `0000006` | fix 6 | 37 | +1 | annotations (build) |");
    expect(j.section).toContain("xychart-beta");
    expect(j.section).toContain("line [60, 50, 40, 39, 38, 37]");
    expect(j.section).toContain("xargs sd '\\bcomputeTotal\\b' 'calculateTotal'");
    expect(j.section).toContain("`as any` added at src/a.ts:2 silences the compiler");
    expect(readSectionData(j.section)).toEqual(known);
  });

  test("healthy folds the detail; replaceSection swaps only the section", () => {
    const s = renderSection({ verdict: evaluate(series([40, 20, 0]), T) });
    expect(s).toContain("**✅ Healthy: Converging: 40 → 0 errors over 3 commits.**");
    expect(s).toContain("<details><summary>Errors per commit (3 commits)</summary>");
    const text = replaceSection("Findings by file…", s);
    const again = replaceSection(text, renderSection({ verdict: evaluate(series([40, 39, "pending"]), T) }));
    expect(again.startsWith("Findings by file…\n\n")).toBe(true);
    expect(again).toContain("Pending");
    expect(again).not.toContain("Healthy");
  });

  test("the stop-and-batch item comes with a critical verdict and goes without", () => {
    const lines = [{ kind: "text" as const, text: "### checklist" }];
    const added = withStopItem(lines, true);
    expect(added.find((l) => l.kind === "item")).toMatchObject({ item: { id: STOP_ITEM_ID, category: "cascade", required: true } });
    expect(withStopItem(added, true)).toBe(added);
    expect(withStopItem(added, false)).toEqual(lines);
  });
});
