// The durable queue end to end: a real redis-server, the app as separate processes (web and workers) against one
// loopback fake GitHub, webhooks over HTTP. Duplicates collapse across processes, the newest head wins a race,
// a killed worker's review is finished by another, and a Redis crash loses no accepted job.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Queue } from "bullmq";
import { AppProcess } from "../support/app-process.js";
import { E2E } from "../support/e2e.js";
import type { CheckRun, FakeGitHub, PullRequest } from "../support/fake-github.js";
import { pullRequestEvent } from "../support/payloads.js";
import { RedisServer } from "../support/redis.js";

const REPO = "acme/shop";
const MARKER = /<!--\s*ai-gaps/;
const FINAL = new Set(["success", "failure", "neutral", "action_required", "timed_out"]);
const LIST_FILES = "GET /repos/{owner}/{repo}/pulls/{pull_number}/files";

const BILLING = `export async function chargeCustomer(customerId: string, amount: string) {
  const price = parseFloat(amount);
  const total = price * 1.2;
  return fetch(\`https://payments.example.com/charge/\${customerId}\`, { method: "POST", body: JSON.stringify({ total }) });
}
`;

function finalRuns(runs: CheckRun[]): CheckRun[] {
  return runs.filter((r) => r.status === "completed" && FINAL.has(String(r.conclusion)));
}

function addShop(fake: FakeGitHub): void {
  fake.addRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n", "src/util.ts": "export const id = (x: string) => x;\n" } });
}

function openPr(fake: FakeGitHub, n: number): PullRequest {
  return fake.openPullRequest(REPO, { title: `Charge customers (${n})`, body: "Adds billing.", files: { [`src/billing${n}.ts`]: BILLING } });
}

function checklists(fake: FakeGitHub, pr: PullRequest) {
  return fake.commentsOn(REPO, pr.number).filter((c) => MARKER.test(c.body));
}

/** The app's JSON log lines with one of these messages. */
function jobLines(app: AppProcess, messages: string[] | ((msg: string) => boolean)): Record<string, unknown>[] {
  const wanted = typeof messages === "function" ? messages : (msg: string) => messages.includes(msg);
  return app.output
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => wanted(String(l.msg)));
}

