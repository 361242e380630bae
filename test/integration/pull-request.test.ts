// The pull_request path through probot.receive, against the loopback fake GitHub (every request is
// checked against GitHub's OpenAPI request schemas; `fake.violations` must stay empty).
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { Probot, type ProbotOctokit } from "probot";
import { CHECKLIST_MARKER } from "../../src/checklist/index.js";
import { createOctokit, TestOctokit } from "../../src/github/octokit.js";
import { createApp } from "../../src/index.js";
import { ReviewQueue } from "../../src/queue.js";
import { FakeGitHub, type PullRequest } from "../support/fake-github.js";
import { appKeys } from "../support/keys.js";
import { pullRequestEvent } from "../support/payloads.js";

const REPO = "acme/shop";
const LOGGING = "export function handle(req: { id: string }) {\n  console.log('got', req.id);\n}\n";

let fake: FakeGitHub;
let queue: ReviewQueue;
let probot: Probot;
let delivery = 0;

function makeProbot(Octokit: typeof ProbotOctokit = TestOctokit): Probot {
  const p = new Probot({
    appId: fake.appId,
    privateKey: appKeys().privateKey,
    secret: "test",
    baseUrl: fake.baseUrl,
    Octokit,
    log: pino({ level: process.env.LOG_LEVEL ?? "silent" }),
  });
  queue = new ReviewQueue();
  void p.load(createApp({ queue, env: { WEBHOOK_SECRET: "test" } }));
  return p;
}

async function send(pr: PullRequest, action: Parameters<typeof pullRequestEvent>[2], options: { id?: string; changes?: object } = {}) {
  const payload = pullRequestEvent(fake, pr, action, { changes: options.changes });
  await probot.receive({ id: options.id ?? `delivery-${++delivery}`, name: "pull_request", payload } as never);
}

function runs(sha?: string) {
  return fake.checkRunsFor(REPO, { name: "ai-gaps", ...(sha ? { headSha: sha } : {}) });
}

function checklistComments(number: number) {
  return fake.commentsOn(REPO, number).filter((c) => c.body.includes(CHECKLIST_MARKER));
}

beforeEach(async () => {
  fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({ owner: "acme", name: "shop", files: { "src/util.ts": "export const util = 1;\n", "README.md": "# shop\n" } });
  probot = makeProbot();
});

afterEach(async () => {
  await queue.idle();
  expect(fake.violations).toEqual([]);
  await fake.close();
});

