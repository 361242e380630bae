// End-to-end benchmark: the app's real HTTP server (src/main.ts) against the loopback fake GitHub, with
// signed webhooks and a 50-file TypeScript pull request. Prints webhook-ack p50/p99 (against a bare
// node:http server's round trip measured in the same run), webhook-to-completed-check-run time, and the
// GitHub requests one review makes, by route; then acks while a heavy review runs, with the engine in worker
// threads and in the server's own thread. Loopback only; every loop is bounded.
//
//   npm run bench            (tsx bench/e2e.ts)
//   BENCH_ACKS=200 BENCH_ROUNDS=3 npm run bench
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { E2E, WEBHOOK_SECRET } from "../test/support/e2e.js";
import type { FakeGitHub, PullRequest } from "../test/support/fake-github.js";
import { pullRequestEvent } from "../test/support/payloads.js";
import { generate } from "../test/support/shapes.js";
import { deliver } from "../test/support/webhooks.js";

const ACKS = bounded(process.env.BENCH_ACKS, 200, 2000);
const ROUNDS = bounded(process.env.BENCH_ROUNDS, 3, 20);
const FILES = 50;
const REPO = "bench/app";

function bounded(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (n: number): string => `${n.toFixed(2)} ms`;

/** A 50-file TypeScript change: services, handlers and utilities, some with production gaps. */
function typescriptPr(round: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    const kind = i % 5;
    const path =
      kind === 0 ? `src/billing/invoice-${i}.ts` : kind === 1 ? `src/clients/partner-${i}.ts` : kind === 2 ? `src/routes/orders-${i}.ts` : `src/lib/util-${i}.ts`;
    const body =
      kind === 0
        ? `export function invoiceTotal${i}(amount: string, qty: number): number {\n  const price = parseFloat(amount);\n  return price * qty * 1.2; // round ${round}\n}\n`
        : kind === 1
          ? `export async function callPartner${i}(id: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try {\n      return await fetch(\`https://partner.example.com/items/\${id}\`);\n    } catch {\n      continue;\n    }\n  }\n  throw new Error("partner down (round ${round})");\n}\n`
          : kind === 2
            ? `import express from "express";\nexport const router${i} = express.Router();\nrouter${i}.get("/orders/:id", async (req, res) => {\n  const tenant = req.query.tenant as string;\n  res.json({ id: req.params.id, tenant, round: ${round} });\n});\n`
            : `export function clamp${i}(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value)); // round ${round}\n}\n\nexport const label${i} = (s: string) => s.trim().toLowerCase();\n`;
    files[path] = body;
  }
  return files;
}

