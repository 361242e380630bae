// The work queue in Redis (BullMQ), shared by every process of the app: a job is in Redis before the webhook is
// answered; job ids come from the delivery id and the PR, so duplicates and redeliveries collapse; the newest head
// of a PR (by push time, then arrival) supersedes older queued or running reviews; one review per PR runs at a time
// across all workers; GitHub errors are retried with backoff; a job whose worker died is run again by another.
import { randomUUID } from "node:crypto";
import { DelayedError, Queue, UnrecoverableError, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "probot";
import { isRetryable } from "./github/octokit.js";
import { jobDuration, markWebhook, onScrape, queueDepth, queueWait } from "./metrics.js";
import {
  ReviewQueue,
  TaskRegistry,
  type EnqueueResult,
  type Job,
  type JobControl,
  type TaskDefinition,
  type TaskResult,
  type TaskRunner,
  type TaskWork,
  type WorkQueue,
} from "./queue.js";

export interface RedisQueueOptions {
  url: string;
  log: Logger;
  /** Run jobs in this process (roles `worker` and `all`); `web` only queues them. */
  work: boolean;
  /** Jobs of each queue this process runs at once. */
  concurrency?: number;
  /** Reviews waiting at once; beyond it new work is refused ("full"). */
  maxQueued?: number;
  /** Runs of a job that fails on GitHub errors (the first included). */
  attempts?: number;
  /** First retry delay; each further retry doubles it. */
  backoffMs?: number;
  /** How long a worker's hold on a job (and on its PR) lasts without renewal: a dead worker's job is taken over after it. */
  lockMs?: number;
  /** Takeovers of a job whose worker died; one more and the job fails for good (and is abandoned). */
  maxStalledCount?: number;
  /** Key prefix in Redis. */
  prefix?: string;
}

/** What a job stores in Redis. */
interface Stored {
  task: { name: string; data: unknown };
  key: string;
  sha: string;
  deliveryId: string;
  at: number;
}

/** The data of an abandon task: the failed job's task and why it failed. */
interface Abandoned {
  task: { name: string; data: unknown };
  reason: string;
}

interface Marker {
  id?: string;
  sha?: string;
}

const REVIEWS = "reviews";
const TASKS = "tasks";
/** The task that tidies up after a job failed for good (its task's abandon hook), retried like any task. */
const ABANDON = "abandon";
const DAY_MS = 24 * 3600 * 1000;
/** How often a running review renews its PR lock and looks for newer work. */
const POLL_MS = 250;

// One round trip for a webhook's job: remembers the delivery (fresh unless seen), and keeps the newest job of the PR
// in a hash: a newer push time wins; at the same time the later arrival wins, unless this is a redelivery (which
// never takes over from work that arrived after it). Returns {fresh, replaced}: replaced when this job took over
// from one that never started (the hash's `ran` is the last job a worker started).
const ENQUEUE = `
local fresh = redis.call('SET', KEYS[1], '1', 'PX', ARGV[5], 'NX') and 1 or 0
local seq = redis.call('INCR', KEYS[3])
local cur = redis.call('HMGET', KEYS[2], 'id', 'at', 'ran')
local at = tonumber(ARGV[3])
local curAt = tonumber(cur[2])
local replaced = 0
if (not curAt) or at > curAt or (fresh == 1 and at == curAt) then
  redis.call('HSET', KEYS[2], 'id', ARGV[1], 'sha', ARGV[2], 'at', ARGV[3], 'seq', seq)
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  if fresh == 1 and cur[1] and cur[1] ~= ARGV[1] and cur[1] ~= cur[3] then replaced = 1 end
end
return {fresh, replaced}
`;
// Takes a PR's lock for a review job and records that the job started (see ENQUEUE's replaced).
const START_REVIEW = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
redis.call('HSET', KEYS[2], 'ran', ARGV[1])
return 1
`;
/** How long a count of waiting reviews is trusted for the queue-full check (the bound is a guard, not exact). */
const COUNT_MS = 1000;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
// A running review's poll, one round trip: renews its PR lock and reads the PR's newest head.
const RENEW_AND_READ = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('HMGET', KEYS[2], 'id', 'sha')
`;

/** A BullMQ job id from the delivery id and the PR (BullMQ ids may not contain ":" nor be integers). */
export function jobId(deliveryId: string, key?: string): string {
  return `d-${deliveryId}${key ? `-${key}` : ""}`.replace(/:/g, ".");
}

export class RedisQueue implements WorkQueue {
  readonly tasks = new TaskRegistry();
  readonly #options: Required<RedisQueueOptions>;
  /** Commands and producers: fail fast while Redis is away, so a webhook is never answered without its job stored. */
  readonly #redis: Redis;
  readonly #queues: Record<string, Queue>;
  readonly #workers: Worker[] = [];
  /** Closures (not durable) run here, as without Redis. */
  readonly #local: ReviewQueue;
  #active = 0;
  #warned = false;
  readonly #unscrape: () => void;

  constructor(options: RedisQueueOptions) {
    this.#options = {
      concurrency: 4,
      maxQueued: 500,
      attempts: 5,
      backoffMs: 5000,
      lockMs: 30_000,
      maxStalledCount: 3,
      prefix: "ai-gaps",
      ...options,
    };
    const { url, log, prefix } = this.#options;
    this.#local = new ReviewQueue({ concurrency: this.#options.concurrency, maxQueued: this.#options.maxQueued });
    this.#redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.#redis.on("error", (err) => log.debug({ err }, "redis connection error"));
    this.#queues = {
      [REVIEWS]: new Queue(REVIEWS, { connection: this.#redis, prefix }),
      [TASKS]: new Queue(TASKS, { connection: this.#redis, prefix }),
    };
    for (const q of Object.values(this.#queues)) q.on("error", (err) => log.debug({ err }, "queue error"));
    this.tasks.define(ABANDON, (data: Abandoned) => this.#abandon(data));
    if (options.work) this.#startWorkers();
    this.#unscrape = onScrape(() => this.#scrape());
  }

  get queued(): number {
    return this.#local.queued;
  }

  get active(): number {
    return this.#active + this.#local.active;
  }

  define(name: string, task: TaskRunner | TaskDefinition): void {
    this.tasks.define(name, task);
    this.#local.define(name, task);
  }

  /** Resolves once Redis answers (or after timeoutMs, false). */
  async connected(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.ready()) return true;
      await sleep(100);
    }
    return false;
  }

  async ready(): Promise<boolean> {
    if (this.#redis.status !== "ready") return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 1000)));
    return Promise.race([this.#redis.ping().then(() => true, () => false), timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Two round trips to Redis on the webhook's path: ENQUEUE (dedupe and newest head), then the job itself. The
   * marker goes first so that a worker never sees the job before it knows the job is the newest.
   */
  async enqueue(job: Job): Promise<EnqueueResult> {
    if (!job.task) return this.#notDurable(job.deliveryId) ?? this.#local.enqueue(job);
    this.tasks.get(job.task.name);
    const id = jobId(job.deliveryId, job.key);
    const p = this.#options.prefix;
    if ((await this.#waiting()) >= this.#options.maxQueued && (await this.#full(id))) {
      this.#options.log.warn(logFields(job), "review job refused: queue full");
      return markWebhook("full");
    }
    const at = job.at ?? Date.now();
    const keys = [`${p}:seen:${id}`, `${p}:head:${job.key}`, `${p}:seq`];
    const [fresh, replaced] = (await this.#redis.eval(ENQUEUE, keys.length, ...keys, id, job.sha, at, 7 * DAY_MS, DAY_MS)) as [number, number];
    // Adding an id that exists is a no-op in BullMQ: a duplicate whose first copy was not stored is stored now.
    const stored: Stored = { task: job.task, key: job.key, sha: job.sha, deliveryId: job.deliveryId, at };
    await this.#queues[REVIEWS].add(job.task.name, stored, this.#jobOptions(id));
    if (!fresh) return markWebhook("duplicate");
    if (this.#count) this.#count.n++;
    return markWebhook(replaced ? "replaced" : "queued");
  }

  #count?: { n: number; at: number };

  /** Reviews waiting, as counted at most COUNT_MS ago (plus the ones this process queued since). */
  async #waiting(): Promise<number> {
    if (!this.#count || Date.now() - this.#count.at > COUNT_MS) this.#count = { n: await this.#queues[REVIEWS].getWaitingCount(), at: Date.now() };
    return this.#count.n;
  }

  /** Whether the queue is full for this job, counted now: a job already seen (a duplicate) is never refused. */
  async #full(id: string): Promise<boolean> {
    this.#count = undefined;
    if ((await this.#waiting()) < this.#options.maxQueued) return false;
    return (await this.#redis.exists(`${this.#options.prefix}:seen:${id}`)) === 0;
  }

  async runTask(deliveryId: string, work: TaskWork, onError: (error: unknown) => void): Promise<TaskResult> {
    if (typeof work === "function") return this.#notDurable(deliveryId) ?? this.#local.runTask(deliveryId, work, onError);
    this.tasks.get(work.name);
    const id = jobId(deliveryId);
    const tasks = this.#queues[TASKS];
    const existing = await tasks.getJob(id);
    const stored: Stored = { task: work, key: "", sha: "", deliveryId, at: Date.now() };
    if (existing || !work.debounce) {
      await tasks.add(work.name, stored, this.#jobOptions(id));
      return markWebhook(existing ? "duplicate" : "started");
    }
    // BullMQ's debounce mode: a delayed job per key whose data and delay the next one replaces.
    const { key, ms } = work.debounce;
    const waiting = await tasks.getDeduplicationJobId(key);
    const dedupe = { id: key.replace(/:/g, "."), ttl: ms, extend: true, replace: true };
    await tasks.add(work.name, stored, { ...this.#jobOptions(id), delay: ms, deduplication: dedupe });
    return markWebhook(waiting ? "debounced" : "started");
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.#local.idle();
      const counts = await Promise.all(Object.values(this.#queues).map((q) => q.getJobCounts("waiting", "active", "delayed", "prioritized")));
      const pending = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
      if (!pending && !this.active) return;
      await sleep(50);
    }
  }

  async close(): Promise<void> {
    this.#unscrape();
    await Promise.all(this.#workers.map((w) => w.close()));
    await this.#local.idle();
    await Promise.all(Object.values(this.#queues).map((q) => q.close()));
    this.#redis.disconnect();
  }

  #notDurable(deliveryId: string): undefined {
    if (!this.#warned) this.#options.log.warn({ delivery: deliveryId }, "work queued as a closure is not durable: it runs in this process only");
    this.#warned = true;
    return undefined;
  }

  #jobOptions(id: string) {
    return {
      jobId: id,
      attempts: this.#options.attempts,
      backoff: { type: "exponential", delay: this.#options.backoffMs },
      removeOnComplete: { age: DAY_MS / 1000, count: 10_000 },
      removeOnFail: { age: (7 * DAY_MS) / 1000 },
    };
  }

  #startWorkers(): void {
    const { url, log, prefix, concurrency, lockMs, maxStalledCount } = this.#options;
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    connection.on("error", (err) => log.debug({ err }, "redis worker connection error"));
    for (const name of [REVIEWS, TASKS]) {
      const worker = new Worker<Stored>(name, (job, token) => this.#process(name, job, token), {
        connection,
        prefix,
        concurrency,
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount,
      });
      worker.on("error", (err) => log.debug({ err }, "worker error"));
      worker.on("stalled", (id) => void this.#stalled(name, id));
      worker.on("failed", (job, err) => void (job && this.#failed(job, err)));
      this.#workers.push(worker);
    }
  }

  async #process(queue: string, job: BullJob<Stored>, token?: string): Promise<void> {
    const d = job.data;
    const log = this.#options.log.child({ ...logFields(d), job: job.id, attempt: job.attemptsMade + 1 });
    const started = Date.now();
    const end = (outcome: string) => jobDuration.observe({ queue, task: d.task.name, outcome }, (Date.now() - started) / 1000);
    if (queue === REVIEWS) {
      const newest = await this.#marker(d.key);
      if (newest.id && newest.id !== job.id) {
        log.info({ newer: newest.sha }, "superseded while queued: not run");
        return end("superseded");
      }
      if (!(await this.#startReview(d.key, job.id!))) {
        await job.moveToDelayed(Date.now() + POLL_MS, token);
        end("delayed");
        throw new DelayedError();
      }
    }
    if (job.attemptsMade === 0) queueWait.observe({ queue }, Math.max(0, started - job.timestamp) / 1000);
    this.#active++;
    const control = this.#control(job, queue === REVIEWS);
    try {
      await this.tasks.get(d.task.name).run(d.task.data, control);
      end("completed");
    } catch (error) {
      const retry = control.willRetry!(error);
      end(retry ? "retry" : "failed");
      log.error({ err: error, retry }, retry ? "job failed on a GitHub error: retrying with backoff" : "job failed");
      if (retry) throw error;
      throw new UnrecoverableError(isRetryable(error) ? `GitHub kept failing after ${job.attemptsMade + 1} attempt(s): ${message(error)}` : message(error));
    } finally {
      this.#active--;
      control.stop();
      if (queue === REVIEWS) await this.#unlock(d.key, job.id!).catch(() => undefined);
    }
  }

  /** supersededBy from the newest head of the PR, read (and the PR lock renewed) while the job runs. */
  #control(job: BullJob<Stored>, review: boolean): JobControl & { stop(): void } {
    let supersededBy: string | undefined;
    const attempts = this.#options.attempts;
    const timer = review
      ? setInterval(() => {
          void this.#renewAndRead(job.data.key, job.id!).then(
            (m) => {
              if (m.id && m.id !== job.id && m.sha !== job.data.sha) supersededBy = m.sha;
            },
            () => undefined,
          );
        }, POLL_MS)
      : undefined;
    return {
      get supersededBy() {
        return supersededBy;
      },
      willRetry: (error) => isRetryable(error) && job.attemptsMade + 1 < attempts,
      stop: () => clearInterval(timer),
    };
  }

  async #stalled(queue: string, id: string): Promise<void> {
    const job = await this.#queues[queue].getJob(id).catch(() => undefined);
    const fields = job ? logFields(job.data) : {};
    this.#options.log.warn({ ...fields, job: id, queue, stalled: job?.stalledCounter }, "job stalled (its worker stopped): running it again");
  }

  /**
   * A job failed for good (no retry left, or its workers died more than maxStalledCount times): a durable task,
   * retried on GitHub errors like any other, lets its task tidy up (a review completes its check run).
   */
  async #failed(job: BullJob<Stored>, error: Error): Promise<void> {
    const d = job.data;
    const log = this.#options.log.child({ ...logFields(d), job: job.id });
    try {
      if ((await job.getState()) !== "failed") return;
      const reason = this.#reason(error);
      log.error({ reason }, "job failed for good");
      if (d.task.name === ABANDON || !this.tasks.get(d.task.name).abandon) return;
      const abandoned: Abandoned = { task: d.task, reason };
      const stored: Stored = { ...d, task: { name: ABANDON, data: abandoned }, at: Date.now() };
      await this.#queues[TASKS].add(ABANDON, stored, this.#jobOptions(`${ABANDON}-${job.id}`));
    } catch (err) {
      log.error({ err }, "could not tidy up after a failed job");
    }
  }

  /** Why a job failed for good, in words for the people reading its check run. */
  #reason(error: Error): string {
    if (/stalled more than allowable limit/.test(error.message)) {
      return `the worker process running it stopped before it finished (crashed, ran out of memory or was killed), ${this.#options.maxStalledCount + 1} times in a row`;
    }
    return error.message;
  }

  async #abandon(data: Abandoned): Promise<void> {
    await this.tasks.get(data.task.name).abandon?.(data.task.data, new Error(data.reason));
  }

  /** Runs `work` holding the named lock in Redis (waiting for it), so one writer per PR across processes. */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = `checklist:${name}`;
    const holder = randomUUID();
    while (!(await this.#lock(key, holder))) await sleep(50);
    const timer = setInterval(() => void this.#renew(key, holder).catch(() => undefined), Math.max(50, this.#options.lockMs / 3));
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await this.#unlock(key, holder).catch(() => undefined);
    }
  }

  async #marker(key: string): Promise<Marker> {
    const [id, sha] = await this.#redis.hmget(`${this.#options.prefix}:head:${key}`, "id", "sha");
    return { id: id ?? undefined, sha: sha ?? undefined };
  }

  async #startReview(key: string, id: string): Promise<boolean> {
    const p = this.#options.prefix;
    return (await this.#redis.eval(START_REVIEW, 2, `${p}:lock:${key}`, `${p}:head:${key}`, id, this.#options.lockMs)) === 1;
  }

  async #lock(key: string, holder: string): Promise<boolean> {
    return (await this.#redis.set(`${this.#options.prefix}:lock:${key}`, holder, "PX", this.#options.lockMs, "NX")) === "OK";
  }

  async #renewAndRead(key: string, id: string): Promise<Marker> {
    const p = this.#options.prefix;
    const [newest, sha] = (await this.#redis.eval(RENEW_AND_READ, 2, `${p}:lock:${key}`, `${p}:head:${key}`, id, this.#options.lockMs)) as (string | null)[];
    return { id: newest ?? undefined, sha: sha ?? undefined };
  }

  #renew(key: string, holder: string) {
    return this.#redis.eval(RENEW, 1, `${this.#options.prefix}:lock:${key}`, holder, this.#options.lockMs);
  }

  #unlock(key: string, holder: string) {
    return this.#redis.eval(RELEASE, 1, `${this.#options.prefix}:lock:${key}`, holder);
  }

  async #scrape(): Promise<void> {
    for (const [name, q] of Object.entries(this.#queues)) {
      const counts = await q.getJobCounts("waiting", "active", "delayed", "failed");
      for (const [state, n] of Object.entries(counts)) queueDepth.set({ queue: name, state }, n);
    }
  }
}

/** What every job log line carries: the delivery, and the repository, PR and head SHA when the job is about one. */
function logFields(d: Pick<Stored, "key" | "sha" | "deliveryId"> & { task?: { data: unknown } }): { delivery: string; repository?: string; pr?: number; sha?: string } {
  const m = /^(.+)#(\d+)$/.exec(d.key);
  const payload = (d.task?.data as { payload?: EventPayload } | undefined)?.payload;
  const repository = m?.[1] ?? payload?.repository?.full_name;
  const pr = m ? Number(m[2]) : (payload?.pull_request?.number ?? payload?.issue?.number);
  const sha = d.sha || payload?.pull_request?.head?.sha || payload?.check_run?.head_sha || undefined;
  return { delivery: d.deliveryId, ...(repository ? { repository } : {}), ...(pr ? { pr } : {}), ...(sha ? { sha } : {}) };
}

/** The parts of a stored webhook payload (task data) that name what it is about. */
interface EventPayload {
  repository?: { full_name?: string };
  pull_request?: { number?: number; head?: { sha?: string } };
  issue?: { number?: number };
  check_run?: { head_sha?: string };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