describe("pull_request review", () => {
  test("opened: one completed check run with annotations, one checklist comment", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING, "package-lock.json": "{}\n", "logo.png": Buffer.from([0x89, 0x50, 0, 1, 2]) }, title: "Add handler" });
    await send(pr, "opened");
    expect(queue.active + queue.queued).toBe(1); // the webhook returned before the review ran
    await queue.idle();

    const [run] = runs(pr.headSha);
    expect(runs(pr.headSha)).toHaveLength(1);
    expect(run.status).toBe("completed");
    expect(["success", "failure", "neutral"]).toContain(run.conclusion);
    expect(run.output.title).toMatch(/^\d+ findings?( \(\d+ failures?\))?, \d+ categor(y|ies), checklist \d+\/\d+$/);
    expect(run.output.summary).toContain("| Category | Files | Findings | What to do now |");
    expect(run.output.text).toMatch(/## Findings by file \(\d+\)\n\n### `src\/handler\.ts`\n\n- .* · `unstructured-logging` · Operational resilience\n\n  .+\n\n  \*\*Why:\*\* /);
    expect(run.output.summary).toContain("`package-lock.json` | generated, vendored or lock file");
    expect(run.output.summary).toContain("defaults (no .github/ai-gaps.yml on the default branch)");
    const logging = run.annotations.find((a) => a.path === "src/handler.ts");
    expect(logging).toMatchObject({ start_line: 2, title: "Operational resilience: unstructured-logging" });
    expect(checklistComments(pr.number)).toHaveLength(1);
    expect(checklistComments(pr.number)[0].user.type).toBe("Bot");

    // Contents came through batched GraphQL, never per-file REST.
    expect(fake.requestsTo("POST /graphql").length).toBeGreaterThan(0);
    expect(fake.requestsTo("GET /repos/{owner}/{repo}/contents/{path}").filter((r) => !String(r.params.path).startsWith(".git"))).toEqual([]);
  });

  test("synchronize: a new run for the new head, the same comment edited in place", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    await send(pr, "opened");
    await queue.idle();
    const first = checklistComments(pr.number)[0];
    fake.push(REPO, pr.number, { "src/other.ts": "export const other = 2;\n" });
    await send(pr, "synchronize");
    await queue.idle();
    expect(runs(pr.headSha)).toHaveLength(1);
    expect(runs(pr.headSha)[0].status).toBe("completed");
    const comments = checklistComments(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].id).toBe(first.id);
  });

  test("a duplicate delivery, even arriving at once, gives one run and one comment", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    await Promise.all([send(pr, "opened", { id: "same" }), send(pr, "opened", { id: "same" })]);
    await queue.idle();
    await send(pr, "opened", { id: "same" });
    await queue.idle();
    expect(runs()).toHaveLength(1);
    expect(checklistComments(pr.number)).toHaveLength(1);
    expect(fake.requestsTo("POST /repos/{owner}/{repo}/check-runs")).toHaveLength(1);
  });

  test("two racing synchronize events: the superseded head gets no final result, one comment", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    const first = pr.headSha;
    const second = fake.push(REPO, pr.number, { "src/b.ts": "export const b = 1;\n" });
    const e1 = pullRequestEvent(fake, { ...pr, headSha: first }, "synchronize");
    const third = fake.push(REPO, pr.number, { "src/c.ts": "export const c = 1;\n" });
    const e2 = pullRequestEvent(fake, pr, "synchronize");
    e1.pull_request.head.sha = second;
    await Promise.all([
      probot.receive({ id: "s1", name: "pull_request", payload: e1 } as never),
      probot.receive({ id: "s2", name: "pull_request", payload: e2 } as never),
    ]);
    await queue.idle();
    const old = runs(second);
    expect(old.length).toBeLessThanOrEqual(1);
    expect(old.every((r) => r.conclusion === "cancelled" && /Superseded/.test(r.output.title ?? ""))).toBe(true);
    const current = runs(third);
    expect(current).toHaveLength(1);
    expect(current[0].status).toBe("completed");
    expect(current[0].conclusion).not.toBe("cancelled");
    expect(checklistComments(pr.number)).toHaveLength(1);
  });

  test("a job whose head moved on (seen from GitHub) posts nothing final", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    const stale = pr.headSha;
    const payload = pullRequestEvent(fake, pr, "opened");
    fake.push(REPO, pr.number, { "src/b.ts": "export const b = 1;\n" });
    await probot.receive({ id: "late", name: "pull_request", payload } as never);
    await queue.idle();
    expect(runs(stale)).toHaveLength(1);
    expect(runs(stale)[0].conclusion).toBe("cancelled");
    expect(checklistComments(pr.number)).toHaveLength(0);
  });

  test("a draft gets a neutral run that waits for ready for review; ready_for_review reviews it", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING }, draft: true });
    await send(pr, "opened");
    await queue.idle();
    expect(runs(pr.headSha)).toHaveLength(1);
    expect(runs(pr.headSha)[0]).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(runs(pr.headSha)[0].output.title).toContain("ready for review");
    expect(checklistComments(pr.number)).toHaveLength(0);

    pr.draft = false;
    await send(pr, "ready_for_review");
    await queue.idle();
    const all = runs(pr.headSha);
    expect(all).toHaveLength(1); // the draft run (no annotations) is reused
    expect(all[0].conclusion).not.toBe("neutral");
    expect(checklistComments(pr.number)).toHaveLength(1);
  });

  test("a malformed config: a configuration-error run naming line and column, nothing else", async () => {
    fake.setConfig(REPO, "gate:\n  mode: sometimes\nunknown_key: 1\n");
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    await send(pr, "opened");
    await queue.idle();
    const [run] = runs(pr.headSha);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.title).toMatch(/^Configuration error/);
    expect(run.output.summary).toMatch(/line 2, column \d+ `gate.mode`/);
    expect(run.output.summary).toMatch(/line 3, column 1 `unknown_key`/);
    expect(fake.commentsOn(REPO, pr.number)).toHaveLength(0);
  });

  test("edited: reviewed when the body changed, ignored otherwise", async () => {
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    await send(pr, "edited", { changes: { base: { ref: { from: "dev" } } } });
    await queue.idle();
    expect(runs()).toHaveLength(0);
    await send(pr, "edited", { changes: { body: { from: "old" } } });
    await queue.idle();
    expect(runs()).toHaveLength(1);
  });

  test("contents are batched: 45 changed files and their base versions in a few GraphQL requests", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 45; i++) files[`src/m${i}.ts`] = `export const v${i} = ${i};\n`;
    fake.commit(REPO, "main", files);
    const changed = Object.fromEntries(Object.keys(files).map((p, i) => [p, `export const v${i} = ${i + 1};\n`]));
    const pr = fake.openPullRequest(REPO, { files: changed });
    await send(pr, "opened");
    await queue.idle();
    expect(runs(pr.headSha)[0].status).toBe("completed");
    // 90 blob reads (head + base) in 3 requests, plus the repository scan and the .gitattributes files.
    expect(fake.requestsTo("POST /graphql").length).toBeLessThanOrEqual(5);
    expect(fake.requestsTo("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toHaveLength(0);
  });
});