async function bareBaseline(body: object): Promise<number[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(202).end("Accepted"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const times: number[] = [];
  try {
    for (let i = 0; i < 20; i++) await deliver(url, WEBHOOK_SECRET, "pull_request", body); // warm-up
    for (let i = 0; i < ACKS; i++) times.push((await deliver(url, WEBHOOK_SECRET, "pull_request", body)).ms);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return times;
}

/** Deliveries the handler validates and drops (an edit that changed neither title nor body). */
async function ackTimes(e2e: E2E, pr: PullRequest, count: number): Promise<number[]> {
  const payload = pullRequestEvent(e2e.fake, pr, "edited", { changes: { base: { ref: { from: "develop" } } } });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = await e2e.deliver("pull_request", payload);
    if (d.status >= 300) throw new Error(`webhook answered ${d.status}: ${d.body}`);
    times.push(d.ms);
  }
  return times;
}

interface Round {
  ack: number;
  completed: number;
  requests: Record<string, number>;
  total: number;
  annotations: number;
}

async function reviewRound(e2e: E2E, round: number): Promise<Round> {
  const fake: FakeGitHub = e2e.fake;
  const pr = fake.openPullRequest(REPO, { title: `Billing and partner sync, part ${round}`, body: "Adds invoices and partner calls.", files: typescriptPr(round) });
  const before = fake.requests.length;
  const started = performance.now();
  const d = await e2e.deliver("pull_request", pullRequestEvent(fake, pr, "opened"));
  if (d.status >= 300) throw new Error(`webhook answered ${d.status}: ${d.body}`);
  const run = await fake.waitFor(
    () => fake.checkRunsFor(REPO, { headSha: pr.headSha }).find((r) => r.status === "completed"),
    120_000,
    "the completed check run",
  );
  const completed = performance.now() - started;
  await e2e.idle();
  const requests: Record<string, number> = {};
  for (const r of fake.requests.slice(before)) requests[r.route ?? r.url] = (requests[r.route ?? r.url] ?? 0) + 1;
  return { ack: d.ms, completed, requests, total: fake.requests.length - before, annotations: run.annotations.length };
}

/** A PR of large generated files that keeps the rules busy for seconds (see test/support/shapes.ts). */
function heavyPr(): Record<string, string> {
  return {
    "src/gen/chain.ts": generate("typescript", "method-chain", 12_000),
    "src/gen/functions.ts": generate("typescript", "small-functions", 300_000),
    "app/gen/functions.py": generate("python", "small-functions", 300_000),
    "src/gen/functions.rs": generate("rust", "small-functions", 200_000),
  };
}

const heavyBytes = () => Object.values(heavyPr()).reduce((n, c) => n + c.length, 0);

/** Acks of dropped deliveries, one after another, from the heavy PR's webhook until its check run completes. */
async function heavyRound(e2e: E2E): Promise<{ acks: number[]; completed: number }> {
  e2e.fake.addRepo({ owner: "bench", name: "heavy" });
  const idle = e2e.fake.openPullRequest("bench/heavy", { files: { "src/a.ts": "export const a = 1;\n" } });
  const dropped = pullRequestEvent(e2e.fake, idle, "edited", { changes: { base: { ref: { from: "develop" } } } });
  await ackTimes(e2e, idle, 20); // warm-up
  const pr = e2e.fake.openPullRequest("bench/heavy", { title: "Generated tables", files: heavyPr() });
  const started = performance.now();
  await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, pr, "opened"));
  const acks: number[] = [];
  const done = () => e2e.fake.checkRunsFor("bench/heavy", { headSha: pr.headSha }).some((r) => r.status === "completed");
  while (!done() && performance.now() - started < 600_000) acks.push((await e2e.deliver("pull_request", dropped)).ms);
  const completed = performance.now() - started;
  await e2e.idle();
  return { acks, completed };
}

