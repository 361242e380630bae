// End to end: signed webhooks into the real HTTP server (src/main.ts), GitHub played by the loopback fake,
// every request checked against GitHub's OpenAPI request schemas.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { E2E } from "../support/e2e.js";
import type { CheckRun } from "../support/fake-github.js";
import { pullRequestEvent } from "../support/payloads.js";

const REPO = "acme/shop";
const MARKER = /<!--\s*ai-gaps/;

const BILLING = `export async function chargeCustomer(customerId: string, amount: string) {
  const price = parseFloat(amount);
  const total = price * 1.2;
  const res = await fetch(\`https://payments.example.com/charge/\${customerId}\`, { method: "POST", body: JSON.stringify({ total }) });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await fetch("https://payments.example.com/confirm");
    } catch {
      continue;
    }
  }
  return res;
}
`;

const FINAL = new Set(["success", "failure", "neutral", "action_required", "timed_out"]);

function finalRuns(runs: CheckRun[]): CheckRun[] {
  return runs.filter((r) => r.status === "completed" && FINAL.has(String(r.conclusion)));
}

describe("e2e: pull request review through the HTTP server", () => {
  let e2e: E2E;

  beforeEach(async () => {
    e2e = await E2E.start();
    e2e.fake.addRepo({
      owner: "acme",
      name: "shop",
      files: { "README.md": "# shop\n", "src/util.ts": "export const id = (x: string) => x;\n" },
    });
  });

  afterEach(async () => {
    const violations = e2e.fake.violations;
    await e2e.stop();
    // Every request the app made matched GitHub's OpenAPI request schemas, on a known route.
    expect(violations).toEqual([]);
  });

  it("answers /healthz with the version", async () => {
    const res = await fetch(`${e2e.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", version: expect.any(String) });
    expect(e2e.fake.requests).toHaveLength(0);
  });

  it("reviews a PR: one check run with annotations, one checklist comment", async () => {
    const pr = e2e.fake.openPullRequest(REPO, {
      title: "Charge customers for usage",
      body: "Adds billing.",
      files: { "src/billing.ts": BILLING, "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) },
    });
    const delivery = await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    expect(delivery.status).toBeLessThan(300);
    await e2e.idle();

    const runs = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run.name).toBe("ai-gaps");
    expect(run.status).toBe("completed");
    expect(FINAL.has(String(run.conclusion))).toBe(true);
    // Created in progress first, completed later.
    expect(run.history[0]).toMatchObject({ status: "in_progress" });
    expect(run.annotations.length).toBeGreaterThanOrEqual(3);
    expect(run.annotations.every((a) => a.path === "src/billing.ts")).toBe(true);
    expect(run.annotations.map((a) => String(a.title)).join("\n")).toMatch(/float-money/);
    expect(run.output.title).toMatch(/finding/i);
    expect(run.output.summary).toMatch(/assets\/logo\.png/); // the binary file is listed as skipped

    const comments = e2e.fake.commentsOn(REPO, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].user.login).toBe("ai-gaps[bot]");
    expect(comments[0].body).toMatch(MARKER);
    expect(comments[0].body).toMatch(/- \[ \]/);

    // Contents came in a batch (GraphQL), not one request per file.
    expect(e2e.fake.requestsTo("POST /graphql").length).toBeGreaterThanOrEqual(1);
    expect(e2e.fake.requestsTo("repos/get-content", (r) => r.params.path === "src/billing.ts")).toHaveLength(0);

    // A second delivery for a new push updates the same comment in place.
    e2e.fake.push(REPO, pr.number, { "src/billing.ts": BILLING.replace("1.2", "1.25") });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "synchronize"));
    await e2e.idle();
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
    expect(e2e.fake.commentsOn(REPO, pr.number)[0].history.length).toBeGreaterThanOrEqual(1);
    expect(finalRuns(e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }))).toHaveLength(1);
  });

  it("pages more than 50 annotations over several check-run requests, most severe first", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`src/billing/f${i}.ts`] = BILLING.replace("chargeCustomer", `charge${i}`);
    const pr = e2e.fake.openPullRequest(REPO, { title: "Many billing files", files });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    const [run] = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(run.status).toBe("completed");
    expect(run.annotations.length).toBeGreaterThan(50);
    const perRequest = run.history.map((b) => ((b.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length);
    expect(Math.max(...perRequest)).toBeLessThanOrEqual(50);
    expect(perRequest.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const rank: Record<string, number> = { failure: 0, warning: 1, notice: 2 };
    const levels = run.annotations.map((a) => rank[String(a.annotation_level)]);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
  });

  it("refuses a forged signature without calling GitHub", async () => {
    const pr = e2e.fake.openPullRequest(REPO, { files: { "src/billing.ts": BILLING } });
    const forged = await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"), { secret: "not-the-secret" });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    const unsigned = await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"), { signature: "sha256=00" });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    await e2e.idle();
    expect(e2e.fake.requests).toHaveLength(0);
    expect(e2e.fake.checkRuns).toHaveLength(0);
  });

  it("a duplicate delivery and two racing synchronize events leave one comment and no final result on the superseded SHA", async () => {
    const pr = e2e.fake.openPullRequest(REPO, { files: { "src/billing.ts": BILLING } });
    const opened = pullRequestEvent(e2e.fake, pr, "opened");
    // The same delivery twice at once (GitHub redelivery), then wait for it.
    const [first, again] = await Promise.all([
      e2e.deliver("pull_request", opened, { id: "delivery-opened" }),
      e2e.deliver("pull_request", opened, { id: "delivery-opened" }),
    ]);
    expect([first.status, again.status].every((s) => s < 300)).toBe(true);
    await e2e.idle();
    expect(e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha })).toHaveLength(1);
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(1);

    // Two pushes in quick succession: the first push's review is slowed down so the second overtakes it.
    const older = e2e.fake.push(REPO, pr.number, { "src/billing.ts": BILLING.replace("1.2", "1.3") });
    const olderEvent = pullRequestEvent(e2e.fake, pr, "synchronize");
    const newer = e2e.fake.push(REPO, pr.number, { "src/billing.ts": BILLING.replace("1.2", "1.4") });
    const newerEvent = pullRequestEvent(e2e.fake, pr, "synchronize");
    e2e.fake.latency("pulls/list-files", 150);
    await e2e.deliver("pull_request", olderEvent);
    await e2e.deliver("pull_request", newerEvent);
    await e2e.deliver("pull_request", newerEvent, { id: "same-push-again" }); // a second delivery of the same push
    await e2e.idle();

    // The newer head has exactly one final result; the older one has none (absent or cancelled).
    expect(finalRuns(e2e.fake.checkRunsFor(REPO, { headSha: newer }))).toHaveLength(1);
    const olderRuns = e2e.fake.checkRunsFor(REPO, { headSha: older });
    expect(finalRuns(olderRuns)).toEqual([]);
    for (const run of olderRuns) {
      expect(run.status).toBe("completed");
      expect(["cancelled", "skipped"]).toContain(run.conclusion);
      expect(run.output.title).toMatch(/supersed/i);
    }
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
    expect(e2e.fake.requestsTo("issues/create-comment")).toHaveLength(1);
  });

  it("retries a 502 and then succeeds", async () => {
    const pr = e2e.fake.openPullRequest(REPO, { files: { "src/billing.ts": BILLING } });
    e2e.fake.fail("pulls/list-files", { times: 1, status: 502 });
    e2e.fake.fail("checks/update", { times: 1, status: 502 });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    expect(e2e.fake.requestsTo("pulls/list-files").map((r) => r.status)).toEqual([502, 200]);
    expect(e2e.fake.requestsTo("checks/update").map((r) => r.status).slice(0, 2)).toEqual([502, 200]);
    expect(finalRuns(e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }))).toHaveLength(1);
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
  });

  it("retries a secondary rate limit after retry-after", async () => {
    const pr = e2e.fake.openPullRequest(REPO, { files: { "src/billing.ts": BILLING } });
    e2e.fake.secondaryRateLimit("checks/create", { times: 1, retryAfter: 2 });
    e2e.fake.secondaryRateLimit("issues/create-comment", { times: 1, retryAfter: 1 });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    const creates = e2e.fake.requestsTo("checks/create");
    expect(creates.map((r) => r.status)).toEqual([403, 201]);
    // Waited at least retry-after (2 units of AI_GAPS_RETRY_BASE_MS = 5 ms) before retrying.
    expect(creates[1].receivedAt - creates[0].answeredAt).toBeGreaterThanOrEqual(9);
    expect(e2e.fake.requestsTo("issues/create-comment").map((r) => r.status)).toEqual([403, 201]);
    expect(finalRuns(e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha }))).toHaveLength(1);
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(1);
  });

  it("reports a malformed config as a configuration-error check run with line and column, and posts nothing else", async () => {
    e2e.fake.setConfig(REPO, "gate:\n  mode: block\nannotations:\n  max: [1, 2\n");
    const pr = e2e.fake.openPullRequest(REPO, { files: { "src/billing.ts": BILLING } });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    const runs = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe("completed");
    expect(runs[0].conclusion).toBe("failure");
    expect(runs[0].output.title).toMatch(/configuration error/i);
    expect(runs[0].output.summary).toMatch(/line \d+, column \d+/);
    expect(runs[0].annotations).toEqual([]);
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(0);
    expect(e2e.fake.requestsTo("POST /graphql")).toHaveLength(0);

    // A schema error (unknown key, wrong type) names each problem with its line and column.
    e2e.fake.setConfig(REPO, "gate:\n  mood: block\nannotations:\n  max: lots\n");
    e2e.fake.push(REPO, pr.number, { "src/other.ts": "export const x = 1;\n" });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "synchronize"));
    await e2e.idle();
    const [latest] = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(latest.output.title).toMatch(/configuration error: 2 problems/i);
    expect(latest.output.summary).toMatch(/line 2, column 3/);
    expect(latest.output.summary).toMatch(/line 4, column 8/);
    expect(e2e.fake.commentsOn(REPO, pr.number)).toHaveLength(0);
  });

  it("reads the config from the default branch, not from the PR", async () => {
    e2e.fake.setConfig(REPO, "annotations:\n  max: 1\n");
    const pr = e2e.fake.openPullRequest(REPO, {
      files: { "src/billing.ts": BILLING, ".github/ai-gaps.yml": "annotations:\n  max: 100\nrules:\n  float-money: off\n" },
    });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
    await e2e.idle();
    const [run] = e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha });
    expect(run.annotations).toHaveLength(1);
    expect(run.output.summary).toMatch(/acme\/shop:\.github\/ai-gaps\.yml/);
  });
});