describe("large files", () => {
  test("a blob GraphQL truncates is read once through REST; one over max_file_bytes is skipped with the reason", async () => {
    await fake.close();
    fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey, graphqlTruncateBytes: 200 });
    fake.addRepo({ owner: "acme", name: "shop" });
    probot = makeProbot();
    fake.setConfig(REPO, "limits:\n  max_file_bytes: 5000\n");
    const big = LOGGING + "// padding\n".repeat(30);
    const huge = "export const x = 1;\n" + "// padding\n".repeat(600);
    const pr = fake.openPullRequest(REPO, { files: { "src/big.ts": big, "src/huge.ts": huge } });
    await send(pr, "opened");
    await queue.idle();
    // The truncated blob is read to be analysed; the oversized one only to be classified.
    expect(fake.requestsTo("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toHaveLength(2);
    const [run] = runs(pr.headSha);
    expect(run.annotations.some((a) => a.path === "src/big.ts")).toBe(true);
    expect(run.output.summary).toMatch(/`src\/huge.ts` \| larger than limits.max_file_bytes \(\d+ > 5000 bytes\)/);
  });
});

describe("retries (Octokit retry and throttling enabled)", () => {
  beforeEach(() => {
    probot = makeProbot(
      createOctokit({ mutationIntervalMs: 0, retries: 2, rateLimitRetries: 2, retryBaseMs: 5, maxRetryAfterSeconds: 60 }),
    );
  });

  test("a 502 on creating the check run is retried", async () => {
    fake.fail("POST /repos/{owner}/{repo}/check-runs", { times: 1, status: 502 });
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    await send(pr, "opened");
    await queue.idle();
    expect(fake.requestsTo("POST /repos/{owner}/{repo}/check-runs").map((r) => r.status)).toEqual([502, 201]);
    expect(runs(pr.headSha)[0].status).toBe("completed");
  });

  test("a secondary rate limit (403 + retry-after) on the comment is retried", async () => {
    fake.secondaryRateLimit("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { times: 1, retryAfter: 1 });
    const pr = fake.openPullRequest(REPO, { files: { "src/handler.ts": LOGGING } });
    await send(pr, "opened");
    await queue.idle();
    expect(fake.requestsTo("POST /repos/{owner}/{repo}/issues/{issue_number}/comments").map((r) => r.status)).toEqual([403, 201]);
    expect(checklistComments(pr.number)).toHaveLength(1);
  });
});
