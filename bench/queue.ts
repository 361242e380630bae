// Durable-queue benchmark: a real redis-server, the app as separate processes (one web, N workers) against the
// loopback fake GitHub (in this process), signed webhooks over HTTP.
//  1. Burst: 500 webhooks in 10 s over 50 PRs (each a push, so older heads are superseded), 1 web + 2 workers:
//     answer time p50/p99/max, and the time until every PR's newest head has a completed check run.
//  2. Throughput: 60 PRs opened at once, reviewed by 1, 2 and 4 worker processes; reviews per second and the
//     ratio to 1 worker, measured in the same run.
//
//   npx tsx bench/queue.ts
//   BENCH_WEBHOOKS=500 BENCH_SECONDS=10 BENCH_PRS=50 BENCH_THROUGHPUT_PRS=60 BENCH_WORKERS=1,2,4 npx tsx bench/queue.ts
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { AppProcess } from "../test/support/app-process.js";
import { FakeGitHub, type PullRequest } from "../test/support/fake-github.js";
import { appKeys } from "../test/support/keys.js";
import { pullRequestEvent } from "../test/support/payloads.js";
import { RedisServer } from "../test/support/redis.js";

const WEBHOOKS = bounded(process.env.BENCH_WEBHOOKS, 500, 5000);
const SECONDS = bounded(process.env.BENCH_SECONDS, 10, 120);
const PRS = bounded(process.env.BENCH_PRS, 50, 500);
const THROUGHPUT_PRS = bounded(process.env.BENCH_THROUGHPUT_PRS, 60, 1000);
const WORKERS = (process.env.BENCH_WORKERS ?? "1,2,4").split(",").map((n) => bounded(n, 1, 16));
const REPO = "bench/app";
const FINAL = new Set(["success", "failure", "neutral", "action_required"]);
// Each worker process: one engine thread and 4 jobs at once, so N processes are N engine threads.
const WORKER_ENV = { AI_GAPS_ROLE: "worker", AI_GAPS_ENGINE_WORKERS: "1", AI_GAPS_CONCURRENCY: "4", LOG_LEVEL: "error" };

function bounded(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A small TypeScript change with a few production gaps (the engine has something to find). */
function files(n: number, version: number): Record<string, string> {
  return {
    [`src/billing/invoice-${n}.ts`]: `export async function charge${n}(customerId: string, amount: string) {
  const price = parseFloat(amount) * ${1 + version / 100};
  const res = await fetch(\`https://payments.example.com/charge/\${customerId}\`, { method: "POST", body: JSON.stringify({ price }) });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await fetch("https://payments.example.com/confirm");
    } catch {
      continue;
    }
  }
  return res;
}
`,
    [`src/lib/util-${n}.ts`]: `export const id${n} = (x: string) => x.trim();\nexport function sum${n}(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0 + ${version});\n}\n`,
  };
}

function reviewed(fake: FakeGitHub, pr: PullRequest): boolean {
  return fake.checkRunsFor(REPO, { headSha: pr.headSha }).some((r) => r.status === "completed" && FINAL.has(String(r.conclusion)));
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - start;
}

async function rig(workers: number) {
  const redis = await RedisServer.start();
  const fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({ owner: "bench", name: "app", files: { "README.md": "# app\n", "src/index.ts": "export {};\n" } });
  const web = await AppProcess.start("web", fake, redis.url, { AI_GAPS_ROLE: "web", LOG_LEVEL: "error" });
  const pool = await Promise.all(Array.from({ length: workers }, (_, i) => AppProcess.start(`worker-${i}`, fake, redis.url, WORKER_ENV)));
  const stop = async () => {
    await Promise.all([web, ...pool].map((p) => p.kill("SIGTERM")));
    await fake.close();
    await redis.stop();
  };
  return { redis, fake, web, stop };
}

async function burst(): Promise<void> {
  const { fake, web, stop } = await rig(2);
  try {
    const prs = Array.from({ length: PRS }, (_, i) => fake.openPullRequest(REPO, { title: `Change ${i}`, body: "Bench.", files: files(i, 0) }));
    const answers: number[] = [];
    const statuses: number[] = [];
    const gap = (SECONDS * 1000) / WEBHOOKS;
    const start = performance.now();
    const sent: Promise<void>[] = [];
    for (let i = 0; i < WEBHOOKS; i++) {
      const due = start + i * gap;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const n = i % PRS;
      const pr = prs[n];
      // The first round opens each PR; later rounds push to it.
      const action = i < PRS ? "opened" : "synchronize";
      if (action === "synchronize") fake.push(REPO, pr.number, files(n, i));
      const payload = pullRequestEvent(fake, pr, action);
      sent.push(
        web.deliver("pull_request", payload).then((d) => {
          answers.push(d.ms);
          statuses.push(d.status);
        }),
      );
    }
    await Promise.all(sent);
    const sentMs = performance.now() - start;
    const drainMs = await until("every PR's newest head reviewed", () => prs.every((pr) => reviewed(fake, pr)), 600_000);
    const runs = fake.checkRunsFor(REPO);
    const completed = runs.filter((r) => r.status === "completed" && FINAL.has(String(r.conclusion))).length;
    const cancelled = runs.filter((r) => r.conclusion === "cancelled").length;
    const refused = statuses.filter((s) => s >= 300).length;
    console.log(`burst: ${WEBHOOKS} webhooks over ${PRS} PRs sent in ${(sentMs / 1000).toFixed(1)} s to 1 web process (2 workers)`);
    console.log(`  answer time: p50 ${percentile(answers, 50).toFixed(1)} ms, p99 ${percentile(answers, 99).toFixed(1)} ms, max ${Math.max(...answers).toFixed(1)} ms; non-2xx answers: ${refused}`);
    console.log(`  every PR's newest head reviewed ${(drainMs / 1000).toFixed(1)} s after the last webhook: ${prs.filter((pr) => reviewed(fake, pr)).length}/${PRS} PRs`);
    console.log(`  check runs: ${runs.length} (${completed} completed with a result, ${cancelled} cancelled as superseded); ${WEBHOOKS - runs.length} webhooks' older heads never started`);
  } finally {
    await stop();
  }
}

async function throughput(workers: number): Promise<number> {
  const { fake, web, stop } = await rig(workers);
  try {
    const prs = Array.from({ length: THROUGHPUT_PRS }, (_, i) => fake.openPullRequest(REPO, { title: `Change ${i}`, body: "Bench.", files: files(i, 1) }));
    const start = performance.now();
    const answers = await Promise.all(prs.map((pr) => web.deliver("pull_request", pullRequestEvent(fake, pr, "opened"))));
    if (answers.some((d) => d.status >= 300)) throw new Error("a webhook was refused");
    await until("all reviews", () => prs.every((pr) => reviewed(fake, pr)), 600_000);
    const seconds = (performance.now() - start) / 1000;
    return THROUGHPUT_PRS / seconds;
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  console.log(`durable-queue bench: ${cpus().length} CPU(s) (${cpus()[0]?.model ?? "unknown"}); machine shared with other work, figures vary between runs`);
  await burst();
  const rates: [number, number][] = [];
  for (const n of WORKERS) rates.push([n, await throughput(n)]);
  const base = rates[0][1];
  console.log(`throughput: ${THROUGHPUT_PRS} PRs opened at once, one web process, worker processes with one engine thread each`);
  for (const [n, rate] of rates) console.log(`  ${n} worker(s): ${rate.toFixed(2)} reviews/s (x${(rate / base).toFixed(2)} of ${rates[0][0]} worker)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
