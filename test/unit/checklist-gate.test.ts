import { defaultConfig } from "../../src/config/schema.js";
import { decideGate, prepareChecklist, progressOf, readState, renderBody } from "../../src/checklist/index.js";
import type { CategoryId } from "../../src/engine/types.js";
import { finding, KEY, REPO, result, TEMPLATE } from "./checklist-helpers.js";

const HEAD = "1".repeat(40);
const at = { by: "alice", at: "2026-11-24T03:00:00.000Z", sha: HEAD };

async function prepared(findings = [finding()], existingBody?: string, onTampered?: (r: string) => void) {
  return prepareChecklist({
    template: TEMPLATE,
    result: result(["security"], [{ path: "src/auth.ts", categories: ["security"] }], findings),
    config: defaultConfig(),
    repo: REPO,
    pr: 7,
    headSha: HEAD,
    key: KEY,
    existingBody,
    compare: async () => null,
    onTampered,
  });
}

describe("the gate", () => {
  it("fails in block mode, is neutral in advisory mode, and counts required items", async () => {
    const out = await prepared();
    expect(out.progress).toEqual({ done: 0, required: 7, openFailures: 1 });
    expect(out.gate.conclusion).toBe("failure");
    const advisory = defaultConfig();
    advisory.gate.mode = "advisory";
    expect(decideGate(out.progress, advisory).conclusion).toBe("neutral");
  });

  it("succeeds only when every required item is attested and every failure finding closed", async () => {
    const out = await prepared();
    const required = out.checklist.items.filter((i) => i.required).map((i) => i.id);
    const allTicked = { ...out.state, ticks: Object.fromEntries(required.map((id) => [id, at])) };
    expect(decideGate(progressOf(allTicked), defaultConfig()).conclusion).toBe("failure");
    const dismissal = { ...at, reason: "accepted-risk" as const, ruleId: "jwt-decode-without-verify", category: "security" as const, path: "src/auth.ts" };
    const closed = { ...allTicked, dismissed: { [finding().fingerprint]: dismissal } };
    expect(decideGate(progressOf(closed), defaultConfig())).toMatchObject({ conclusion: "success" });
  });

  it("keeps the state block bounded with thousands of failure findings; the ones not stored still hold the gate", async () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ fingerprint: `fp${i}`, path: `src/f${i}.ts`, line: i + 1 }));
    const out = await prepared(many);
    expect(out.state.failures).toHaveLength(200);
    expect(out.progress.openFailures).toBe(3000);
    expect(out.body.length).toBeLessThan(65_536);
  });

  it("ignores warnings and keeps dismissals only for findings still present", async () => {
    const out = await prepared([finding({ severity: "warning" })]);
    expect(out.progress.openFailures).toBe(0);
    const d = { ...at, reason: "false-positive" as const, ruleId: "r", category: "security" as const, path: "p" };
    const body = renderBody({ ...out.state, dismissed: { gone: d, [finding().fingerprint]: d } }, KEY);
    const again = await prepared([finding()], body);
    expect(Object.keys(again.state.dismissed)).toEqual([finding().fingerprint]);
  });

  it("restores deleted items and drops forged ticks: the body comes from the state only", async () => {
    const out = await prepared();
    const edited = out.body
      .split("\n")
      .filter((l) => !l.includes("id=ready.limits"))
      .map((l) => l.replace("- [ ]", "- [x]"))
      .join("\n");
    const again = await prepared([finding()], edited);
    expect(again.body).toBe(out.body);
  });

  it("ignores a tampered state block and tells the caller", async () => {
    const out = await prepared();
    const read = readState(out.body, KEY, REPO, 7);
    if (read.status !== "ok") throw new Error("state");
    const signed = renderBody({ ...read.state, ticks: { "ready.caching": at } }, KEY);
    const tampered = signed.replace(/state (\S)/, (_, c: string) => `state ${c === "A" ? "B" : "A"}`);
    const reasons: string[] = [];
    const again = await prepared([finding()], tampered, (r) => reasons.push(r));
    expect(reasons).toHaveLength(1);
    expect(again.state.ticks).toEqual({});
  });

  it("shows attestations folded under the checklist", async () => {
    const out = await prepared();
    const body = renderBody({ ...out.state, ticks: { "ready.caching": at } }, KEY);
    expect(body).toMatch(/<details><summary>Record: 1 attested<\/summary>\n\nRecorded by ai-gaps[^\n]*\n\n- ✅ `ready\.caching` @alice, 2026-11-24 03:00 UTC, at `1111111`\n\n<\/details>/);
  });
});

