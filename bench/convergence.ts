// Benchmark: the GitHub requests the cascade convergence monitor adds per push. The app runs in-process
// (probot.receive) against the loopback fake GitHub; a PR gets a series of pushes, each with CI (another
// app's check run) that finishes after the review, then a check_suite.completed. The same series runs with
// `cascade.monitor.enabled: false` as the baseline, in the same process. Prints requests per push by route,
// the extra requests and the ratio; and the cold case (a PR opened with 30 commits of finished CI).
//
//   npm run bench:convergence          (tsx bench/convergence.ts)
//   BENCH_PUSHES=20 npm run bench:convergence
import { pino } from "pino";
import { Probot } from "probot";
import { TestOctokit } from "../src/github/octokit.js";
import { countCache } from "../src/github/convergence.js";
import { createApp } from "../src/index.js";
import { ReviewQueue } from "../src/queue.js";
import { FakeGitHub, type PullRequest } from "../test/support/fake-github.js";
import { appKeys } from "../test/support/keys.js";
import { checkSuiteEvent, pullRequestEvent } from "../test/support/payloads.js";

const PUSHES = Math.min(50, Math.max(1, Number(process.env.BENCH_PUSHES) || 10));
const COLD_COMMITS = 30;
const REPO = "bench/ledger";
const CI = { id: 777, slug: "buildkite" };

interface Setup {
  monitor: boolean;
  fake: FakeGitHub;
  probot: Probot;
  queue: ReviewQueue;
}

async function setup(monitor: boolean): Promise<Setup> {
  const fake = await FakeGitHub.start({ appPublicKey: appKeys().publicKey });
  fake.addRepo({ owner: "bench", name: "ledger", files: { "src/pricing.ts": "export function computeTotal(x: number[]) {\n  return x.length;\n}\n", "src/invoice.ts": 'import { computeTotal } from "./pricing.js";\nexport const t = computeTotal([]);\n' } });
  if (!monitor) fake.setConfig(REPO, "cascade:\n  monitor:\n    enabled: false\n");
  else fake.setConfig(REPO, "cascade:\n  monitor:\n    enabled: true\n");
  const probot = new Probot({ appId: fake.appId, privateKey: appKeys().privateKey, secret: "bench", baseUrl: fake.baseUrl, Octokit: TestOctokit, log: pino({ level: "silent" }) });
  const queue = new ReviewQueue();
  await probot.load(createApp({ queue, env: { WEBHOOK_SECRET: "bench", AI_GAPS_CONVERGENCE_DEBOUNCE_MS: "0" } }));
  countCache.clear();
  return { monitor, fake, probot, queue };
}

let delivery = 0;

function ci(fake: FakeGitHub, sha: string, errors: number, status = "completed") {
  const annotations = Array.from({ length: errors }, (_, i) => ({ annotation_level: "failure", message: `TS2304 (${i})` }));
  return fake.addCiRun(REPO, sha, { name: "tsc", app: CI, status, conclusion: errors ? "failure" : "success", annotations });
}

/** One push: the commit, the review of it, then its CI finishing and the suite event. Requests made. */
async function push(s: Setup, pr: PullRequest, i: number, errors: number): Promise<Map<string, number>> {
  const before = s.fake.requests.length;
  s.fake.push(REPO, pr.number, { [`src/fix${i}.ts`]: `export const f${i} = ${i};\n` }, `Fix errors, round ${i}`);
  const run = ci(s.fake, pr.headSha, 0, "in_progress");
  await s.probot.receive({ id: `p-${++delivery}`, name: "pull_request", payload: pullRequestEvent(s.fake, pr, "synchronize") } as never);
  await s.queue.idle();
  run.status = "completed";
  run.conclusion = errors ? "failure" : "success";
  run.annotations = Array.from({ length: errors }, (_, k) => ({ path: "src/a.ts", start_line: k + 1, end_line: k + 1, annotation_level: "failure", message: `TS2304 (${k})` }));
  // The baseline is the app without the monitor: it would not act on other apps' completions at all.
  if (s.monitor) {
    const suite = checkSuiteEvent(s.fake, pr, "completed");
    suite.check_suite.app = { ...suite.check_suite.app, id: CI.id, slug: CI.slug };
    await s.probot.receive({ id: `p-${++delivery}`, name: "check_suite", payload: suite } as never);
    await s.queue.idle();
  }
  return byRoute(s.fake, before);
}

