// The queue benchmark's webhook sender, in a process of its own (as GitHub is): at each planned time it gets the
// PR's payload from the fake's control server (pushing first for a synchronize), then delivers it signed to the web
// process and times the answer alone. Reads the plan as JSON on stdin; prints the answers as JSON on stdout.
import { performance } from "node:perf_hooks";
import { deliver } from "../test/support/webhooks.js";

export interface Plan {
  web: string;
  secret: string;
  control: string;
  /** Each delivery: the PR, the action, and when to send it (ms after the start). */
  deliveries: { repo: string; number: number; action: "opened" | "synchronize"; atMs: number }[];
}

export interface Answers {
  /** Answer time of each delivery (ms), in the plan's order. */
  ms: number[];
  statuses: number[];
  /** From the first planned send to the last answer. */
  seconds: number;
  /** How late the sends were against the plan, at most (ms): the sender keeping up. */
  maxLateMs: number;
}

async function stdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function post(url: string, body: unknown): Promise<object> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as object;
}

const plan = JSON.parse(await stdin()) as Plan;
const answers: Answers = { ms: [], statuses: [], seconds: 0, maxLateMs: 0 };
const start = performance.now();
await Promise.all(
  plan.deliveries.map(async (d, i) => {
    await new Promise((r) => setTimeout(r, Math.max(0, start + d.atMs - performance.now())));
    answers.maxLateMs = Math.max(answers.maxLateMs, performance.now() - start - d.atMs);
    const payload = await post(`${plan.control}/event`, { repo: d.repo, number: d.number, action: d.action });
    const answer = await deliver(plan.web, plan.secret, "pull_request", payload);
    answers.ms[i] = answer.ms;
    answers.statuses[i] = answer.status;
  }),
);
answers.seconds = (performance.now() - start) / 1000;
process.stdout.write(`${JSON.stringify(answers)}\n`);
