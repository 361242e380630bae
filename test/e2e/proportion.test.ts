// End to end, issue 10: the gate in proportion to the risk, and the comment and check run linked to each other
// and to the findings. Signed webhooks into the real HTTP server; GitHub played by the loopback fake.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { UNVERIFIED_JWT_HANDLER } from "../support/samples.js";
import { E2E } from "../support/e2e.js";
import type { CheckRun, PullRequest } from "../support/fake-github.js";
import { pullRequestEvent } from "../support/payloads.js";

const REPO = "acme/shop";
const AUTH = UNVERIFIED_JWT_HANDLER;


describe("e2e: a gate in proportion to the change", () => {
  let e2e: E2E;

  beforeEach(async () => {
    e2e = await E2E.start();
    e2e.fake.addRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n", "src/util.ts": "export const id = (x: string) => x;\n" } });
  });

  afterEach(async () => {
    const violations = e2e.fake.violations;
    await e2e.stop();
    expect(violations).toEqual([]);
  });

  async function open(files: Record<string, string | Buffer>, title = "Change"): Promise<PullRequest> {
    const pr = e2e.fake.openPullRequest(REPO, { title, files });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    return pr;
  }

  const run = (pr: PullRequest): CheckRun => {
    const runs = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }).filter((r) => r.status === "completed");
    return runs[runs.length - 1];
  };

  it("a docs, tests and assets change passes in one line with no checklist comment", async () => {
    const pr = await open({ "docs/guide.md": "# Guide\n\nFixed a typo.\n", "test/util.test.ts": "test('id', () => {});\n", "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]) }, "Fix a typo");
    const r = run(pr);
    expect(r.conclusion).toBe("success");
    expect(r.output.title).toBe("No category touched: nothing to review");
    expect((r.output.summary ?? "").split("\n")[0]).toBe("**Gate: success**: this change touches none of the seven categories, so there is nothing to review or tick.");
    expect(r.output.summary).not.toMatch(/\| Category/);
    expect(e2e.fake.commentsOn(REPO, pr.number)).toEqual([]);
    expect(e2e.fake.reviewCommentsOn(REPO, pr.number)).toEqual([]);
  });

  it("documentation named after a category (docs/auth.md, AUTHORS.md) in a PR titled after one passes with nothing to tick", async () => {
    const pr = await open(
      { "docs/auth.md": "# Authentication\n\nTokens are verified with `jwt.verify` in the gateway.\n", "AUTHORS.md": "- Ada\n", "docs/security/threat-model.rst": "Threat model\n============\n" },
      "Document the auth flow and the billing threat model",
    );
    const r = run(pr);
    expect(r.conclusion).toBe("success");
    expect(r.output.title).toBe("No category touched: nothing to review");
    expect(e2e.fake.commentsOn(REPO, pr.number)).toEqual([]);
  });

  it("a later push that leaves every category turns the existing comment into one line", async () => {
    const pr = await open({ "src/auth.ts": AUTH }, "Admin check");
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
    e2e.fake.push(REPO, pr.number, { "src/auth.ts": null, "docs/guide.md": "# Guide\n" });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "synchronize"));
    await e2e.idle();
    const [comment] = e2e.fake.commentsOn(REPO, pr.number);
    expect(comment.body).toMatch(/This change touches none of the seven categories: nothing to tick\./);
    expect(comment.body).not.toMatch(/- \[ \]/);
    expect(run(pr).conclusion).toBe("success");
  });

  it("a tests-only change in a category gets that category's items and no general questions", async () => {
    const pr = await open({ "test/auth.test.ts": `import jwt from "jsonwebtoken";\ntest("decodes", () => { jwt.sign({}, "k"); });\n` }, "Auth tests");
    const [comment] = e2e.fake.commentsOn(REPO, pr.number);
    const ids = [...comment.body.matchAll(/<!-- ai-gaps:item id=([a-z0-9.-]+)/g)].map((m) => m[1]);
    expect(ids).toEqual(["security.threat-model", "security.tenant-binding"]);
    expect(comment.body).not.toContain("Production readiness");
    expect(run(pr).output.title).toMatch(/checklist 0\/2$/);
  });

  it("service code: no item twice, why each group is there, and links between comment, check run and findings", async () => {
    const pr = await open({ "src/auth.ts": AUTH }, "Admin check");
    const [comment] = e2e.fake.commentsOn(REPO, pr.number);
    const r = run(pr);
    const body = comment.body;
    // The general threat-model question is dropped: the security items ask it.
    expect(body).not.toContain("ready.threat-model");
    expect(body).toContain("security.threat-model");
    expect(body).toMatch(/Who may tick: anyone with write access; Security hardening: not the PR author\./);
    expect(body).toContain(`[Check run](http://${e2e.fake.host}/acme/shop/runs/${r.id})`);
    expect(body).toMatch(/#### Production readiness\nAsked because service code changed: `src\/auth\.ts`\./);
    const inline = e2e.fake.reviewCommentsOn(REPO, pr.number).find((c) => c.body.includes("severity=failure"))!;
    expect(body).toContain(`Open: 🛑 [\`jwt-decode-without-verify\` in \`src/auth.ts:4\`](http://${e2e.fake.host}/acme/shop/pull/${pr.number}#discussion_r${inline.id})`);
    expect(body).toMatch(/<details><summary>How ticking works<\/summary>/);

    expect(r.output.summary).toContain(`[Checklist](http://${e2e.fake.host}/acme/shop/pull/${pr.number}#issuecomment-${comment.id})`);
    expect(r.output.summary).toMatch(/\| \*\*Security hardening\*\* \| 1 \| 1 failure \| The code is already written: review it now against a threat model/);
    expect(r.output.summary).toMatch(/Not in this change: Novel design, /);
    expect(r.output.text).toContain(`### \`src/auth.ts\``);
    expect(r.output.text).toContain(`[line 4](http://${e2e.fake.host}/acme/shop/pull/${pr.number}#discussion_r${inline.id}) · \`jwt-decode-without-verify\` · Security hardening`);
    expect(r.output.text).toMatch(/\*\*Why:\*\* .+\n\n  \*\*Fix:\*\* /);
  });
});