function byRoute(fake: FakeGitHub, from: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of fake.requests.slice(from)) {
    if (r.route?.startsWith("POST /app/installations")) continue; // token refreshes
    out.set(r.route ?? r.url, (out.get(r.route ?? r.url) ?? 0) + 1);
  }
  return out;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function series(monitor: boolean) {
  const s = await setup(monitor);
  const pr = s.fake.openPullRequest(REPO, { files: { "src/pricing.ts": "export function calculateTotal(x: number[]) {\n  return x.length;\n}\n" }, message: "Rename computeTotal" });
  ci(s.fake, pr.headSha, 120);
  await s.probot.receive({ id: `p-${++delivery}`, name: "pull_request", payload: pullRequestEvent(s.fake, pr, "opened") } as never);
  await s.queue.idle();
  const pushes: Map<string, number>[] = [];
  for (let i = 1; i <= PUSHES; i++) pushes.push(await push(s, pr, i, Math.max(0, 120 - i * 3)));
  const violations = s.fake.violations.length;
  await s.fake.close();
  return { pushes, violations };
}

async function cold(monitor: boolean) {
  const s = await setup(monitor);
  const pr = s.fake.openPullRequest(REPO, { files: { "src/pricing.ts": "export function calculateTotal(x: number[]) {\n  return x.length;\n}\n" }, message: "Rename computeTotal" });
  ci(s.fake, pr.headSha, 214);
  for (let i = 1; i < COLD_COMMITS; i++) {
    s.fake.push(REPO, pr.number, { [`src/c${i}.ts`]: `export const c${i} = ${i};\n` }, `Fix ${i}`);
    ci(s.fake, pr.headSha, Math.max(14, 214 - i * 7));
  }
  const before = s.fake.requests.length;
  await s.probot.receive({ id: `c-${++delivery}`, name: "pull_request", payload: pullRequestEvent(s.fake, pr, "opened") } as never);
  await s.queue.idle();
  const requests = byRoute(s.fake, before);
  await s.fake.close();
  return requests;
}

function table(title: string, on: Map<string, number>, off: Map<string, number>, per = 1): void {
  console.log(`\n${title}`);
  const routes = [...new Set([...on.keys(), ...off.keys()])].sort();
  for (const r of routes) {
    const a = (on.get(r) ?? 0) / per;
    const b = (off.get(r) ?? 0) / per;
    if (a !== b) console.log(`  ${(a - b > 0 ? "+" : "") + (a - b).toFixed(1).padStart(5)}  ${r}  (${b.toFixed(1)} -> ${a.toFixed(1)})`);
  }
  const a = total(on) / per;
  const b = total(off) / per;
  console.log(`  total: ${b.toFixed(1)} without the monitor, ${a.toFixed(1)} with it: +${(a - b).toFixed(1)} requests (x${(a / b).toFixed(2)})`);
}

function sum(maps: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

const on = await series(true);
const off = await series(false);
console.log(`convergence monitor: GitHub requests per push (${PUSHES} pushes; each = review of the push, then CI completing and, with the monitor, check_suite.completed)`);
table("per push, mean, routes that differ:", sum(on.pushes), sum(off.pushes), PUSHES);
const last = on.pushes[on.pushes.length - 1];
console.log(`\n  push ${PUSHES} alone (PR with ${PUSHES + 1} commits, earlier counts cached): ${total(last)} requests with the monitor vs ${total(off.pushes[PUSHES - 1])} without`);
table(`cold: a PR opened with ${COLD_COMMITS} commits of finished CI (nothing cached), one review:`, await cold(true), await cold(false));
console.log(`\nOpenAPI violations: ${on.violations + off.violations}`);
