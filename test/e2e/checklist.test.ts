// End to end, issue 4: ticking the checklist, who may tick, attestation, carry-over, gate, inline comments,
// merge groups. Signed webhooks into the real HTTP server; GitHub played by the loopback fake.
import { describe, expect, it } from "@jest/globals";
import type { PullRequest } from "../support/fake-github.js";
import { checkRunEvent, checkSuiteEvent, issueCommentEvent, mergeGroupEvent } from "../support/payloads.js";
import { prSession, REPO, tickedItems as ticked, tickItems as TICK } from "../support/pr-session.js";


const AUTH = `import jwt from "jsonwebtoken";
import type { Request, Response, NextFunction } from "express";

export function requireAdmin(req: Request, res: Response, next: NextFunction) {
  const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  const claims = jwt.decode(token) as { role?: string; tenantId?: string } | null;
  if (!claims || claims.role !== "admin") return res.status(403).end();
  (req as any).user = claims;
  next();
}
`;

const BILLING = `export function invoiceTotal(amount: string): number {
  const price = parseFloat(amount);
  return price * 1.2;
}
`;

describe("e2e: the checklist workflow", () => {
  const session = prSession({ people: { reader: "read", boss: "admin", maint: "write" } });
  const { run, checklist } = session;
  const opened = (files: Record<string, string> = { "src/auth.ts": AUTH, "src/billing.ts": BILLING }): Promise<PullRequest> =>
    session.open(files, { title: "Admin check and invoices" });
  const edit = (pr: PullRequest, body: (old: string) => string, sender: string, id?: string) => session.editChecklist(pr, body, sender, { id });
  const allIds = (body: string) => [...body.matchAll(/<!-- ai-gaps:item id=([a-z0-9.-]+)/g)].map((m) => m[1]);

  it("a read-only user ticks everything: reverted with a note, gate unchanged; a merge group is reported failing", async () => {
    const pr = await opened();
    const before = run(pr);
    expect(before.conclusion).toBe("failure");
    expect(before.output.title).toMatch(/checklist 0\/8/);
    const updatesBefore = before.history.length;
    await edit(pr, (b) => TICK(b, "all"), "reader");
    const body = checklist(pr).body;
    expect(ticked(body)).toEqual([]);
    expect(body).toMatch(/@reader tried to tick .*read access; attesting needs write access or more\. Reverted\./);
    expect(body).not.toMatch(/Record: /);
    const after = run(pr);
    expect(after.id).toBe(before.id);
    expect(after.conclusion).toBe("failure");
    expect(after.output.title).toMatch(/checklist 0\/8/);
    expect(after.history.length).toBe(updatesBefore); // nothing changed, nothing written

    const group = mergeGroupEvent(session.fake, [pr]);
    await session.e2e.deliver("merge_group", group);
    await session.e2e.idle();
    const [groupRun] = session.fake.checkRunsFor(REPO, { headSha: group.merge_group.head_sha });
    expect(groupRun).toMatchObject({ name: "ai-gaps", status: "completed", conclusion: "failure" });
    expect(groupRun.output.title).toMatch(new RegExp(`#${pr.number} not passing`));
  });

  it("the PR author ticks a security item: reverted; a general item: accepted and the run updated at once", async () => {
    const pr = await opened();
    await edit(pr, (b) => TICK(b, ["security.threat-model", "ready.caching"]), "octocat");
    const body = checklist(pr).body;
    expect(ticked(body)).toEqual(["ready.caching"]);
    expect(body).toMatch(/@octocat tried to tick .*security\.threat-model.*the PR author cannot attest security items/);
    expect(body).toMatch(/- ✅ `ready\.caching` @octocat, .* UTC, at `[0-9a-f]{7}`/);
    expect(run(pr).output.title).toMatch(/checklist 1\/8/);
    expect(run(pr).output.summary).toMatch(/\*\*Gate: failure\*\*/);
  });

  /** Tick one dismissal reason on the inline comment of the failure finding, as `sender`. */
  const dismissFailure = (pr: PullRequest, sender: string, label = "accepted risk") => session.dismissInline(pr, session.failureComments(pr)[0], sender, label);

  it("security items cannot be ticked while the failure finding is open; an admin dismisses it, then ticks: success", async () => {
    const pr = await opened();
    await edit(pr, (b) => TICK(b, "all"), "boss");
    let body = checklist(pr).body;
    expect(ticked(body)).not.toContain("security.threat-model");
    expect(body).toMatch(/@boss tried to tick .*security\.threat-model.*failure finding of this category is still open \(`jwt-decode-without-verify` in `src\/auth\.ts`\)/);
    expect(run(pr).conclusion).toBe("failure");

    const comment = await dismissFailure(pr, "boss");
    expect(comment.body).toMatch(/- \[x\] Dismiss: accepted risk\n- \[ \] Dismiss: fixed elsewhere\n_Dismissed as accepted risk by @boss at `[0-9a-f]{7}`/);
    body = checklist(pr).body;
    expect(body).toMatch(/Finding `jwt-decode-without-verify` in `src\/auth\.ts` dismissed as accepted risk: @boss/);
    expect(run(pr).output.summary).toMatch(/### Dismissed findings \(1\)\n.*\n.*\n\| `jwt-decode-without-verify` \| `src\/auth\.ts` \| accepted risk \| @boss/);
    expect(run(pr).conclusion).toBe("failure"); // the security items are still unticked

    await edit(pr, (b) => TICK(b, "all"), "boss");
    body = checklist(pr).body;
    expect(ticked(body).sort()).toEqual(allIds(body).sort());
    expect(run(pr).conclusion).toBe("success");

    const group = mergeGroupEvent(session.fake, [pr]);
    await session.e2e.deliver("merge_group", group);
    await session.e2e.idle();
    const [groupRun] = session.fake.checkRunsFor(REPO, { headSha: group.merge_group.head_sha });
    expect(groupRun).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("the PR author cannot dismiss a security finding; a reader neither", async () => {
    const pr = await opened();
    for (const sender of ["octocat", "reader"]) {
      const comment = await dismissFailure(pr, sender, "false positive");
      expect(comment.body).toMatch(/- \[ \] Dismiss: false positive/);
      expect(comment.body).not.toMatch(/_Dismissed as/);
    }
    const body = checklist(pr).body;
    expect(body).toMatch(/@octocat tried to dismiss `jwt-decode-without-verify` in `src\/auth\.ts` as false positive: the PR author cannot attest security items/);
    expect(body).toMatch(/@reader tried to dismiss .*read access/);
    expect(run(pr).conclusion).toBe("failure");
    expect(run(pr).output.summary).not.toMatch(/### Dismissed findings/);
  });

  it("the same edit delivered twice records one attestation", async () => {
    const pr = await opened();
    const payload = await edit(pr, (b) => TICK(b, ["ready.limits"]), "maint", "delivery-tick-1");
    const first = checklist(pr).body;
    await session.e2e.deliver("issue_comment", payload, { id: "delivery-tick-1" }); // GitHub's redelivery
    await session.e2e.deliver("issue_comment", payload); // the same edit under another id
    await session.e2e.idle();
    const body = checklist(pr).body;
    expect(body).toBe(first);
    expect(body.match(/`ready\.limits` @maint/g)).toHaveLength(1);
  });

  it("a push touching a covered file resets that item only, with a note naming the file and commit", async () => {
    const pr = await opened();
    await dismissFailure(pr, "boss", "fixed elsewhere");
    await edit(pr, (b) => TICK(b, ["security.threat-model", "business.domain-owner"]), "boss");
    expect(ticked(checklist(pr).body).sort()).toEqual(["business.domain-owner", "security.threat-model"]);
    const sha = await session.push(pr, { "src/billing.ts": BILLING.replace("1.2", "1.25") });
    const body = checklist(pr).body;
    expect(ticked(body)).toEqual(["security.threat-model"]);
    expect(body).toMatch(new RegExp(`Reset tick of .*business\\.domain-owner.*\`src/billing\\.ts\` changed in ${sha.slice(0, 7)}`));
    expect(session.fake.requestsTo("repos/compare-commits")).toHaveLength(1);
    expect(run(pr).output.title).toMatch(/checklist 1\/8/);
  });

  it("a deleted or reworded item is restored on the next event", async () => {
    const pr = await opened();
    const original = checklist(pr).body;
    await edit(
      pr,
      (b) =>
        b
          .split("\n")
          .filter((l) => !l.includes("id=ready.limits"))
          .map((l) => (l.includes("id=ready.caching") ? "- [ ] Caching is someone else's problem <!-- ai-gaps:item id=ready.caching -->" : l))
          .join("\n"),
      "maint",
    );
    expect(checklist(pr).body).toBe(original);
  });

  it("an edited hidden state block is detected and ignored", async () => {
    const pr = await opened();
    const forged = (b: string) => {
      const m = /<!-- ai-gaps:state ([A-Za-z0-9_-]+)\.([a-f0-9]{64}) -->/.exec(b)!;
      const payload = m[1].slice(0, 10) + (m[1][10] === "A" ? "B" : "A") + m[1].slice(11);
      return b.replace(m[0], `<!-- ai-gaps:state ${payload}.${m[2]} -->`);
    };
    // Only the block is edited: the trusted state (the body before the edit) is put back.
    const original = checklist(pr).body;
    await edit(pr, forged, "maint");
    expect(checklist(pr).body).toBe(original);
    // A tick together with a tampered block: the tick counts against the trusted state, the forgery does not.
    await edit(pr, (b) => forged(TICK(b, ["ready.limits"])), "maint");
    const body = checklist(pr).body;
    expect(ticked(body)).toEqual(["ready.limits"]);
    expect(body).toMatch(/<!-- ai-gaps:state [A-Za-z0-9_-]+\.[a-f0-9]{64} -->/);
    expect(body).not.toBe(forged(body));

    // A valid but older block pasted back (replay) loses to the newer one.
    const block = (b: string) => /<!-- ai-gaps:state [^>]*-->/.exec(b)![0];
    const withTick = block(body);
    await edit(pr, (b) => b.replace("- [x]", "- [ ]"), "maint");
    expect(ticked(checklist(pr).body)).toEqual([]);
    await edit(pr, (b) => b.replace(block(b), withTick), "maint");
    expect(ticked(checklist(pr).body)).toEqual([]);
    expect(checklist(pr).body).not.toMatch(/`ready\.limits` @maint/);
  });

  it("a review GitHub keeps refusing (5xx) leaves the posted check run and checklist standing", async () => {
    session.fake.fail("pulls/create-review", { times: 10, status: 500 });
    const pr = await opened();
    expect(session.fake.reviewCommentsOn(REPO, pr.number)).toHaveLength(0);
    expect(run(pr).output.title).toMatch(/checklist 0\/8/);
    expect(run(pr).output.summary).toMatch(/\*\*Gate: failure\*\*/);
    expect(checklist(pr).body).toContain("ai-gaps:state");
  });

  it("inline comments sit only on diff lines, are not repeated on the next push, and say when their finding went away", async () => {
    const pr = await opened();
    const comments = session.fake.reviewCommentsOn(REPO, pr.number);
    expect(comments).toHaveLength(3);
    const files = session.fake.pullFiles(pr) as { filename: string; patch?: string }[];
    const { parsePatch } = await import("../../src/engine/diff.js");
    for (const c of comments) {
      expect(c.side).toBe("RIGHT");
      expect(parsePatch(files.find((f) => f.filename === c.path)?.patch).visible.has(c.line!)).toBe(true);
      expect(c.body).toMatch(/- \[ \] Dismiss: false positive/);
    }
    expect(session.fake.requestsTo("pulls/create-review")).toHaveLength(1);
    expect(session.fake.requestsTo("pulls/create-review")[0].body).toMatchObject({ event: "COMMENT" });

    await session.push(pr, { "src/util.ts": "export const id = (x: string) => x.trim();\n" });
    expect(session.fake.reviewCommentsOn(REPO, pr.number)).toHaveLength(3);
    expect(session.fake.requestsTo("pulls/create-review")).toHaveLength(1);

    await session.push(pr, { "src/billing.ts": "export function invoiceTotal(cents: number): number {\n  return cents;\n}\n" });
    const after = session.fake.reviewCommentsOn(REPO, pr.number);
    expect(after).toHaveLength(3);
    const gone = after.filter((c) => c.body.startsWith("**No longer found at"));
    expect(gone.map((c) => c.path)).toEqual(["src/billing.ts", "src/billing.ts"]);
  });

  it("the Re-run button and a rerequested check suite run the review again", async () => {
    const pr = await opened();
    const first = run(pr);
    expect(first.actions).toEqual([expect.objectContaining({ identifier: "rerun", label: "Re-run" })]);
    await session.e2e.deliver("check_run", checkRunEvent(session.fake, first, "requested_action", { identifier: "rerun", sender: "maint" }));
    await session.e2e.idle();
    const runs = session.fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(runs.length).toBe(2);
    expect(runs[1]).toMatchObject({ status: "completed", conclusion: "failure" });
    await session.e2e.deliver("check_suite", checkSuiteEvent(session.fake, pr, "rerequested", { sender: "maint" }));
    await session.e2e.idle();
    expect(session.fake.checkRunsFor(REPO, { headSha: pr.headSha }).length).toBe(3);
    expect(session.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
    expect(session.fake.reviewCommentsOn(REPO, pr.number)).toHaveLength(3);
  });

  it("ignores the app's own edits and comments that are not the app's", async () => {
    const pr = await opened();
    const comment = checklist(pr);
    const requests = session.fake.requests.length;
    const own = issueCommentEvent(session.fake, comment, "edited", { sender: "ai-gaps[bot]", from: comment.body });
    own.sender.type = "Bot";
    await session.e2e.deliver("issue_comment", own);
    await session.e2e.idle();
    expect(session.fake.requests.length).toBe(requests);
  });

});
