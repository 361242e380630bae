// End to end, issue 14: a hostile PR author cannot weaken the review of their own pull request.
// Signed webhooks into the real HTTP server; GitHub played by the loopback fake.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { clearPermissionCache } from "../../src/github/permissions.js";
import { E2E } from "../support/e2e.js";
import type { CheckRun, PullRequest } from "../support/fake-github.js";
import { foreignHtml, mentions, renderHtml } from "../support/markdown.js";
import { pullRequestEvent } from "../support/payloads.js";

const REPO = "acme/shop";

describe("e2e: a hostile pull request", () => {
  let e2e: E2E;

  beforeEach(async () => {
    clearPermissionCache();
    e2e = await E2E.start();
    e2e.fake.addRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n", "src/util.ts": "export const id = (x: string) => x;\n" } });
  });

  afterEach(async () => {
    const violations = e2e.fake.violations;
    await e2e.stop();
    expect(violations).toEqual([]);
  });

  async function open(files: Record<string, string | Buffer>, title = "A change", author = "mallory"): Promise<PullRequest> {
    const pr = e2e.fake.openPullRequest(REPO, { title, files, author });
    e2e.fake.setPermission(REPO, "boss", "admin");
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    return pr;
  }

  const run = (pr: PullRequest): CheckRun => {
    const runs = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }).filter((r) => r.status === "completed");
    return runs[runs.length - 1];
  };

  describe("Markdown injection", () => {
    const SKIPPED = "docs/x`</details><img src=x> @victim `y.md";
    const CODE = "src/billing/pay`<img src=p> @victim`.ts";
    const PAY = `export function total(amount: string): number {
  const price = parseFloat(amount);
  // ai-gaps-ignore float-money: </details><img src=r> **Gate: success** @victim
  const other = parseFloat(amount) * 1.2;
  return price * Number("1\`</details><img src=q> @victim\`") + other;
}
`;

    it("paths, quoted code and reasons render as text: no HTML element and no mention from the PR", async () => {
      const pr = await open({ [SKIPPED]: "# notes\n", [CODE]: PAY });
      const summary = run(pr).output.summary!;
      const [checklist] = e2e.fake.commentsOn(REPO, pr.number);
      const inline = e2e.fake.reviewCommentsOn(REPO, pr.number);
      expect(inline.length).toBeGreaterThanOrEqual(1);
      // The hostile texts did reach the Markdown...
      expect(summary).toContain("Suppressions (1)");
      expect(renderHtml(summary)).toContain("docs/x`&lt;/details&gt;&lt;img src=x&gt; @victim `y.md");
      expect(renderHtml(inline.map((c) => c.body).join("\n\n"))).toContain("&lt;/details&gt;&lt;img src=q&gt;");
      // ...and none of it became HTML or a mention.
      for (const body of [summary, checklist.body, ...inline.map((c) => c.body)]) {
        expect(foreignHtml(body)).toEqual([]);
        expect(mentions(body)).not.toContain("victim");
        expect(renderHtml(body)).not.toMatch(/<img|<strong>Gate: success/);
      }
      // The skipped-files block is closed where the app closes it: the table rows sit inside it.
      const html = renderHtml(summary);
      expect(html.indexOf("y.md")).toBeLessThan(html.lastIndexOf("</details>"));
    });
  });
});