async function main(): Promise<void> {
  process.stdout.write(`ai-gaps e2e benchmark: ${FILES}-file TypeScript PR, ${ACKS} acks, ${ROUNDS} review rounds, Node ${process.version}\n\n`);

  // 1. Quick settings (no gap between mutations), as the tests use.
  const e2e = await E2E.start({ env: { AI_GAPS_MUTATION_INTERVAL_MS: "0" } });
  try {
    e2e.fake.addRepo({ owner: "bench", name: "app", files: { "README.md": "# app\n", "package.json": '{ "name": "app" }\n' } });
    const idlePr = e2e.fake.openPullRequest(REPO, { files: { "src/a.ts": "export const a = 1;\n" } });
    const sample = pullRequestEvent(e2e.fake, idlePr, "edited", { changes: { base: { ref: { from: "develop" } } } });

    await ackTimes(e2e, idlePr, 20); // warm-up
    const baseline = await bareBaseline(sample);
    const idleAcks = await ackTimes(e2e, idlePr, ACKS);

    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) rounds.push(await reviewRound(e2e, round));

    // Acks while a 50-file review runs in the same process.
    const busyPr = e2e.fake.openPullRequest(REPO, { title: "Busy", files: typescriptPr(99) });
    await e2e.deliver("pull_request", pullRequestEvent(e2e.fake, busyPr, "opened"));
    const busyAcks = await ackTimes(e2e, idlePr, Math.min(ACKS, 100));
    await e2e.idle();

    const b50 = percentile(baseline, 50);
    const b99 = percentile(baseline, 99);
    process.stdout.write("webhook ack (signed POST -> 2xx, loopback)\n");
    process.stdout.write(`  bare node:http server   p50 ${ms(b50)}   p99 ${ms(b99)}\n`);
    for (const [label, times] of [
      ["ai-gaps, idle", idleAcks],
      ["ai-gaps, reviewing", busyAcks],
    ] as const) {
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      process.stdout.write(
        `  ${label.padEnd(22)}  p50 ${ms(p50)}   p99 ${ms(p99)}   (x${(p50 / b50).toFixed(1)} / x${(p99 / b99).toFixed(1)} the bare server, n=${times.length})\n`,
      );
    }
    process.stdout.write(`\nwebhook -> completed check run, ${FILES} files, AI_GAPS_MUTATION_INTERVAL_MS=0\n`);
    for (const [i, r] of rounds.entries()) {
      process.stdout.write(`  round ${i + 1}: ack ${ms(r.ack)}, completed after ${ms(r.completed)}, ${r.total} GitHub requests, ${r.annotations} annotations\n`);
    }
    const completions = rounds.map((r) => r.completed);
    process.stdout.write(`  median ${ms(percentile(completions, 50))}, worst ${ms(Math.max(...completions))}\n`);
    process.stdout.write(`\nGitHub requests for one review (round 1), by route:\n`);
    for (const [route, n] of Object.entries(rounds[0].requests).sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${String(n).padStart(4)}  ${route}\n`);
    process.stdout.write(`  ${String(rounds[0].total).padStart(4)}  total (${(rounds[0].total / FILES).toFixed(2)} per changed file)\n`);
    if (e2e.fake.violations.length) {
      process.stdout.write(`\nOpenAPI violations: ${JSON.stringify(e2e.fake.violations, null, 1)}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`\nOpenAPI violations: 0 of ${e2e.fake.requests.length} requests\n`);
    }
  } finally {
    await e2e.stop();
  }

  // 2. Acks while a heavy review runs: the engine in worker threads (default) and in the server's own thread.
  process.stdout.write(`\nwebhook ack while a heavy review runs (${Object.keys(heavyPr()).length} generated files, ${(heavyBytes() / 1000).toFixed(0)} KB)\n`);
  for (const [label, workers] of [["engine in worker threads", undefined], ["engine in the server's thread (AI_GAPS_ENGINE_WORKERS=0)", "0"]] as const) {
    const run = await E2E.start({ env: { AI_GAPS_MUTATION_INTERVAL_MS: "0", ...(workers ? { AI_GAPS_ENGINE_WORKERS: workers } : {}) } });
    try {
      const h = await heavyRound(run);
      process.stdout.write(
        `  ${label.padEnd(56)} p50 ${ms(percentile(h.acks, 50))}   p99 ${ms(percentile(h.acks, 99))}   max ${ms(Math.max(...h.acks))}   (n=${h.acks.length}, review ${ms(h.completed)})\n`,
      );
    } finally {
      await run.stop();
    }
  }

  // 3. Production settings: mutations of one installation at least 1 s apart (GitHub's guidance).
  const prod = await E2E.start({ env: { AI_GAPS_MUTATION_INTERVAL_MS: "1000" } });
  try {
    prod.fake.addRepo({ owner: "bench", name: "app" });
    const r = await reviewRound(prod, 1);
    const mutations = Object.entries(r.requests)
      .filter(([route]) => !route.startsWith("GET "))
      .reduce((n, [, c]) => n + c, 0);
    process.stdout.write(
      `\nwebhook -> completed check run with the production mutation interval (1000 ms): ${ms(r.completed)} ` +
        `(${mutations} POST/PATCH requests incl. GraphQL and token)\n`,
    );
  } finally {
    await prod.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
