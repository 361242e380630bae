import { defaultConfig } from "../../src/config/schema.js";
import { decideGate, prepareChecklist, progressOf, readState, renderBody } from "../../src/checklist/index.js";
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
    expect(out.progress).toEqual({ done: 0, required: 8, openFailures: 1 });
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

  it("shows attestations under the checklist", async () => {
    const out = await prepared();
    const body = renderBody({ ...out.state, ticks: { "ready.caching": at } }, KEY);
    expect(body).toMatch(/\*\*Attested\*\*/);
    expect(body).toMatch(/Caching: .*\(`ready\.caching`\): @alice, 2026-11-24 03:00 UTC, at `1111111`/);
  });
});