/** GitHub's updated_at (whole seconds) `s` seconds from now. */
function secondsFromNow(s: number): string {
  return new Date(Date.now() + s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

describe("e2e: durable queue on a real redis-server", () => {
  let redis: RedisServer;
  let e2e: E2E | undefined;
  const apps: AppProcess[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.kill("SIGKILL")));
    await e2e?.stop();
    e2e = undefined;
    await redis.stop();
  });

  describe("one process", () => {
    beforeEach(async () => {
      redis = await RedisServer.start();
    });

    it("stores the job in Redis before answering; a worker started later runs it; /readyz follows Redis", async () => {
      e2e = await E2E.start({ env: { REDIS_URL: redis.url, AI_GAPS_ROLE: "web" } });
      addShop(e2e.fake);
      const pr = openPr(e2e.fake, 1);
      const delivery = await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
      expect(delivery.status).toBeLessThan(300);

      // Answered, and the job is in Redis; the web role runs nothing, so GitHub has heard nothing yet.
      const reviews = new Queue("reviews", { connection: { url: redis.url }, prefix: "ai-gaps" });
      try {
        const job = await reviews.getJob(`d-${delivery.id}-${REPO}#${pr.number}`);
        expect(job?.data).toMatchObject({ key: `${REPO}#${pr.number}`, sha: pr.headSha, task: { name: "review" } });
        expect(await job!.getState()).toBe("waiting");
      } finally {
        await reviews.close();
      }
      expect(e2e.fake.checkRunsFor(REPO)).toHaveLength(0);

      const metrics = await (await fetch(`${e2e.url}/metrics`)).text();
      expect(metrics).toMatch(/ai_gaps_webhooks_total\{event="pull_request.opened",outcome="queued"\} 1/);
      expect(metrics).toMatch(/ai_gaps_queue_depth\{queue="reviews",state="waiting"\} 1/);
      // A web process runs no reviews, so it has no engine threads (AI_GAPS_ENGINE_WORKERS is for workers).
      expect(e2e.app.engine).toBeUndefined();
      expect(metrics).toMatch(/ai_gaps_engine_threads\{state="size"\} 0/);
      expect(metrics).toMatch(/ai_gaps_engine_threads\{state="alive"\} 0/);

      const worker = await AppProcess.start("worker", e2e.fake, redis.url, { AI_GAPS_ROLE: "worker", AI_GAPS_ENGINE_WORKERS: "3" });
      apps.push(worker);
      await e2e.fake.waitFor(() => finalRuns(e2e!.fake.checkRunsFor(REPO, { headSha: pr.headSha })).length, 30_000, "the worker's review");
      await e2e.fake.settle(300);
      expect(e2e.fake.checkRunsFor(REPO, { headSha: pr.headSha })).toHaveLength(1);
      expect(checklists(e2e.fake, pr)).toHaveLength(1);
      const workerMetrics = await (await fetch(`${worker.url}/metrics`)).text();
      expect(workerMetrics).toMatch(/ai_gaps_job_duration_seconds_count\{queue="reviews",task="review",outcome="completed"\} 1/);
      expect(workerMetrics).toMatch(/ai_gaps_github_requests_total\{method="POST",route="\/repos\/\{owner\}\/\{repo\}\/check-runs",status="201"\} 1/);
      expect(workerMetrics).toMatch(/ai_gaps_rule_seconds_count\{rule="float-money"\} 1/);
      expect(workerMetrics).toMatch(/ai_gaps_engine_threads\{state="size"\} 3/);
      expect(workerMetrics).toMatch(/ai_gaps_engine_threads\{state="alive"\} 1/);
      // The worker runs below the web process's CPU priority (AI_GAPS_WORKER_NICE, default 10).
      expect(readFileSync(`/proc/${worker.child.pid}/stat`, "utf8").split(") ")[1].split(" ")[16]).toBe("10");

      expect((await fetch(`${e2e.url}/readyz`)).status).toBe(200);
      await redis.kill();
      expect((await fetch(`${e2e.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${e2e.url}/healthz`)).status).toBe(200);
      // While Redis is away a delivery is refused, not answered as if accepted: GitHub records the failure.
      const refused = await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, openPr(e2e.fake, 2), "opened"));
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(e2e.fake.violations).toEqual([]);
    }, 90_000);
  });

  describe("several processes", () => {
    let fake: FakeGitHub;

    beforeEach(async () => {
      redis = await RedisServer.start({ persistent: true });
      // The fake lives in this process; the apps reach it over loopback HTTP.
      e2e = await E2E.start();
      fake = e2e.fake;
      addShop(fake);
    });

    afterEach(() => {
      expect(fake.violations).toEqual([]);
    });

    it("duplicate deliveries to two processes give one review and one comment", async () => {
      const [a, b] = await Promise.all([AppProcess.start("a", fake, redis.url), AppProcess.start("b", fake, redis.url)]);
      apps.push(a, b);
      const pr = openPr(fake, 1);
      const payload = pullRequestEvent(fake, pr, "opened");
      const id = "4d2f6c1e-0000-4000-8000-000000000001";
      const answers = await Promise.all([a.deliver("pull_request", payload, { id }), b.deliver("pull_request", payload, { id })]);
      expect(answers.map((d) => d.status < 300)).toEqual([true, true]);
      await fake.waitFor(() => finalRuns(fake.checkRunsFor(REPO, { headSha: pr.headSha })).length, 30_000, "the review");
      // A redelivery after the review is done is a duplicate too.
      expect((await b.deliver("pull_request", payload, { id })).status).toBeLessThan(300);
      await fake.settle(1000);

      expect(fake.checkRunsFor(REPO, { headSha: pr.headSha })).toHaveLength(1);
      expect(checklists(fake, pr)).toHaveLength(1);
      expect(fake.requestsTo("POST /repos/{owner}/{repo}/check-runs")).toHaveLength(1);
      expect(fake.reviews.filter((r) => r.pullNumber === pr.number).length).toBeLessThanOrEqual(1);
    }, 90_000);

    it("racing pushes delivered to two processes: only the newest head is reviewed", async () => {
      const [a, b] = await Promise.all([AppProcess.start("a", fake, redis.url), AppProcess.start("b", fake, redis.url)]);
      apps.push(a, b);
      const pr = openPr(fake, 1);
      const first = fake.push(REPO, pr.number, { "src/billing1.ts": BILLING.replace("1.2", "1.3") });
      const older = pullRequestEvent(fake, pr, "synchronize");
      const newest = fake.push(REPO, pr.number, { "src/billing1.ts": BILLING.replace("1.2", "1.4") });
      pr.updatedAt = secondsFromNow(1);
      const newer = pullRequestEvent(fake, pr, "synchronize");
      const answers = await Promise.all([a.deliver("pull_request", older), b.deliver("pull_request", newer)]);
      expect(answers.map((d) => d.status < 300)).toEqual([true, true]);

      await fake.waitFor(() => finalRuns(fake.checkRunsFor(REPO, { headSha: newest })).length, 30_000, "the newest head's review");
      await fake.settle(1000);
      expect(finalRuns(fake.checkRunsFor(REPO, { headSha: newest }))).toHaveLength(1);
      // The older head got no result: no run at all, or one completed as cancelled ("superseded").
      expect(finalRuns(fake.checkRunsFor(REPO, { headSha: first }))).toHaveLength(0);
      expect(fake.checkRunsFor(REPO, { headSha: first }).every((r) => r.status === "completed")).toBe(true);
      expect(checklists(fake, pr)).toHaveLength(1);
    }, 90_000);

    it("a worker killed mid-review (SIGKILL) is taken over by another: one completed check run", async () => {
      const web = await AppProcess.start("web", fake, redis.url, { AI_GAPS_ROLE: "web" });
      const doomed = await AppProcess.start("doomed", fake, redis.url, { AI_GAPS_ROLE: "worker" });
      apps.push(web, doomed);
      fake.latency(LIST_FILES, 10_000); // the review stalls after its check run is in progress
      const pr = openPr(fake, 1);
      expect((await web.deliver("pull_request", pullRequestEvent(fake, pr, "opened"))).status).toBeLessThan(300);
      await fake.waitFor(() => fake.checkRunsFor(REPO, { headSha: pr.headSha }).find((r) => r.status === "in_progress"), 30_000, "the run in progress");
      await fake.waitFor(() => fake.requestsTo(LIST_FILES).length || undefined, 10_000, "the stalled request");

      const survivor = await AppProcess.start("survivor", fake, redis.url, { AI_GAPS_ROLE: "worker" });
      apps.push(survivor);
      await doomed.kill("SIGKILL");
      fake.clearFaults();

      await fake.waitFor(() => finalRuns(fake.checkRunsFor(REPO, { headSha: pr.headSha })).length, 45_000, "the survivor's review");
      await fake.settle(500);
      const runs = fake.checkRunsFor(REPO, { headSha: pr.headSha });
      expect(runs).toHaveLength(1);
      expect(runs[0].status).toBe("completed");
      expect(FINAL.has(String(runs[0].conclusion))).toBe(true);
      expect(runs[0].annotations.length).toBeGreaterThan(0);
      expect(checklists(fake, pr)).toHaveLength(1);
    }, 120_000);

    it("a review whose workers keep dying is failed for good and its one check run completed, saying why", async () => {
      // One takeover allowed: the second dead worker makes the job fail for good on the next worker that looks.
      const env = { AI_GAPS_ROLE: "worker", AI_GAPS_JOB_MAX_STALLED: "1" };
      const web = await AppProcess.start("web", fake, redis.url, { AI_GAPS_ROLE: "web" });
      apps.push(web);
      fake.latency(LIST_FILES, 60_000); // every worker hangs once its check run is in progress
      const pr = openPr(fake, 1);
      const delivery = await web.deliver("pull_request", pullRequestEvent(fake, pr, "opened"));
      expect(delivery.status).toBeLessThan(300);
      for (let n = 1; n <= 2; n++) {
        const doomed = await AppProcess.start(`doomed-${n}`, fake, redis.url, env);
        apps.push(doomed);
        await fake.waitFor(() => fake.requestsTo(LIST_FILES).length >= n || undefined, 30_000, `worker ${n} in the review`);
        await doomed.kill("SIGKILL");
      }
      fake.clearFaults();
      const last = await AppProcess.start("last", fake, redis.url, env);
      apps.push(last);

      await fake.waitFor(() => fake.checkRunsFor(REPO, { headSha: pr.headSha }).find((r) => r.status === "completed"), 30_000, "the run completed");
      // Not settle(): the dead workers' hung requests are still open in the fake.
      await new Promise((r) => setTimeout(r, 1000));
      const runs = fake.checkRunsFor(REPO, { headSha: pr.headSha });
      expect(runs).toHaveLength(1); // the run the first worker created, reused by the second, completed by the last
      expect(runs[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "ai-gaps could not finish the review" } });
      expect(runs[0].output.summary).toMatch(/worker process running it stopped before it finished .*2 times in a row/);
      expect(runs[0].output.summary).toMatch(/Press Re-run on this check/);
      expect(runs[0].actions).toEqual([expect.objectContaining({ identifier: "rerun", label: "Re-run" })]);
      expect(fake.requestsTo(LIST_FILES)).toHaveLength(2); // the last worker did not start the review a third time
      expect(checklists(fake, pr)).toHaveLength(0);

      // Its log lines about the job name the delivery, repository, PR and head.
      const lines = jobLines(last, ["job failed for good", "review abandoned: check run completed"]);
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatchObject({ delivery: delivery.id, repository: REPO, pr: pr.number, sha: pr.headSha });
    }, 150_000);

    it("a review GitHub keeps failing past its last attempt ends with a completed run, the tidy-up retried too", async () => {
      // Two attempts, no Octokit retries: each 502 below is one failed request.
      // Debug: Probot logs every GitHub request there.
      const worker = await AppProcess.start("worker", fake, redis.url, { AI_GAPS_JOB_ATTEMPTS: "2", AI_GAPS_RETRIES: "0", LOG_LEVEL: "debug" });
      apps.push(worker);
      const UPDATE_RUN = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";
      // Attempt 1 fails listing the files; attempt 2 fails taking its run over; the first tidy-up fails to complete it.
      fake.fail(LIST_FILES, { times: 1 });
      fake.fail(UPDATE_RUN, { times: 2 });
      const pr = openPr(fake, 1);
      const delivery = await worker.deliver("pull_request", pullRequestEvent(fake, pr, "opened"));
      expect(delivery.status).toBeLessThan(300);

      await fake.waitFor(() => fake.checkRunsFor(REPO, { headSha: pr.headSha }).find((r) => r.status === "completed"), 30_000, "the run completed");
      await fake.settle(500);
      const runs = fake.checkRunsFor(REPO, { headSha: pr.headSha });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(runs[0].output.summary).toMatch(/GitHub kept failing after 2 attempt\(s\)/);
      expect(fake.requestsTo(UPDATE_RUN).map((r) => r.status)).toEqual([502, 502, 200]);
      const lines = jobLines(worker, ["job failed for good", "review abandoned: check run completed"]);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      // So do the GitHub client's own lines: the two failed updates, one from the review, one from its tidy-up.
      const failedUpdates = jobLines(worker, (msg) => /^GitHub request: PATCH \S+\/repos\/acme\/shop\/check-runs\/\d+ - 502$/.test(msg));
      expect(failedUpdates).toHaveLength(2);
      for (const line of [...lines, ...failedUpdates]) expect(line).toMatchObject({ delivery: delivery.id, repository: REPO, pr: pr.number, sha: pr.headSha });
    }, 90_000);

    it("Redis killed and restarted mid-run (append-only file): every accepted job is reviewed", async () => {
      const [a, b] = await Promise.all([AppProcess.start("a", fake, redis.url), AppProcess.start("b", fake, redis.url)]);
      apps.push(a, b);
      fake.latency(LIST_FILES, 400);
      const prs = Array.from({ length: 6 }, (_, i) => openPr(fake, i + 1));
      const answers = await Promise.all(prs.map((pr, i) => (i % 2 ? b : a).deliver("pull_request", pullRequestEvent(fake, pr, "opened"))));
      expect(answers.every((d) => d.status < 300)).toBe(true);

      await redis.kill();
      expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
      await new Promise((r) => setTimeout(r, 500));
      await redis.start();
      await a.waitReady(20_000);
      fake.clearFaults();

      for (const pr of prs) {
        await fake.waitFor(() => finalRuns(fake.checkRunsFor(REPO, { headSha: pr.headSha })).length, 60_000, `the review of #${pr.number}`);
      }
      await fake.settle(1000);
      for (const pr of prs) {
        expect(fake.checkRunsFor(REPO, { headSha: pr.headSha }).every((r) => r.status === "completed")).toBe(true);
        expect(checklists(fake, pr)).toHaveLength(1);
      }
    }, 150_000);
  });
});
