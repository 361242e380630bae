// The queue benchmark's fake GitHub, in a process of its own so that serving the workers never delays the webhook
// sender or the app. A small control server next to it (JSON over loopback HTTP) lets the orchestrator and the
// sender set up installations and PRs, push, get the webhook payload for a PR as it is now, and read progress.
// Prints one JSON line {"github": host, "control": url, "appId": n} once both listen.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGitHub, type PullRequest } from "../test/support/fake-github.js";
import { appKeys } from "../test/support/keys.js";
import { pullRequestEvent } from "../test/support/payloads.js";

const FINAL = new Set(["success", "failure", "neutral", "action_required"]);

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

export interface PrRef {
  repo: string;
  number: number;
}

export interface Progress {
  prs: number;
  reviewed: number;
  runs: { completed: number; cancelled: number; inProgress: number };
  requests: number;
  /** Time the fake took to answer its requests (ms, from the first byte read to the answer). */
  serviceMs: { p50: number; p99: number };
  violations: number;
}

// The orchestrator's key pair (the apps it starts sign their JWTs with its private half).
const fake = await FakeGitHub.start({ appPublicKey: process.env.BENCH_APP_PUBLIC_KEY || appKeys().publicKey });
const groups = new Map<string, PullRequest[]>();
let pushes = 0;

function pr(ref: PrRef): PullRequest {
  return fake.getPull(ref.repo, ref.number);
}

function reviewed(p: PullRequest): boolean {
  return fake.checkRunsFor(p.repo.fullName, { headSha: p.headSha }).some((r) => r.status === "completed" && FINAL.has(String(r.conclusion)));
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `installations` repositories, each its own installation, with `perInstallation` PRs each. */
function setup(body: { group: string; installations: number; perInstallation: number; firstInstallation: number }): PrRef[] {
  const prs: PullRequest[] = [];
  for (let i = 0; i < body.installations; i++) {
    const owner = `${body.group}-org${i}`;
    fake.addRepo({ owner, name: "app", installationId: body.firstInstallation + i, files: { "README.md": "# app\n", "src/index.ts": "export {};\n" } });
    for (let j = 0; j < body.perInstallation; j++) {
      const n = prs.length;
      prs.push(fake.openPullRequest(`${owner}/app`, { title: `Change ${n}`, body: "Bench.", files: files(n, 0) }));
    }
  }
  groups.set(body.group, prs);
  return prs.map((p) => ({ repo: p.repo.fullName, number: p.number }));
}

/** The PR's pull_request webhook payload; `synchronize` pushes a new head first. */
function event(body: PrRef & { action: "opened" | "synchronize" }): object {
  const p = pr(body);
  if (body.action === "synchronize") fake.push(p.repo.fullName, p.number, files(p.number, ++pushes));
  return pullRequestEvent(fake, p, body.action);
}

function progress(body: { group: string }): Progress {
  const prs = groups.get(body.group) ?? [];
  const runs = prs.flatMap((p) => fake.checkRunsFor(p.repo.fullName).filter((r) => r.headSha && p.commits.includes(r.headSha)));
  const served = fake.requests.filter((r) => r.answeredAt).map((r) => r.answeredAt - r.receivedAt);
  return {
    prs: prs.length,
    reviewed: prs.filter(reviewed).length,
    runs: {
      completed: runs.filter((r) => r.status === "completed" && FINAL.has(String(r.conclusion))).length,
      cancelled: runs.filter((r) => r.conclusion === "cancelled").length,
      inProgress: runs.filter((r) => r.status !== "completed").length,
    },
    requests: fake.requests.length,
    serviceMs: { p50: percentile(served, 0.5), p99: percentile(served, 0.99) },
    violations: fake.violations.length,
  };
}

async function json(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
}

const routes: Record<string, (body: any) => unknown> = {
  "/setup": setup,
  "/event": event,
  "/progress": progress,
  "/violations": () => fake.violations.slice(0, 5),
  "/forget": () => void fake.requests.splice(0),
};

const control = createServer((req, res) => {
  const route = routes[req.url ?? ""];
  if (!route) return void res.writeHead(404).end();
  json(req)
    .then((body) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(route(body) ?? null)))
    .catch((error: unknown) => res.writeHead(500).end(String((error as Error)?.stack ?? error)));
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
process.stdout.write(`${JSON.stringify({ github: fake.host, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}`, appId: fake.appId })}\n`);
process.on("SIGTERM", () => {
  control.close();
  void fake.close().finally(() => process.exit(0));
});
