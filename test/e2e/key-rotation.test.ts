// End to end, issue 10: rotating the app's secrets keeps every open PR's attestations. The app is redeployed
// (a new HTTP server with the new environment) against the same fake GitHub, and the record must survive.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { clearPermissionCache } from "../../src/github/permissions.js";
import { UNVERIFIED_JWT_HANDLER } from "../support/samples.js";
import { E2E, WEBHOOK_SECRET } from "../support/e2e.js";
import type { PullRequest } from "../support/fake-github.js";
import { issueCommentEvent, pullRequestEvent, reviewCommentEvent } from "../support/payloads.js";

const REPO = "acme/shop";
const AUTH = UNVERIFIED_JWT_HANDLER;

describe("e2e: key rotation keeps the attestations", () => {
  let e2e: E2E;

  async function start(env: Record<string, string> = {}) {
    clearPermissionCache();
    e2e = await E2E.start({ env });
    e2e.fake.addRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n", "src/util.ts": "export const id = (x: string) => x;\n" } });
  }

  afterEach(async () => {
    const violations = e2e.fake.violations;
    await e2e.stop();
    expect(violations).toEqual([]);
  });

  const comment = (pr: PullRequest) => e2e.fake.commentsOn(REPO, pr.number)[0];
  const ticked = (pr: PullRequest) => [...comment(pr).body.matchAll(/- \[x\] .*<!-- ai-gaps:item id=([a-z0-9.-]+)/g)].map((m) => m[1]);
  const lastRun = (pr: PullRequest) => e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }).filter((r) => r.status === "completed").pop()!;

  /** A PR with the limits item ticked by a maintainer and its failure finding dismissed by an admin. */
  async function attestedPr(): Promise<PullRequest> {
    const pr = e2e.fake.openPullRequest(REPO, { title: "Admin check", files: { "src/auth.ts": AUTH } });
    e2e.fake.setPermission(REPO, "maint", "write");
    e2e.fake.setPermission(REPO, "boss", "admin");
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    const c = comment(pr);
    const from = e2e.fake.editIssueComment(c.id, c.body.replace(/- \[ \] (.*id=ready\.limits)/, "- [x] $1"));
    await e2e.deliver("issue_comment", issueCommentEvent(e2e.fake, c, "edited", { sender: "maint", from }));
    await e2e.idle();
    await dismissOnInline(pr, "boss");
    expect(ticked(pr)).toEqual(["ready.limits"]);
    expect(comment(pr).body).toMatch(/dismissed as accepted risk: @boss/);
    return pr;
  }

  async function dismissOnInline(pr: PullRequest, sender: string) {
    const inline = e2e.fake.reviewCommentsOn(REPO, pr.number).find((c) => c.body.includes("severity=failure"))!;
    const from = e2e.fake.editReviewComment(inline.id, inline.body.replace("- [ ] Dismiss: accepted risk", "- [x] Dismiss: accepted risk"));
    await e2e.deliver("pull_request_review_comment", reviewCommentEvent(e2e.fake, inline, "edited", { sender, from }));
    await e2e.idle();
    return e2e.fake.reviewCommentsOn(REPO, pr.number).find((c) => c.id === inline.id)!;
  }

  async function push(pr: PullRequest) {
    e2e.fake.push(REPO, pr.number, { "README.md": `# shop ${Math.random()}\n` });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "synchronize"));
    await e2e.idle();
  }

  it("a new WEBHOOK_SECRET with the previous one accepted: the record carries over and is re-signed", async () => {
    await start();
    const pr = await attestedPr();
    await e2e.restart({ WEBHOOK_SECRET: "rotated-secret", AI_GAPS_PREVIOUS_WEBHOOK_SECRET: WEBHOOK_SECRET });
    await push(pr);
    expect(ticked(pr)).toEqual(["ready.limits"]);
    expect(comment(pr).body).toMatch(/dismissed as accepted risk: @boss/);
    expect(comment(pr).body).not.toMatch(/did not verify/);
    // The rotation is over: the previous secret is dropped, and what the push re-signed still verifies.
    await e2e.restart({ AI_GAPS_PREVIOUS_WEBHOOK_SECRET: undefined });
    await push(pr);
    expect(ticked(pr)).toEqual(["ready.limits"]);
    expect(lastRun(pr).output.summary).toMatch(/### Dismissed findings \(1\)/);
    // The inline markers were re-signed too: a dismissal on them is still recognised.
    const inline = e2e.fake.reviewCommentsOn(REPO, pr.number).find((c) => c.body.includes("severity=failure"))!;
    expect(inline.body).toMatch(/- \[x\] Dismiss: accepted risk/);
    const from = e2e.fake.editReviewComment(inline.id, inline.body.replace("- [x] Dismiss: accepted risk", "- [ ] Dismiss: accepted risk"));
    await e2e.deliver("pull_request_review_comment", reviewCommentEvent(e2e.fake, inline, "edited", { sender: "boss", from }));
    await e2e.idle();
    expect(comment(pr).body).toMatch(/@boss reopened `jwt-decode-without-verify`/);
  });

  it("with a dedicated AI_GAPS_STATE_KEY, rotating WEBHOOK_SECRET alone changes nothing", async () => {
    await start({ AI_GAPS_STATE_KEY: "state-key-1" });
    const pr = await attestedPr();
    await e2e.restart({ WEBHOOK_SECRET: "rotated-secret" });
    await push(pr);
    expect(ticked(pr)).toEqual(["ready.limits"]);
    expect(comment(pr).body).toMatch(/dismissed as accepted risk: @boss/);
  });

  it("switching to a dedicated AI_GAPS_STATE_KEY keeps the record made under the derived key", async () => {
    await start();
    const pr = await attestedPr();
    await e2e.restart({ AI_GAPS_STATE_KEY: "state-key-1" });
    await push(pr);
    expect(ticked(pr)).toEqual(["ready.limits"]);
    // Then the secrets rotate freely.
    await e2e.restart({ WEBHOOK_SECRET: "rotated-secret" });
    await push(pr);
    expect(ticked(pr)).toEqual(["ready.limits"]);
  });

  it("a rotation with no previous key accepted is never silent: the comment and the check run say so", async () => {
    await start();
    const pr = await attestedPr();
    await e2e.restart({ WEBHOOK_SECRET: "rotated-secret" });
    await push(pr);
    expect(ticked(pr)).toEqual([]);
    expect(comment(pr).body).toMatch(/required items ticked\*\*.*\n\n⚠️ The earlier record in this comment did not verify \(signature does not match\), so its ticks and dismissals are not counted/);
    expect(lastRun(pr).output.summary).toMatch(/### Notes\n- ⚠️ The earlier record in this comment did not verify/);
  });
});
