// End to end, issues 10 and 14: every open failure finding can be dismissed with a reason by someone allowed to
// tick its category (in the checklist comment when it has no inline comment), never by the PR author alone; each
// dismissal, approval and reopening is appended to the signed history; a file the engine could not analyse holds
// the gate until such a dismissal. Signed webhooks into the real HTTP server; GitHub played by the loopback fake.
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import type { PullRequest } from "../support/fake-github.js";
import { foreignHtml, mentions, renderHtml } from "../support/markdown.js";
import { prSession, REPO, tickedItems } from "../support/pr-session.js";
import { UNVERIFIED_JWT_HANDLER as AUTH } from "../support/samples.js";

describe("e2e: dismissals", () => {
  const session = prSession({ people: { boss: "admin", maint: "write", reader: "read", mallory: "write" } });
  const { run, checklist, openFailures } = session;
  const open = (files: Record<string, string>, title = "A change") => session.open(files, { title, author: "mallory" });

  /** The lines of the "Findings to close here" entry of `path`: its head line and its three boxes. */
  const entry = (pr: PullRequest, path: string): string[] => {
    const lines = checklist(pr).body.split("\n");
    const at = lines.findIndex((l) => /^- (🛑|🚫) /.test(l) && l.includes(`\`${path}:`));
    return at < 0 ? [] : lines.slice(at, at + 4);
  };

  /** Ticks (or unticks) one reason of `path`'s entry in the checklist as `sender`. */
  const closeHere = (pr: PullRequest, path: string, label: string, sender: string, tick = true) => {
    const box = entry(pr, path).find((l) => l.includes(`Dismiss: ${label} `))!;
    expect(box).toBeDefined();
    const changed = tick ? box.replace("- [ ]", "- [x]") : box.replace("- [x]", "- [ ]");
    return session.editChecklist(pr, (b) => b.replace(box, changed), sender);
  };

  const summary = (pr: PullRequest) => run(pr).output.summary!;
  /** The history rows of the check run's summary: [who, what, finding, head]. */
  const history = (pr: PullRequest) =>
    [...summary(pr).matchAll(/^\| \d{4}-\d\d-\d\d \d\d:\d\d UTC \| @([a-z]+) \| ([^|]+) \| ([^|]+) \| `([0-9a-f]{7})` \|$/gm)].map((m) => [m[1], m[2].trim(), m[3].trim(), m[4]]);

  it("a failure finding past review.comments.max is dismissed in the checklist by an allowed person, not by the author; history kept", async () => {
    session.fake.setConfig(REPO, "review:\n  comments:\n    max: 1\n");
    const pr = await open({ "src/auth/a.ts": AUTH, "src/auth/b.ts": AUTH.replace("requireAdmin", "requireOwner") }, "Admin checks");
    expect(session.failureComments(pr).map((c) => c.path)).toEqual(["src/auth/a.ts"]);
    expect(openFailures(pr)).toBe(2);
    const body = checklist(pr).body;
    expect(body).toContain("#### Findings to close here");
    expect(entry(pr, "src/auth/b.ts")[0]).toMatch(/^- 🛑 \[`jwt-decode-without-verify` in `src\/auth\/b\.ts:4`\]\(.*\) \(Security hardening\)$/);
    expect(entry(pr, "src/auth/b.ts").slice(1)).toEqual([
      expect.stringMatching(/^ {2}- \[ \] Dismiss: false positive <!-- ai-gaps:dismiss fp=[a-f0-9]+ reason=false-positive -->$/),
      expect.stringMatching(/^ {2}- \[ \] Dismiss: accepted risk <!-- ai-gaps:dismiss fp=[a-f0-9]+ reason=accepted-risk -->$/),
      expect.stringMatching(/^ {2}- \[ \] Dismiss: fixed elsewhere <!-- ai-gaps:dismiss fp=[a-f0-9]+ reason=fixed-elsewhere -->$/),
    ]);
    expect(entry(pr, "src/auth/a.ts")).toEqual([]); // it has its inline comment
    // GitHub renders them as task-list boxes (nested list items starting with [ ]).
    expect(renderHtml(body)).toMatch(/<li>\[ \] Dismiss: accepted risk <!-- ai-gaps:dismiss/);

    // The author (with write access) and a reader are refused; the boxes come back unticked.
    await closeHere(pr, "src/auth/b.ts", "accepted risk", "mallory");
    await closeHere(pr, "src/auth/b.ts", "false positive", "reader");
    expect(entry(pr, "src/auth/b.ts").filter((l) => l.includes("- [x]"))).toEqual([]);
    expect(checklist(pr).body).toMatch(/@mallory tried to dismiss `jwt-decode-without-verify` in `src\/auth\/b\.ts` as accepted risk: the PR author cannot attest security items/);
    expect(checklist(pr).body).toMatch(/@reader tried to dismiss .* read access/);
    expect(openFailures(pr)).toBe(2);
    expect(history(pr)).toEqual([]);

    // An admin dismisses it: the finding closes, the gate's count drops, the history says who, why and where.
    await closeHere(pr, "src/auth/b.ts", "accepted risk", "boss");
    expect(entry(pr, "src/auth/b.ts")[0]).toMatch(/^- 🚫 .* · _dismissed as accepted risk by @boss at `[0-9a-f]{7}`_$/);
    expect(entry(pr, "src/auth/b.ts")[2]).toMatch(/- \[x\] Dismiss: accepted risk/);
    expect(openFailures(pr)).toBe(1);
    const head = pr.headSha.slice(0, 7);
    expect(history(pr)).toEqual([["boss", "dismissed as accepted risk", expect.stringMatching(/^`jwt-decode-without-verify` in `src\/auth\/b\.ts:4` \(`[0-9a-f]{8}`\)$/), head]]);
    expect(summary(pr)).toMatch(/<details><summary>Dismissal history \(1 entry\)<\/summary>/);

    // Unticking reopens it; the history keeps both acts, oldest first.
    await closeHere(pr, "src/auth/b.ts", "accepted risk", "boss", false);
    expect(openFailures(pr)).toBe(2);
    expect(history(pr).map(([who, what]) => [who, what])).toEqual([["boss", "dismissed as accepted risk"], ["boss", "reopened"]]);

    // Both closed (one here, one on its inline comment), then every item ticked: success.
    await closeHere(pr, "src/auth/b.ts", "fixed elsewhere", "boss");
    await session.dismissInline(pr, session.failureComments(pr)[0], "boss", "false positive");
    expect(openFailures(pr)).toBe(0);
    await session.tick(pr, "all", "boss");
    expect(run(pr).conclusion).toBe("success");
    expect(history(pr).map(([, what, finding]) => `${what} ${/`(src\/auth\/[ab]\.ts)/.exec(finding)![1]}`)).toEqual([
      "dismissed as accepted risk src/auth/b.ts",
      "reopened src/auth/b.ts",
      "dismissed as fixed elsewhere src/auth/b.ts",
      "dismissed as false positive src/auth/a.ts",
    ]);
    // The history survives the next review.
    await session.push(pr, { "src/util.ts": "export const id = (x: string) => x.trim();\n" });
    expect(history(pr)).toHaveLength(4);
    for (const b of [checklist(pr).body, summary(pr)]) expect(foreignHtml(b)).toEqual([]);
  });

  it("the author's own suppression of a security failure with no inline comment waits for an allowed person's approval here", async () => {
    session.fake.setConfig(REPO, "review:\n  comments:\n    max: 0\n");
    const suppressed = AUTH.replace("  const claims", "  // ai-gaps-ignore jwt-decode-without-verify: @victim <b>trusted</b> gateway\n  const claims");
    const pr = await open({ "src/auth/claims.ts": suppressed }, "Claims");
    expect(session.e2e.fake.reviewCommentsOn(REPO, pr.number)).toEqual([]);
    expect(openFailures(pr)).toBe(1);
    const [head] = entry(pr, "src/auth/claims.ts");
    expect(head).toMatch(/suppressed by this PR \(“.*trusted.*gateway”\): a reason ticked here approves it/);
    expect(mentions(checklist(pr).body)).not.toContain("victim");
    expect(foreignHtml(checklist(pr).body)).toEqual([]);

    await closeHere(pr, "src/auth/claims.ts", "accepted risk", "mallory");
    expect(openFailures(pr)).toBe(1);
    expect(checklist(pr).body).toMatch(/@mallory tried to dismiss .* the PR author cannot attest security items/);
    await closeHere(pr, "src/auth/claims.ts", "accepted risk", "maint");
    expect(openFailures(pr)).toBe(0);
    expect(history(pr)).toEqual([["maint", "approved the suppression as accepted risk", expect.stringContaining("src/auth/claims.ts:5"), pr.headSha.slice(0, 7)]]);
  });

  it("an edited history entry fails the signature: the edit is ignored and the record stays as signed", async () => {
    session.fake.setConfig(REPO, "review:\n  comments:\n    max: 0\n");
    const pr = await open({ "src/auth/a.ts": AUTH });
    await closeHere(pr, "src/auth/a.ts", "false positive", "boss");
    const signed = checklist(pr).body;
    // Rewrite the first entry (who dismissed it) inside the block, keeping the signature.
    const m = /<!-- ai-gaps:state ([A-Za-z0-9_-]+)\.([a-f0-9]{64}) -->/.exec(signed)!;
    const state = JSON.parse(inflateRawSync(Buffer.from(m[1], "base64url")).toString("utf8"));
    expect(state.log).toEqual([expect.objectContaining({ act: "dismiss", by: "boss", reason: "false-positive", path: "src/auth/a.ts", sha: pr.headSha })]);
    state.log[0].by = "maint";
    state.log[0].reason = "accepted-risk";
    const forged = deflateRawSync(JSON.stringify(state)).toString("base64url");
    await session.editChecklist(pr, (b) => b.replace(m[0], `<!-- ai-gaps:state ${forged}.${m[2]} -->`), "maint");
    expect(checklist(pr).body).toBe(signed);
    await session.push(pr, { "src/util.ts": "export const id = (x: string) => x.trim();\n" });
    expect(history(pr).map(([who, what]) => [who, what])).toEqual([["boss", "dismissed as false positive"]]);
    expect(checklist(pr).body).not.toMatch(/did not verify/);
  });

  it("an edit made on a page older than the comment changes only what its editor changed there", async () => {
    session.fake.setConfig(REPO, "review:\n  comments:\n    max: 0\n");
    const pr = await open({ "src/auth/a.ts": AUTH, "src/auth/b.ts": AUTH.replace("requireAdmin", "requireOwner") });
    const tickBox = (body: string, path: string, label: string) => {
      const lines = body.split("\n");
      const at = lines.findIndex((l) => /^- (🛑|🚫) /.test(l) && l.includes(`\`${path}:`));
      const box = lines.slice(at, at + 4).find((l) => l.includes(`Dismiss: ${label} `))!;
      return body.replace(box, box.replace("- [ ]", "- [x]"));
    };
    const stale = checklist(pr).body;
    await session.editChecklist(pr, (b) => tickBox(b, "src/auth/a.ts", "accepted risk"), "boss");
    await session.tick(pr, ["ready.limits"], "boss");
    // maint's page still shows the comment before boss's dismissal and tick.
    await session.editChecklist(pr, (b) => tickBox(b, "src/auth/b.ts", "false positive"), "maint", { base: stale });
    expect(openFailures(pr)).toBe(0);
    expect(tickedItems(checklist(pr).body)).toContain("ready.limits");
    expect(checklist(pr).body).not.toMatch(/@maint reopened/);
    expect(history(pr).map(([who, what]) => [who, what])).toEqual([["boss", "dismissed as accepted risk"], ["maint", "dismissed as false positive"]]);
    // On the current page, unticking still reopens.
    await closeHere(pr, "src/auth/a.ts", "accepted risk", "maint", false);
    expect(openFailures(pr)).toBe(1);
  });

  it("an older signed record pasted back with a workflow's bot token is undone: the next review keeps the latest one", async () => {
    session.fake.setConfig(REPO, "review:\n  comments:\n    max: 0\n");
    const pr = await open({ "src/auth/a.ts": AUTH });
    await closeHere(pr, "src/auth/a.ts", "accepted risk", "boss");
    const dismissedBody = checklist(pr).body;
    await closeHere(pr, "src/auth/a.ts", "accepted risk", "boss", false);
    expect(openFailures(pr)).toBe(1);
    session.fake.user("github-actions[bot]", "Bot");
    await session.editChecklist(pr, () => dismissedBody, "github-actions[bot]");
    expect(checklist(pr).body).not.toBe(dismissedBody);
    await session.push(pr, { "src/util.ts": "export const id = (x: string) => x.trim();\n" });
    expect(openFailures(pr)).toBe(1);
    expect(history(pr).map(([who, what]) => [who, what])).toEqual([["boss", "dismissed as accepted risk"], ["boss", "reopened"]]);
  });

  describe("a file the engine could not analyse (its parse overflows the stack) holds the gate", () => {
    // 20,000 nested blocks: the TypeScript parser runs out of stack on it.
    const DEEP = `export function deep(a: number) {\n${"if (a) {".repeat(20_000)}${"}".repeat(20_000)}\n}\n`;

    it("until someone allowed dismisses it; the author cannot; then the checklist can go green", async () => {
      const pr = await open({ "src/auth/deep.ts": DEEP }, "Deep check");
      const r = run(pr);
      expect(r.conclusion).toBe("failure");
      expect(summary(pr)).toMatch(/could not be parsed: Maximum call stack size exceeded/);
      expect(openFailures(pr)).toBe(1);
      const [comment] = session.failureComments(pr);
      expect(comment.body).toMatch(/ai-gaps:finding fp=[a-f0-9]+ rule=not-analysed category=security severity=failure/);

      const refused = await session.dismissInline(pr, comment, "mallory", "false positive");
      expect(refused.body).not.toMatch(/_Dismissed as/);
      expect(openFailures(pr)).toBe(1);
      // While it is open the security items cannot be ticked, even by an admin.
      await session.tick(pr, "all", "boss");
      expect(tickedItems(checklist(pr).body)).not.toContain("security.threat-model");
      expect(run(pr).conclusion).toBe("failure");

      const accepted = await session.dismissInline(pr, comment, "boss", "false positive");
      expect(accepted.body).toMatch(/_Dismissed as false positive by @boss/);
      expect(openFailures(pr)).toBe(0);
      await session.tick(pr, "all", "boss");
      expect(run(pr).conclusion).toBe("success");
      expect(history(pr)).toEqual([["boss", "dismissed as false positive", expect.stringContaining("`not-analysed` in `src/auth/deep.ts:1`"), pr.headSha.slice(0, 7)]]);
    });

    it("a dismissal covers the content that was read: a push that changes the file opens it again, one elsewhere does not", async () => {
      const pr = await open({ "src/auth/deep.ts": DEEP }, "Deep check");
      await session.dismissInline(pr, session.failureComments(pr)[0], "boss", "false positive");
      expect(openFailures(pr)).toBe(0);
      await session.push(pr, { "src/util.ts": "export const id = (x: string) => x.trim();\n" });
      expect(openFailures(pr)).toBe(0);
      await session.push(pr, { "src/auth/deep.ts": `${DEEP}export const isAdmin = (user: string) => user === "mallory";\n` });
      expect(openFailures(pr)).toBe(1);
      expect(run(pr).conclusion).toBe("failure");
    });

    it("in no category of its own it still holds the gate; past the inline cap it is dismissed in the checklist", async () => {
      session.fake.setConfig(REPO, "review:\n  comments:\n    max: 0\n");
      const pr = await open({ "src/lib/deep.ts": DEEP });
      expect(run(pr).conclusion).toBe("failure");
      expect(run(pr).output.title).not.toMatch(/No category/);
      expect(entry(pr, "src/lib/deep.ts")[0]).toMatch(/`not-analysed` in `src\/lib\/deep\.ts:1`.*\(Operational resilience\)/);
      // Resilience is no independent category, yet the author (with write access) cannot clear the file alone.
      await closeHere(pr, "src/lib/deep.ts", "accepted risk", "mallory");
      expect(openFailures(pr)).toBe(1);
      expect(checklist(pr).body).toMatch(/@mallory tried to dismiss `not-analysed` .* the PR author cannot dismiss a file ai-gaps could not analyse/);
      await session.tick(pr, "all", "mallory");
      expect(run(pr).conclusion).toBe("failure");
      await closeHere(pr, "src/lib/deep.ts", "accepted risk", "maint");
      expect(openFailures(pr)).toBe(0);
    });
  });
});
