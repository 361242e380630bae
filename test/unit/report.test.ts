import { CATEGORIES } from "../../src/engine/categories.js";
import type { EngineResult, Finding } from "../../src/engine/types.js";
import { completeRun } from "../../src/github/checks.js";
import {
  annotationFor,
  MAX_OUTPUT_CHARS,
  planAnnotations,
  renderConfigError,
  renderSummary,
  renderText,
  renderTitle,
  truncate,
} from "../../src/report/index.js";

function finding(i: number, severity: Finding["severity"], extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: "network-call-in-loop",
    category: "performance",
    path: `src/f${String(i).padStart(3, "0")}.ts`,
    line: i + 1,
    endLine: i + 1,
    severity,
    message: `finding ${i}`,
    remediation: "batch the calls",
    fingerprint: String(i),
    ...extra,
  };
}

function result(extra: Partial<EngineResult> = {}): EngineResult {
  return { files: [], pr: [], findings: [], suppressions: [], skipped: [], notes: [], coverage: [], ...extra };
}

const severities: Finding["severity"][] = ["notice", "warning", "failure"];

/** A stand-in for octokit.rest.checks.update that records each call. */
function recorder() {
  const calls: any[] = [];
  const octokit = { rest: { checks: { update: async (params: any) => void calls.push(params) } } } as any;
  return { calls, octokit };
}

describe("annotations", () => {
  test("120 annotations go in 3 requests, most severe first; only the last completes the run", async () => {
    const findings = Array.from({ length: 120 }, (_, i) => finding(i, severities[i % 3]));
    const { annotations, overflow } = planAnnotations(findings, 200);
    expect(overflow).toBe(0);
    const { calls, octokit } = recorder();
    const requests = await completeRun(octokit, { owner: "o", repo: "r" }, 7, "failure", { title: "t", summary: "s" }, annotations);
    expect(requests).toBe(3);
    expect(calls.map((c) => c.output.annotations.length)).toEqual([50, 50, 20]);
    expect(calls.map((c) => c.status)).toEqual([undefined, undefined, "completed"]);
    expect(calls[2].conclusion).toBe("failure");
    const levels = calls.flatMap((c) => c.output.annotations.map((a: any) => a.annotation_level));
    expect(levels.slice(0, 40).every((l: string) => l === "failure")).toBe(true);
    expect(levels.slice(80).every((l: string) => l === "notice")).toBe(true);
    for (const c of calls) expect(c.output.title).toBe("t");
  });

  test("no annotations: a single completing request", async () => {
    const { calls, octokit } = recorder();
    expect(await completeRun(octokit, { owner: "o", repo: "r" }, 7, "success", { title: "t", summary: "s" })).toBe(1);
    expect(calls[0].output.annotations).toBeUndefined();
  });

  test("the cap keeps the most severe and counts the rest as overflow, named in the summary", () => {
    const findings = [...Array.from({ length: 8 }, (_, i) => finding(i, "notice")), finding(9, "failure"), finding(10, "warning")];
    const plan = planAnnotations(findings, 3);
    expect(plan.annotations.map((a) => a.annotation_level)).toEqual(["failure", "warning", "notice"]);
    expect(plan.overflow).toBe(7);
    const summary = renderSummary({
      result: result({ findings }),
      progress: { done: 0, required: 6 },
      gate: { conclusion: "failure", reason: "x" },
      overflow: plan.overflow,
      annotationsMax: 3,
      configSource: ["defaults"],
    });
    expect(summary).toContain("7 more findings not shown as annotations");
    expect(summary).toContain("annotations.max: 3");
  });

  test("PR-level findings (no path) are not annotations", () => {
    const plan = planAnnotations([finding(1, "warning", { path: "" })], 10);
    expect(plan.annotations).toHaveLength(0);
    expect(plan.overflow).toBe(0);
  });

  test("an annotation names the category in words and the rule id; lines only, never columns", () => {
    const a = annotationFor(finding(4, "warning", { line: 10, endLine: 12 }));
    expect(a.title).toBe("Uncached external calls: network-call-in-loop");
    expect(a).toMatchObject({ start_line: 10, end_line: 12, annotation_level: "warning" });
    expect(a).not.toHaveProperty("start_column");
    expect(a.message).toContain("finding 4");
    expect(a.message).toContain("Fix: batch the calls");
  });

  test("long titles stay within 255 characters", () => {
    const a = annotationFor(finding(1, "notice", { ruleId: "x".repeat(400) }));
    expect(a.title.length).toBeLessThanOrEqual(255);
  });
});

