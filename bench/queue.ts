// Durable-queue benchmark, laid out as docker-compose runs the app: a real redis-server, one web process
// (AI_GAPS_ROLE=web) and worker processes (AI_GAPS_ROLE=worker), plus the fake GitHub (bench/queue-fake.ts) and the
// webhook sender (bench/queue-sender.ts) in processes of their own, over several installations. Every process
// is separate, so each one's CPU time is read from /proc and printed: that says where the time goes.
//  1. Throughput: PRs opened at once, reviewed by 1, 2 and 4 worker processes (one engine thread each); reviews
//     per second and the ratio to 1 worker, measured in the same run.
//  2. Burst: 500 webhooks in 10 s over 50 PRs (after the first round each is a push, so older heads are
//     superseded), 1 web + 2 workers: answer time p50/p95/p99/max, and the time until every newest head is reviewed.
//
//   npx tsx bench/queue.ts
//   BENCH_WEBHOOKS=500 BENCH_SECONDS=10 BENCH_PRS=50 BENCH_THROUGHPUT_PRS=40 BENCH_WORKERS=1,2,4 \
//   BENCH_INSTALLATIONS=10 BENCH_MUTATION_INTERVAL_MS=0 npx tsx bench/queue.ts
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { AppProcess, WEBHOOK_SECRET } from "../test/support/app-process.js";
import { appKeys } from "../test/support/keys.js";
import { RedisServer } from "../test/support/redis.js";
import type { PrRef, Progress } from "./queue-fake.js";
import type { Answers, Plan } from "./queue-sender.js";

const WEBHOOKS = bounded(process.env.BENCH_WEBHOOKS, 500, 5000);
const SECONDS = bounded(process.env.BENCH_SECONDS, 10, 120);
const PRS = bounded(process.env.BENCH_PRS, 50, 500);
const THROUGHPUT_PRS = bounded(process.env.BENCH_THROUGHPUT_PRS, 40, 1000);
const WORKERS = (process.env.BENCH_WORKERS ?? "1,2,4").split(",").map((n) => bounded(n, 1, 16));
const BURST_WORKERS = 2;
const INSTALLATIONS = bounded(process.env.BENCH_INSTALLATIONS, 10, 100);
const MUTATION_INTERVAL_MS = process.env.BENCH_MUTATION_INTERVAL_MS ?? "0";
const CONCURRENCY = "4";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const APP_ENV = { LOG_LEVEL: "error", AI_GAPS_MUTATION_INTERVAL_MS: MUTATION_INTERVAL_MS };
// Each worker process: one engine thread and 4 jobs at once, so N processes are N engine threads.
const WORKER_ENV = { ...APP_ENV, AI_GAPS_ROLE: "worker", AI_GAPS_ENGINE_WORKERS: "1", AI_GAPS_CONCURRENCY: CONCURRENCY };

function bounded(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function tsx(script: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, ...env } });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`process exited with ${code} before answering`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
}

/** CPU seconds a process has used (all its threads), from /proc; 0 where there is no /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** CPU seconds the whole machine has been busy (every core, every process), from /proc/stat. */
function machineSeconds(): number {
  try {
    const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = ticks;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return 0;
  }
}

class Rig {
  readonly workers: AppProcess[] = [];
  private constructor(
    readonly redis: RedisServer,
    readonly fake: ChildProcess,
    readonly control: string,
    readonly web: AppProcess,
    readonly github: { appId: number; env: () => Record<string, string> },
  ) {}

