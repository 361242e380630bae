// The dismissal history (append-only, signed) and the checklist's dismissal boxes for findings with no inline comment.
import { defaultConfig } from "../../src/config/schema.js";
import { closeHereChanges, MAX_CLOSE_HERE, readCloseHere, renderCloseHere } from "../../src/checklist/close-here.js";
import { dismiss } from "../../src/checklist/dismiss.js";
import { appendLog, emptyState, encodeState, MAX_LOG, readState, type ChecklistState, type GateFinding, type LogEntry } from "../../src/checklist/state.js";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { editor, KEY, REPO } from "./checklist-helpers.js";

const HEAD = "c".repeat(40);
const NOW = new Date("2026-03-01T10:00:00Z");
const gate = (fp: string, over: Partial<GateFinding> = {}): GateFinding => ({ fp, category: "security", ruleId: "jwt-decode-without-verify", path: `src/${fp}.ts`, line: 4, ...over });
const withFailures = (failures: GateFinding[]): ChecklistState => ({ ...emptyState(REPO, 7, HEAD), failures });

describe("dismissal history", () => {
  it("appends a dismissal, an approval of a pending suppression and a reopening, with who, when, head and instance", async () => {
    let state = withFailures([gate("a1"), gate("b2", { pending: "trusted gateway" })]);
    const boss = editor("boss", "admin");
    state = (await dismiss(state, state.failures[0], "accepted-risk", boss, defaultConfig(), NOW, HEAD)).state;
    state = (await dismiss(state, state.failures[1], "false-positive", boss, defaultConfig(), NOW, HEAD)).state;
    state = (await dismiss(state, state.failures[0], undefined, boss, defaultConfig(), NOW, HEAD)).state;
    expect(state.log.map((e) => [e.act, e.fp, e.reason, e.by, e.sha, e.line])).toEqual([
      ["dismiss", "a1", "accepted-risk", "boss", HEAD, 4],
      ["approve", "b2", "false-positive", "boss", HEAD, 4],
      ["reopen", "a1", undefined, "boss", HEAD, 4],
    ]);
    expect(Object.keys(state.dismissed)).toEqual(["b2"]);
  });

  it("records nothing for a refused attempt", async () => {
    const state = withFailures([gate("a1")]);
    const out = await dismiss(state, state.failures[0], "accepted-risk", editor("mallory", "write", true), defaultConfig(), NOW, HEAD);
    expect(out.outcome).toBe("rejected");
    expect(out.state.log).toEqual([]);
  });

  it("past MAX_LOG entries, the oldest fold into a hash chain that pins them", () => {
    const entry = (i: number): LogEntry => ({ act: "dismiss", by: "boss", at: NOW.toISOString(), sha: HEAD, reason: "accepted-risk", fp: `f${i}`, ruleId: "r", category: "security", path: "p" });
    let a = emptyState(REPO, 7, HEAD);
    for (let i = 0; i < MAX_LOG + 3; i++) a = appendLog(a, entry(i));
    expect(a.log).toHaveLength(MAX_LOG);
    expect(a.log[0].fp).toBe("f3");
    expect(a.logTrimmed?.count).toBe(3);
    let b = emptyState(REPO, 7, HEAD);
    for (let i = 0; i < MAX_LOG + 3; i++) b = appendLog(b, i === 1 ? { ...entry(i), by: "mallory" } : entry(i));
    expect(b.log).toEqual(a.log);
    expect(b.logTrimmed?.digest).not.toBe(a.logTrimmed?.digest);
  });

  it("an edited earlier entry fails the signature", () => {
    const state = appendLog(withFailures([gate("a1")]), { act: "dismiss", by: "boss", at: NOW.toISOString(), sha: HEAD, reason: "false-positive", fp: "a1", ruleId: "r", category: "security", path: "p" });
    const block = encodeState(state, KEY);
    expect(readState(block, KEY, REPO, 7)).toEqual({ status: "ok", state });
    const [, payload] = /state (\S+)\./.exec(block)!;
    const decoded = JSON.parse(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8")) as ChecklistState;
    decoded.log[0].by = "someone-else";
    const forged = block.replace(payload, deflateRawSync(JSON.stringify(decoded)).toString("base64url"));
    expect(readState(forged, KEY, REPO, 7)).toEqual({ status: "invalid", reason: "signature does not match" });
  });
});

describe("findings to close here", () => {
  it("lists only failure findings with no inline comment, open first, capped", async () => {
    const failures = [gate("a1", { comment: 11 }), ...Array.from({ length: MAX_CLOSE_HERE + 2 }, (_, i) => gate(`e${i}`))];
    let state = withFailures(failures);
    state = (await dismiss(state, failures[1], "fixed-elsewhere", editor("boss", "admin"), defaultConfig(), NOW, HEAD)).state;
    const text = renderCloseHere(state);
    expect(text).not.toContain("fp=a1 ");
    expect([...readCloseHere(text).keys()]).toHaveLength(MAX_CLOSE_HERE);
    expect(text).not.toContain("fp=e0 "); // dismissed: after the open ones, past the cap here
    expect(text).toMatch(/…and 2 more, listed here as these are closed\.$/);
    expect(renderCloseHere(withFailures([gate("a1", { comment: 11 })]))).toBe("");
  });

  it("reads a newly ticked reason and an unticked recorded one; ignores boxes of findings the state does not hold", async () => {
    let state = withFailures([gate("a1"), gate("b2"), gate("c3", { comment: 5 })]);
    const before = renderCloseHere(state);
    const forged = "\n  - [x] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=c3 reason=accepted-risk -->\n  - [x] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=ffff reason=accepted-risk -->";
    const after = before.replace("[ ] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=a1", "[x] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=a1") + forged;
    expect(closeHereChanges(before, after, state).map((c) => [c.finding.fp, c.reason])).toEqual([["a1", "accepted-risk"]]);
    state = (await dismiss(state, state.failures[0], "accepted-risk", editor("boss", "admin"), defaultConfig(), NOW, HEAD)).state;
    const shown = renderCloseHere(state);
    const unticked = shown.replace("[x] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=a1", "[ ] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=a1");
    expect(closeHereChanges(shown, unticked, state).map((c) => [c.finding.fp, c.reason])).toEqual([["a1", null]]);
    expect(closeHereChanges(shown, shown, state)).toEqual([]);
  });
});