describe("title and summary", () => {
  const r = result({
    files: [{ path: "src/a.ts", categories: [{ category: "security", reasons: ["imports jsonwebtoken"] }] }],
    pr: [{ category: "security", reasons: ["imports"] }],
    findings: [finding(1, "failure", { category: "security", ruleId: "jwt-decode-without-verify" }), finding(2, "warning")],
    skipped: [{ path: "package-lock.json", reason: "generated, vendored or lock file" }],
    suppressions: [{ ruleId: "float-money", path: "src/b.ts", line: 3, reason: "cents are integers here" }],
  });

  test("the title counts findings, categories and checklist progress", () => {
    expect(renderTitle({ result: r, progress: { done: 2, required: 7 } })).toBe("2 findings (1 failure), 2 categories, checklist 2/7");
    expect(renderTitle({ result: result(), progress: { done: 0, required: 0 }, noCategory: true })).toBe("No category touched: nothing to review");
    expect(renderTitle({ result: result(), progress: { done: 0, required: 1 } })).toBe("0 findings, 0 categories, checklist 0/1");
  });

  test("the summary shows the categories present with advice for code already written, the rest in one line", () => {
    const s = renderSummary({ result: r, progress: { done: 2, required: 7 }, gate: { conclusion: "failure", reason: "1 failure-level finding(s)" }, overflow: 0, annotationsMax: 200, configSource: ["o/r:.github/ai-gaps.yml"], links: { commentUrl: "https://gh/o/r/pull/1#issuecomment-9" } });
    expect(s).toMatch(/^\*\*Gate: failure\*\*: 1 failure-level finding\(s\)\.\n\[Checklist\]\(https:\/\/gh\/o\/r\/pull\/1#issuecomment-9\) · Findings by file below\./);
    expect(s).toMatch(/\| \*\*Security hardening\*\* \| 1 \| 1 failure \| The code is already written: review it now against a threat model, and write down the threat model you reviewed against/);
    expect(s).toMatch(/\| \*\*Uncached external calls\*\* \| 0 \| 1 warning \| Decide what must be cached/);
    expect(s).toContain("Not in this change: Novel design, Framework execution order, Operational resilience, Implicit business rules, Cascading change.");
    expect(s).not.toMatch(/\| Novel design/);
    expect(s).not.toMatch(/write the threat model first/i);
    expect(s).toContain("`package-lock.json` | generated, vendored or lock file");
    expect(s).toContain("cents are integers here");
    expect(s).toMatch(/<details><summary>Configuration<\/summary>\n\n- o\/r:\.github\/ai-gaps\.yml/);
  });

  test("a change in no category gets one line", () => {
    const s = renderSummary({ result: result(), progress: { done: 0, required: 0 }, gate: { conclusion: "success", reason: "this change touches none of the seven categories" }, overflow: 0, annotationsMax: 200, configSource: [], noCategory: true });
    expect(s).toBe("**Gate: success**: this change touches none of the seven categories.");
    expect(renderText({ result: result(), progress: { done: 0, required: 0 }, gate: { conclusion: "success", reason: "" }, overflow: 0, annotationsMax: 200, configSource: [], noCategory: true })).toBe("");
  });

  test("the text lists findings by file with why and fix, linked to the inline comment or the diff line", () => {
    const findings = [
      finding(1, "failure", { category: "security", ruleId: "jwt-decode-without-verify", path: "src/auth.ts", line: 6, endLine: 6, fingerprint: "a" }),
      finding(2, "warning", { path: "src/auth.ts", line: 9, endLine: 9, fingerprint: "b" }),
      finding(3, "warning", { path: "src/auth.ts", line: 12, endLine: 12, fingerprint: "c" }),
      finding(4, "failure", { category: "cascade", ruleId: "stale-dependents", path: "src/old.ts", line: 4, endLine: 4, fingerprint: "d", outsideDiff: true }),
    ];
    const links = { prUrl: "https://gh/o/r/pull/1", head: "f".repeat(40), comments: new Map([["a", 77]]) };
    const t = renderText({ result: result({ findings }), progress: { done: 0, required: 1 }, gate: { conclusion: "failure", reason: "x" }, overflow: 0, annotationsMax: 200, configSource: [], links });
    expect(t).toMatch(/^## Findings by file \(4\)\n\n### `src\/auth\.ts`\n\n- 🛑 \*\*failure\*\* · \[line 6\]\(https:\/\/gh\/o\/r\/pull\/1#discussion_r77\) · `jwt-decode-without-verify` · Security hardening\n\n  finding 1\n\n  \*\*Why:\*\* .+\n\n  \*\*Fix:\*\* batch the calls/);
    expect(t).toMatch(/\[line 9\]\(https:\/\/gh\/o\/r\/pull\/1\/files#diff-[0-9a-f]{64}R9\)/);
    expect(t).toMatch(/\[line 12\]\(.*\) · `network-call-in-loop` · Uncached external calls\n\n  finding 3\n\n  Why and fix: as above\./);
    expect(t).toMatch(/### `src\/old\.ts`\n\n- 🛑 \*\*failure\*\* · \[line 4\]\(https:\/\/gh\/o\/r\/blob\/f{40}\/src\/old\.ts#L4\)/);
  });

  test("the summary lists the dependents a cascade rule found outside the diff", () => {
    const stale = finding(3, "failure", { category: "cascade", ruleId: "stale-dependents", path: "src/routes/invoices.ts", line: 4, outsideDiff: true, message: "still calls formatAmount" });
    const s = renderSummary({ result: result({ findings: [stale] }), progress: { done: 0, required: 1 }, gate: { conclusion: "failure", reason: "x" }, overflow: 0, annotationsMax: 200, configSource: [] });
    expect(s).toContain("### Dependents still on the old form (1)");
    expect(s).toContain("- `src/routes/invoices.ts`:4: still calls formatAmount");
  });

  test("the summary stays under 65,535 characters however many files are skipped", () => {
    const skipped = Array.from({ length: 3000 }, (_, i) => ({ path: `${"deep/".repeat(40)}file${i}.bin`, reason: "binary" }));
    const s = renderSummary({ result: result({ skipped, notes: ["n".repeat(70_000)] }), progress: { done: 0, required: 0 }, gate: { conclusion: "success", reason: "ok" }, overflow: 0, annotationsMax: 200, configSource: [] });
    expect(s.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
  });

  test("truncate keeps text under the limit and says it was cut", () => {
    expect(truncate("abc", 10)).toBe("abc");
    const t = truncate("x".repeat(100), 60);
    expect(t.length).toBe(60);
    expect(t).toContain("cut");
  });

  test("a configuration error lists each problem with line and column", () => {
    const out = renderConfigError(
      [
        { file: "o/r:.github/ai-gaps.yml", path: "gate.mode", line: 3, column: 9, message: "Invalid option" },
        { file: "o/r:.github/ai-gaps.yml", path: "colour", line: 5, column: 1, message: 'unknown key "colour"' },
      ],
      ["o/r:.github/ai-gaps.yml"],
    );
    expect(out.title).toBe("Configuration error: 2 problems in .github/ai-gaps.yml");
    expect(out.summary).toContain("line 3, column 9 `gate.mode`: Invalid option");
    expect(out.summary).toContain('line 5, column 1 `colour`: unknown key "colour"');
  });
});