  static async start(): Promise<Rig> {
    const redis = await RedisServer.start();
    const fake = tsx("bench/queue-fake.ts", { BENCH_APP_PUBLIC_KEY: appKeys().publicKey });
    const info = JSON.parse(await firstLine(fake)) as { github: string; control: string; appId: number };
    const github = { appId: info.appId, env: () => ({ GHE_HOST: info.github, GHE_PROTOCOL: "http" }) };
    // The web process logs at info, as in production: each answer's pino-http line carries its responseTime.
    const web = await AppProcess.start("web", github, redis.url, { ...APP_ENV, LOG_LEVEL: "info", AI_GAPS_ROLE: "web" });
    return new Rig(redis, fake, info.control, web, github);
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    const res = await fetch(`${this.control}${path}`, { method: "POST", body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`fake ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async workersUpTo(n: number): Promise<void> {
    const more = Array.from({ length: Math.max(0, n - this.workers.length) }, (_, i) => AppProcess.start(`worker-${this.workers.length + i}`, this.github, this.redis.url, WORKER_ENV));
    this.workers.push(...(await Promise.all(more)));
  }

  /** `count` PRs spread over the installations (each repository its own installation). */
  setup(group: string, count: number): Promise<PrRef[]> {
    const installations = Math.min(INSTALLATIONS, count);
    return this.post<PrRef[]>("/setup", { group, installations, perInstallation: Math.ceil(count / installations), firstInstallation: ++this.groups * 1000 });
  }
  private groups = 0;

  async send(deliveries: Plan["deliveries"]): Promise<Answers> {
    const sender = tsx("bench/queue-sender.ts");
    const answer = firstLine(sender);
    sender.stdin!.end(JSON.stringify({ web: this.web.url, secret: WEBHOOK_SECRET, control: this.control, deliveries } satisfies Plan));
    return JSON.parse(await answer) as Answers;
  }

  async until(group: string, total: number, timeoutMs = 300_000): Promise<Progress> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const progress = await this.post<Progress>("/progress", { group });
      if (progress.reviewed >= total) return progress;
      if (performance.now() > deadline) throw new Error(`timed out: ${progress.reviewed}/${total} PRs reviewed (${JSON.stringify(progress)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** CPU seconds used so far, by part of the rig. */
  cpu(): Record<string, number> {
    return {
      machine: machineSeconds(),
      workers: this.workers.reduce((s, w) => s + cpuSeconds(w.child.pid), 0),
      web: cpuSeconds(this.web.child.pid),
      "fake GitHub": cpuSeconds(this.fake.pid),
      redis: cpuSeconds(this.redis.pid),
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.web, ...this.workers].map((p) => p.kill("SIGTERM")));
    this.fake.kill("SIGTERM");
    await this.redis.stop();
  }
}

/** "workers 1.62, web 0.05, ...; machine 1.98 of 2 (other processes 0.12)" over a phase of `seconds`. */
function cores(before: Record<string, number>, after: Record<string, number>, seconds: number): string {
  const used = (k: string) => (after[k] - (before[k] ?? 0)) / seconds;
  const parts = Object.keys(after).filter((k) => k !== "machine");
  const rig = parts.reduce((sum, k) => sum + used(k), 0);
  const machine = used("machine");
  const other = machine ? `; machine ${machine.toFixed(2)} of ${cpus().length} (other processes ${Math.max(0, machine - rig).toFixed(2)})` : "";
  return parts.map((k) => `${k} ${used(k).toFixed(2)}`).join(", ") + other;
}

interface Rate {
  workers: number;
  rate: number;
  cores: string;
  workerCores: number;
  /** Cores the machine was busy (every process), and the ones this rig's processes used. */
  machine: number;
  rig: number;
}

async function throughput(rig: Rig, workers: number): Promise<Omit<Rate, "workers">> {
  await rig.workersUpTo(workers);
  // Warm-up: every new worker process starts its engine thread and compiles its code on its first reviews.
  const warm = await rig.setup(`warm${workers}`, workers * Number(CONCURRENCY));
  await rig.send(warm.map((pr) => ({ ...pr, action: "opened" as const, atMs: 0 })));
  await rig.until(`warm${workers}`, warm.length);

  const group = `throughput${workers}`;
  const prs = await rig.setup(group, THROUGHPUT_PRS);
  const before = rig.cpu();
  const start = performance.now();
  const answers = await rig.send(prs.map((pr) => ({ ...pr, action: "opened" as const, atMs: 0 })));
  if (answers.statuses.some((s) => s >= 300)) throw new Error("a webhook was refused");
  await rig.until(group, prs.length);
  const seconds = (performance.now() - start) / 1000;
  const after = rig.cpu();
  const busy = (k: string) => (after[k] - before[k]) / seconds;
  const rigCores = ["workers", "web", "fake GitHub", "redis"].reduce((sum, k) => sum + busy(k), 0);
  return { rate: prs.length / seconds, cores: cores(before, after, seconds), workerCores: busy("workers"), machine: busy("machine"), rig: rigCores };
}

/** responseTime (ms) of each webhook answer in the web process's JSON log. */
function answerTimes(log: string): number[] {
  const times: number[] = [];
  for (const line of log.split("\n")) {
    if (!line.includes('"responseTime"') || !line.includes("/api/github/webhooks")) continue;
    const entry = JSON.parse(line) as { responseTime?: number; req?: { method?: string } };
    if (entry.req?.method === "POST" && typeof entry.responseTime === "number") times.push(entry.responseTime);
  }
  return times;
}

async function burst(rig: Rig): Promise<string[]> {
  await rig.workersUpTo(BURST_WORKERS);
  const prs = await rig.setup("burst", PRS);
  const gap = (SECONDS * 1000) / WEBHOOKS;
  // The first round opens each PR; later rounds push to it.
  const deliveries = Array.from({ length: WEBHOOKS }, (_, i) => ({ ...prs[i % prs.length], action: i < prs.length ? ("opened" as const) : ("synchronize" as const), atMs: i * gap }));
  const before = rig.cpu();
  const start = performance.now();
  rig.web.output.splice(0);
  const answers = await rig.send(deliveries);
  const sentAt = performance.now();
  const progress = await rig.until("burst", prs.length);
  const served = answerTimes(rig.web.output.join("")); // read once the web process has long written its last line
  const drain = (performance.now() - sentAt) / 1000;
  const after = rig.cpu();
  const ms = answers.ms;
  const refused = answers.statuses.filter((s) => s >= 300).length;
  return [
    `burst: ${WEBHOOKS} webhooks over ${prs.length} PRs in ${INSTALLATIONS} installations, planned over ${SECONDS} s, sent in ${answers.seconds.toFixed(1)} s (sender at most ${answers.maxLateMs.toFixed(0)} ms behind plan); 1 web + ${BURST_WORKERS} workers`,
    `  answer time in the web process (request in to answer out, its pino-http log; ${served.length} answers): p50 ${percentile(served, 50)} ms, p95 ${percentile(served, 95)} ms, p99 ${percentile(served, 99)} ms, max ${Math.max(...served)} ms`,
    `  answer time seen by the sender (also counts the sender's own waits for a CPU): p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms; non-2xx answers: ${refused}`,
    `  reviewed: ${progress.reviewed}/${prs.length} PRs' newest heads, ${drain.toFixed(1)} s after the last answer; check runs: ${progress.runs.completed} with a result, ${progress.runs.cancelled} cancelled (superseded), ${progress.runs.inProgress} left in progress; the other ${WEBHOOKS - progress.runs.completed - progress.runs.cancelled - progress.runs.inProgress} webhooks' heads were superseded before they started`,
    `  cores busy over the ${((performance.now() - start) / 1000).toFixed(1)} s: ${cores(before, after, (performance.now() - start) / 1000)}`,
  ];
}

/** Where throughput stops growing with workers, and why, from the figures measured. */
function reading(rates: Rate[]): string[] {
  const n = cpus().length;
  const lines = ["reading:"];
  const others = (r: Rate) => r.machine - r.rig;
  const crowded = rates.filter((r) => others(r) > 0.25 * n);
  if (crowded.length) {
    lines.push(`  other processes kept ${crowded.map((r) => others(r).toFixed(1)).join("/")} of the ${n} cores busy during the ${crowded.map((r) => r.workers).join("/")}-worker run(s): this machine is shared, so those figures are not the app's; re-run on a quiet machine`);
  }
  const flat = rates.find((r, i) => i > 0 && r.rate / rates[i - 1].rate < 1 + 0.5 * (r.workers / rates[i - 1].workers - 1));
  if (!flat) return [...lines, `  throughput grew with every worker count measured (up to ${rates.at(-1)!.workers})`];
  const cpuPerReview = flat.workerCores / flat.rate;
  const why =
    flat.machine < 0.85 * n
      ? `the machine was not CPU-bound (${flat.machine.toFixed(2)} of ${n} cores busy): the workers waited on the fake GitHub, Redis or their installations' mutation lanes`
      : others(flat) > 0.25 * n
        ? `the ${n} cores were full, ${others(flat).toFixed(2)} of them with other processes; the app's own processes had ${flat.rig.toFixed(2)}`
        : `the rig filled the ${n} cores (${flat.workerCores.toFixed(2)} in the workers); at about ${(cpuPerReview * 1000).toFixed(0)} ms of worker CPU per review, ${n} cores allow about ${((0.85 * n) / cpuPerReview).toFixed(1)} reviews/s next to the web process, Redis and the fake GitHub`;
  return [...lines, `  throughput stops growing at ${flat.workers} workers: ${why}`];
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`durable-queue bench (npx tsx bench/queue.ts): ${cpus().length} CPU(s) (${cpus()[0]?.model ?? "unknown"}), load average ${loadavg()[0].toFixed(1)} at start`);
  console.log(
    `rig: redis-server, 1 web process (AI_GAPS_ROLE=web), worker processes (AI_GAPS_ROLE=worker, 1 engine thread and ${CONCURRENCY} jobs each), the fake GitHub and the webhook sender each in a process of their own; ` +
      `${INSTALLATIONS} installations; mutations spaced ${MUTATION_INTERVAL_MS} ms per installation (production: 1000)`,
  );
  const rig = await Rig.start();
  try {
    const rates: Rate[] = [];
    const lines: string[] = [];
    for (const n of [...WORKERS].sort((a, b) => a - b)) {
      if (n > BURST_WORKERS && !lines.length) lines.push(...(await burst(rig)));
      rates.push({ workers: n, ...(await throughput(rig, n)) });
    }
    if (!lines.length) lines.push(...(await burst(rig)));
    console.log(`throughput: ${THROUGHPUT_PRS} PRs opened at once over ${Math.min(INSTALLATIONS, THROUGHPUT_PRS)} installations, after a warm-up round`);
    const base = rates[0];
    for (const r of rates) {
      console.log(`  ${r.workers} worker(s): ${r.rate.toFixed(2)} reviews/s (x${(r.rate / base.rate).toFixed(2)} of ${base.workers}); cores busy: ${r.cores}; CPU per review in the workers ${((r.workerCores / r.rate) * 1000).toFixed(0)} ms`);
    }
    for (const line of lines) console.log(line);
    const github = await rig.post<Progress>("/progress", { group: "" });
    console.log(`fake GitHub: ${github.requests} requests answered in p50 ${github.serviceMs.p50.toFixed(1)} ms, p99 ${github.serviceMs.p99.toFixed(1)} ms; OpenAPI violations: ${github.violations}`);
    for (const line of reading(rates)) console.log(line);
    console.log(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await rig.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
