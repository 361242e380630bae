// RedisQueue against a real redis-server: GitHub errors are retried with backoff and others are not, debounced
// tasks run once with the last data, and a duplicate delivery id is one job.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { pino } from "pino";
import { ReviewQueue, type JobControl, type WorkQueue } from "../../src/queue.js";
import { RedisQueue } from "../../src/queue-redis.js";
import { RedisServer } from "../support/redis.js";

const log = pino({ level: "silent" }) as never;

function githubError(status: number): Error {
  return Object.assign(new Error(`fake ${status}`), { status });
}

async function until(done: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("RedisQueue on a real redis-server", () => {
  let redis: RedisServer;
  let queue: RedisQueue;
  let prefix = 0;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await redis.stop();
  });

  async function withQueue(fn: (q: RedisQueue) => Promise<void>): Promise<void> {
    queue = new RedisQueue({ url: redis.url, log, work: true, attempts: 3, backoffMs: 20, lockMs: 2000, prefix: `t${++prefix}` });
    try {
      expect(await queue.connected()).toBe(true);
      await fn(queue);
    } finally {
      await queue.close();
    }
  }

  it("retries a job that fails on a GitHub error with backoff, and tells the job it will", async () => {
    await withQueue(async (q) => {
      const seen: { attempt: number; willRetry: boolean }[] = [];
      q.define("flaky", async (_data, control: JobControl) => {
        const error = githubError(502);
        seen.push({ attempt: seen.length + 1, willRetry: control.willRetry!(error) });
        if (seen.length < 2) throw error;
      });
      expect(await q.enqueue({ key: "o/r#1", sha: "a", deliveryId: "d1", task: { name: "flaky", data: {} } })).toBe("queued");
      await q.idle();
      expect(seen).toEqual([
        { attempt: 1, willRetry: true },
        { attempt: 2, willRetry: true },
      ]);
    });
  });

  it("does not retry other errors, and abandons a job that failed for good", async () => {
    await withQueue(async (q) => {
      let runs = 0;
      const abandoned: unknown[] = [];
      q.define("bug", {
        run: async () => {
          runs++;
          throw new TypeError("a bug");
        },
        abandon: async (data) => void abandoned.push(data),
      });
      await q.enqueue({ key: "o/r#2", sha: "a", deliveryId: "d2", task: { name: "bug", data: { pr: 2 } } });
      await until(() => abandoned.length === 1, "the abandon hook");
      expect(runs).toBe(1);
      expect(abandoned).toEqual([{ pr: 2 }]);
    });
  });

  it("collapses a duplicate delivery into one job and skips a review superseded while queued", async () => {
    await withQueue(async (q) => {
      const ran: string[] = [];
      q.define("review", async (data: { sha: string }) => void ran.push(data.sha));
      const job = (sha: string, deliveryId: string, at: number) => ({ key: "o/r#3", sha, deliveryId, at, task: { name: "review", data: { sha } } });
      // Four slow jobs of other PRs fill the worker's four slots, so the reviews below wait in the queue.
      q.define("slow", () => new Promise((r) => setTimeout(r, 300)));
      for (let i = 0; i < 4; i++) await q.enqueue({ key: `o/r#${10 + i}`, sha: "x", deliveryId: `slow${i}`, task: { name: "slow", data: {} } });
      expect(await q.enqueue(job("old", "d3", 1000))).toBe("queued");
      expect(await q.enqueue(job("old", "d3", 1000))).toBe("duplicate");
      expect(await q.enqueue(job("new", "d4", 2000))).toBe("replaced");
      await q.idle();
      expect(ran).toEqual(["new"]);
    });
  });

  it("refuses new reviews once the queue is full, never a duplicate of a stored one", async () => {
    const web = new RedisQueue({ url: redis.url, log, work: false, maxQueued: 2, prefix: `t${++prefix}` });
    try {
      expect(await web.connected()).toBe(true);
      web.define("review", async () => undefined);
      const job = (n: number) => ({ key: `o/r#${n}`, sha: "a", deliveryId: `full${n}`, task: { name: "review", data: {} } });
      expect(await web.enqueue(job(1))).toBe("queued");
      expect(await web.enqueue(job(2))).toBe("queued");
      expect(await web.enqueue(job(3))).toBe("full");
      expect(await web.enqueue(job(1))).toBe("duplicate");
      // Refused work was not remembered: its redelivery is new work (refused again while the queue is full).
      expect(await web.enqueue(job(3))).toBe("full");
    } finally {
      await web.close();
    }
  });

  for (const kind of ["memory", "redis"] as const) {
    it(`${kind}: a debounced task runs once, with the data of the last one`, async () => {
      const run = async (q: WorkQueue) => {
        const ran: unknown[] = [];
        q.define("settle", async (data) => void ran.push(data));
        const task = (n: number) => ({ name: "settle", data: { n }, debounce: { key: "o/r#4", ms: 200 } });
        const results = [];
        for (let n = 1; n <= 3; n++) results.push(await q.runTask(`e${n}`, task(n), () => undefined));
        expect(results).toEqual(["started", "debounced", "debounced"]);
        await q.idle();
        expect(ran).toEqual([{ n: 3 }]);
      };
      if (kind === "memory") await run(new ReviewQueue());
      else await withQueue(run);
    });
  }
});
