// End to end, issue 10: the gate in proportion to the risk, and the comment and check run linked to each other
// and to the findings. Signed webhooks into the real HTTP server; GitHub played by the loopback fake.
import { describe, expect, it } from "@jest/globals";
import { UNVERIFIED_JWT_HANDLER as AUTH } from "../support/samples.js";
import type { PullRequest } from "../support/fake-github.js";
import { prSession, REPO } from "../support/pr-session.js";

describe("e2e: a gate in proportion to the change", () => {
  const session = prSession();
  const { run } = session;
  const open = (files: Record<string, string | Buffer>, title = "Change"): Promise<PullRequest> => session.open(files, { title });

  it("a docs, tests and assets change passes in one line with no checklist comment", async () => {
    const pr = await open({ "docs/guide.md": "# Guide\n\nFixed a typo.\n", "test/util.test.ts": "test('id', () => {});\n", "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]) }, "Fix a typo");
    const r = run(pr);
    expect(r.conclusion).toBe("success");
    expect(r.output.title).toBe("No category touched: nothing to review");
    expect((r.output.summary ?? "").split("\n")[0]).toBe("**Gate: success**: this change touches none of the seven categories, so there is nothing to review or tick.");
    expect(r.output.summary).not.toMatch(/\| Category/);
    expect(session.fake.commentsOn(REPO, pr.number)).toEqual([]);
    expect(session.fake.reviewCommentsOn(REPO, pr.number)).toEqual([]);
  });

  it("documentation named after a category (docs/auth.md, AUTHORS.md) in a PR titled after one passes with nothing to tick", async () => {
    const pr = await open(
      { "docs/auth.md": "# Authentication\n\nTokens are verified with `jwt.verify` in the gateway.\n", "AUTHORS.md": "- Ada\n", "docs/security/threat-model.rst": "Threat model\n============\n" },
      "Document the auth flow and the billing threat model",
    );
    const r = run(pr);
    expect(r.conclusion).toBe("success");
    expect(r.output.title).toBe("No category touched: nothing to review");
    expect(session.fake.commentsOn(REPO, pr.number)).toEqual([]);
  });

  it("a later push that leaves every category turns the existing comment into one line", async () => {
    const pr = await open({ "src/auth.ts": AUTH }, "Admin check");
    expect(session.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
    await session.push(pr, { "src/auth.ts": null, "docs/guide.md": "# Guide\n" });
    const [comment] = session.fake.commentsOn(REPO, pr.number);
    expect(comment.body).toMatch(/This change touches none of the seven categories: nothing to tick\./);
    expect(comment.body).not.toMatch(/- \[ \]/);
    expect(run(pr).conclusion).toBe("success");
  });

  it("a tests-only change in a category gets that category's items and no general questions", async () => {
    const pr = await open({ "test/auth.test.ts": `import jwt from "jsonwebtoken";\ntest("decodes", () => { jwt.sign({}, "k"); });\n` }, "Auth tests");
    const [comment] = session.fake.commentsOn(REPO, pr.number);
    const ids = [...comment.body.matchAll(/<!-- ai-gaps:item id=([a-z0-9.-]+)/g)].map((m) => m[1]);
    expect(ids).toEqual(["security.threat-model", "security.tenant-binding"]);
    expect(comment.body).not.toContain("Production readiness");
    expect(run(pr).output.title).toMatch(/checklist 0\/2$/);
  });

  it("service code: no item twice, why each group is there, and links between comment, check run and findings", async () => {
    const pr = await open({ "src/auth.ts": AUTH }, "Admin check");
    const [comment] = session.fake.commentsOn(REPO, pr.number);
    const r = run(pr);
    const body = comment.body;
    // The general threat-model question is dropped: the security items ask it.
    expect(body).not.toContain("ready.threat-model");
    expect(body).toContain("security.threat-model");
    expect(body).toMatch(/Who may tick: anyone with write access; Security hardening: not the PR author\./);
    expect(body).toContain(`[Check run](http://${session.fake.host}/acme/shop/runs/${r.id})`);
    expect(body).toMatch(/#### Production readiness\nAsked because service code changed: `src\/auth\.ts`\./);
    const inline = session.fake.reviewCommentsOn(REPO, pr.number).find((c) => c.body.includes("severity=failure"))!;
    expect(body).toContain(`Open: 🛑 [\`jwt-decode-without-verify\` in \`src/auth.ts:4\`](http://${session.fake.host}/acme/shop/pull/${pr.number}#discussion_r${inline.id})`);
    expect(body).toMatch(/<details><summary>How ticking works<\/summary>/);

    expect(r.output.summary).toContain(`[Checklist](http://${session.fake.host}/acme/shop/pull/${pr.number}#issuecomment-${comment.id})`);
    expect(r.output.summary).toMatch(/\| \*\*Security hardening\*\* \| 1 \| 1 failure \| The code is already written: review it now against a threat model/);
    expect(r.output.summary).toMatch(/Not in this change: Novel design, /);
    expect(r.output.text).toContain(`### \`src/auth.ts\``);
    expect(r.output.text).toContain(`[line 4](http://${session.fake.host}/acme/shop/pull/${pr.number}#discussion_r${inline.id}) · \`jwt-decode-without-verify\` · Security hardening`);
    expect(r.output.text).toMatch(/\*\*Why:\*\* .+\n\n  \*\*Fix:\*\* /);
  });
});