describe("a checklist in proportion to the change", () => {
  const build = (categories: CategoryId[], files: { path: string; categories: CategoryId[] }[], config = defaultConfig(), existingBody?: string) =>
    prepareChecklist({ template: TEMPLATE, result: result(categories, files), config, repo: REPO, pr: 7, headSha: HEAD, key: KEY, existingBody, compare: async () => null, links: { prUrl: "https://gh/o/r/pull/7", runUrl: "https://gh/o/r/runs/5" } });
  const ids = (out: { checklist: { items: { id: string }[] } }) => out.checklist.items.map((i) => i.id);

  it("no category: success, nothing to tick, and no comment posted", async () => {
    const out = await build([], [{ path: "docs/guide.md", categories: [] }]);
    expect(out.gate).toEqual({ conclusion: "success", reason: expect.stringMatching(/touches none of the seven categories/) });
    expect(out.checklist.items).toEqual([]);
    expect(out.post).toBe(false);
    const advisory = defaultConfig();
    advisory.gate.no_category = "checklist";
    const asked = await build([], [{ path: "src/util.ts", categories: [] }], advisory);
    expect(ids(asked)).toContain("ready.observability");
    expect(asked.gate.conclusion).toBe("failure");
  });

  it("an earlier comment is updated to say there is nothing to tick", async () => {
    const before = await build(["security"], [{ path: "src/auth.ts", categories: ["security"] }]);
    const out = await build([], [{ path: "README.md", categories: [] }], defaultConfig(), before.body);
    expect(out.post).toBe(true);
    expect(out.body).toMatch(/This change touches none of the seven categories: nothing to tick\. · \[Check run\]\(https:\/\/gh\/o\/r\/runs\/5\)/);
  });

  it("asks the general questions only for service code, and drops those a present category asks itself", async () => {
    const tests = await build(["security"], [{ path: "test/auth.test.ts", categories: ["security"] }]);
    expect(ids(tests)).toEqual(["security.threat-model", "security.tenant-binding"]);
    expect(tests.body).not.toContain("Production readiness");
    const service = await build(["security"], [{ path: "src/auth.ts", categories: ["security"] }]);
    expect(ids(service)).toEqual(["ready.caching", "ready.observability", "ready.failure-handling", "ready.limits", "ready.execution-order", "security.threat-model", "security.tenant-binding"]);
    const always = defaultConfig();
    always.checklist.general = "always";
    expect(ids(await build(["security"], [{ path: "test/auth.test.ts", categories: ["security"] }], always))).toContain("ready.limits");
    const never = defaultConfig();
    never.checklist.general = "never";
    expect(ids(await build(["security"], [{ path: "src/auth.ts", categories: ["security"] }], never))).toEqual(["security.threat-model", "security.tenant-binding"]);
  });

  it("says why each group is there, who may tick, and links the check run", async () => {
    const out = await build(["security", "business"], [
      { path: "src/auth.ts", categories: ["security"] },
      { path: "src/billing.ts", categories: ["business"] },
    ]);
    expect(out.body).toMatch(/^<!-- ai-gaps:checklist -->\n### ai-gaps checklist\n\n\*\*0 of 8 required items ticked\*\* · \[Check run\]\(https:\/\/gh\/o\/r\/runs\/5\) · Who may tick: anyone with write access; Security hardening and Implicit business rules: not the PR author\.\n/);
    expect(out.body).toMatch(/#### Production readiness\nAsked because service code changed: `src\/auth\.ts`, `src\/billing\.ts`\.\n- \[ \]/);
    expect(out.body).toMatch(/#### Security hardening\nFiles in this category: `src\/auth\.ts`\.\n- \[ \]/);
    expect(out.body).toMatch(/<details><summary>How ticking works<\/summary>/);
  });

  it("lists a category's open failure findings under its heading, linked to the inline comment or the diff", async () => {
    const f1 = finding({ line: 6, fingerprint: "1111" });
    const f2 = finding({ path: "src/tenant.ts", line: 9, fingerprint: "2222" });
    const out = await prepareChecklist({
      template: TEMPLATE,
      result: result(["security"], [{ path: "src/auth.ts", categories: ["security"] }], [f1, f2]),
      config: defaultConfig(),
      repo: REPO,
      pr: 7,
      headSha: HEAD,
      key: KEY,
      compare: async () => null,
      links: { prUrl: "https://gh/o/r/pull/7" },
      comments: new Map([["1111", 42]]),
    });
    expect(out.body).toMatch(
      /Open: 🛑 \[`jwt-decode-without-verify` in `src\/auth\.ts:6`\]\(https:\/\/gh\/o\/r\/pull\/7#discussion_r42\), 🛑 \[`jwt-decode-without-verify` in `src\/tenant\.ts:9`\]\(https:\/\/gh\/o\/r\/pull\/7\/files#diff-[0-9a-f]{64}R9\)\. Fix, suppress or dismiss them \(without an inline comment: under “Findings to close here”\) before ticking\./,
    );
    expect(out.body.match(/Open: /g)).toHaveLength(1);
  });
});
