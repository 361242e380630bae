import { defaultConfig } from "../../src/config/schema.js";
import { prepareChecklist } from "../../src/checklist/index.js";
import { emptyState, type ChecklistState } from "../../src/checklist/state.js";
import { dismiss, openFailures } from "../../src/checklist/dismiss.js";
import { applyEdit } from "../../src/checklist/workflow.js";
import { editor, finding, KEY, REPO, result, TEMPLATE } from "./checklist-helpers.js";

const HEAD = "1".repeat(40);
const NOW = new Date("2026-11-24T03:00:00Z");

async function fresh(config = defaultConfig()): Promise<ChecklistState> {
  const out = await prepareChecklist({ template: TEMPLATE, result: result(["security", "business"], [{ path: "src/api/handler.ts", categories: ["security", "business"] }]), config, repo: REPO, pr: 7, headSha: HEAD, key: KEY, compare: async () => null });
  return out.state;
}

describe("applying ticks", () => {
  it("records an accepted tick with who, when and the head SHA", async () => {
    const out = await applyEdit(await fresh(), [{ id: "ready.caching", kind: "tick" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(out.accepted).toHaveLength(1);
    expect(out.state.ticks["ready.caching"]).toEqual({ by: "alice", at: NOW.toISOString(), sha: HEAD });
  });

  it("rejects read access and notes who tried and why", async () => {
    const out = await applyEdit(await fresh(), [{ id: "ready.caching", kind: "tick" }], editor("reader", "read"), defaultConfig(), NOW, HEAD);
    expect(out.state.ticks).toEqual({});
    expect(out.rejected[0].why).toMatch(/read access/);
    expect(out.state.notes[0]).toMatch(/@reader tried to tick .*ready\.caching.*Reverted/);
  });

  it("keeps the PR author off independent categories but not general items", async () => {
    const author = editor("author", "admin", true);
    const out = await applyEdit(
      await fresh(),
      [
        { id: "security.threat-model", kind: "tick" },
        { id: "business.domain-owner", kind: "tick" },
        { id: "ready.caching", kind: "tick" },
      ],
      author,
      defaultConfig(),
      NOW,
      HEAD,
    );
    expect(Object.keys(out.state.ticks)).toEqual(["ready.caching"]);
    expect(out.rejected.map((r) => r.why)).toEqual([expect.stringMatching(/PR author/), expect.stringMatching(/PR author/)]);
  });

  it("requires the approver team when configured", async () => {
    const config = defaultConfig();
    config.checklist.approvers = { security: "octo-org/security" };
    const state = await fresh(config);
    const outsider = await applyEdit(state, [{ id: "security.threat-model", kind: "tick" }], editor("bob", "write"), config, NOW, HEAD);
    expect(outsider.rejected[0].why).toMatch(/octo-org\/security/);
    const member = await applyEdit(state, [{ id: "security.threat-model", kind: "tick" }], editor("sec", "write", false, ["octo-org/security"]), config, NOW, HEAD);
    expect(member.state.ticks["security.threat-model"]?.by).toBe("sec");
  });

  it("is idempotent: the same tick twice keeps the first attestation", async () => {
    const once = await applyEdit(await fresh(), [{ id: "ready.caching", kind: "tick" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    const twice = await applyEdit(once.state, [{ id: "ready.caching", kind: "tick" }], editor("carol", "write"), defaultConfig(), new Date(), HEAD);
    expect(twice.accepted).toEqual([]);
    expect(twice.state.ticks["ready.caching"].by).toBe("alice");
  });

  it("accepts N/A with a reason on optional items only", async () => {
    const state = await fresh();
    const ok = await applyEdit(state, [{ id: "business.money-type", kind: "na", reason: "no money handled" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(ok.state.na["business.money-type"]?.reason).toBe("no money handled");
    const noReason = await applyEdit(state, [{ id: "business.money-type", kind: "na", reason: "" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(noReason.rejected[0].why).toMatch(/needs a reason/);
    const required = await applyEdit(state, [{ id: "ready.caching", kind: "na", reason: "x" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(required.rejected[0].why).toMatch(/required/);
  });

  it("ignores ids that are not on the checklist", async () => {
    const out = await applyEdit(emptyState(REPO, 7, HEAD), [{ id: "made.up", kind: "tick" }], editor("alice", "admin"), defaultConfig(), NOW, HEAD);
    expect(out.state.ticks).toEqual({});
  });
});

describe("dismissals", () => {
  const f = { fp: "aaaaaaaaaaaaaaaa", category: "security" as const, ruleId: "jwt-decode-without-verify", path: "src/auth.ts" };
  const withFailure = async () => {
    const out = await prepareChecklist({
      template: TEMPLATE,
      result: result(["security"], [{ path: "src/auth.ts", categories: ["security"] }], [finding()]),
      config: defaultConfig(),
      repo: REPO,
      pr: 7,
      headSha: HEAD,
      key: KEY,
      compare: async () => null,
    });
    return out.state;
  };

  it("records who dismissed what and why; the PR author cannot dismiss a security finding", async () => {
    const state = await withFailure();
    expect(openFailures(state)).toHaveLength(1);
    const ok = await dismiss(state, f, "accepted-risk", editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(ok.outcome).toBe("accepted");
    expect(ok.state.dismissed[f.fp]).toEqual({ by: "alice", at: NOW.toISOString(), sha: HEAD, reason: "accepted-risk", ...f, fp: undefined });
    expect(openFailures(ok.state)).toEqual([]);
    const author = await dismiss(state, f, "false-positive", editor("author", "admin", true), defaultConfig(), NOW, HEAD);
    expect(author.outcome).toBe("rejected");
    expect(author.state.notes[0]).toMatch(/@author tried to dismiss `jwt-decode-without-verify` in `src\/auth\.ts` as false positive: the PR author cannot attest security items/);
    const reader = await dismiss(state, f, "false-positive", editor("reader", "read"), defaultConfig(), NOW, HEAD);
    expect(reader.why).toMatch(/read access/);
  });

  it("a reopened finding holds the gate again, with a note", async () => {
    const state = await withFailure();
    const closed = await dismiss(state, f, "fixed-elsewhere", editor("alice", "write"), defaultConfig(), NOW, HEAD);
    const reopened = await dismiss(closed.state, f, undefined, editor("bob", "write"), defaultConfig(), NOW, HEAD);
    expect(openFailures(reopened.state)).toHaveLength(1);
    expect(reopened.state.notes[0]).toMatch(/@bob reopened .* \(was dismissed as fixed elsewhere by @alice\)/);
    expect((await dismiss(reopened.state, f, undefined, editor("bob", "write"), defaultConfig(), NOW, HEAD)).outcome).toBe("noop");
  });

  it("a category item cannot be ticked while a failure finding of its category is open", async () => {
    const state = await withFailure();
    const blocked = await applyEdit(state, [{ id: "security.threat-model", kind: "tick" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(blocked.state.ticks).toEqual({});
    expect(blocked.rejected[0].why).toMatch(/1 failure finding of this category is still open \(`jwt-decode-without-verify` in `src\/auth\.ts`\)/);
    const closed = await dismiss(state, f, "false-positive", editor("alice", "write"), defaultConfig(), NOW, HEAD);
    const ok = await applyEdit(closed.state, [{ id: "security.threat-model", kind: "tick" }], editor("alice", "write"), defaultConfig(), NOW, HEAD);
    expect(ok.state.ticks["security.threat-model"]?.by).toBe("alice");
  });
});
