// The work queue: reviews (one job per PR at a time, newer head SHAs supersede older work) and tasks that run
// at once (tick edits, re-runs, merge groups); duplicate deliveries dropped, bounded length and concurrency.
// ReviewQueue keeps it in this process's memory; with REDIS_URL, RedisQueue (src/queue-redis.ts) keeps the same
// contract in Redis across processes. Durable work is a named task with JSON data (see define()).
import type { Logger } from "probot";
import { markWebhook } from "./metrics.js";
import { RedisQueue } from "./queue-redis.js";

export interface JobControl {
  /** The head SHA of newer work for the same PR, once some arrived; undefined while this job is current. */
  readonly supersededBy: string | undefined;
  /** Whether the queue will run this job again after `error` (a GitHub error with attempts left). */
  willRetry?(error: unknown): boolean;
}

/** A task registered with define(), by name, with JSON-serializable data: what a durable queue stores. */
export interface TaskRef {
  name: string;
  data: unknown;
  /**
   * Run once things are quiet: the task waits `ms`; another task with the same key meanwhile takes its place
   * (its data) and restarts the wait.
   */
  debounce?: { key: string; ms: number };
}

export type TaskRunner = (data: any, control: JobControl) => Promise<void>;

export interface TaskDefinition {
  run: TaskRunner;
  /** Called once when the job has failed for good (retries spent, or its worker died too often). */
  abandon?: (data: any, error: unknown) => Promise<void>;
}

export interface Job {
  /** One key per pull request: "owner/repo#number". */
  key: string;
  sha: string;
  deliveryId: string;
  /** Work run in this process (not durable). Give `task` instead for work that must survive the process. */
  run?(control: JobControl): Promise<void>;
  task?: TaskRef;
  /** When this head was pushed or the PR edited (ms since epoch): orders work for one PR that races across processes. */
  at?: number;
}

export type EnqueueResult = "queued" | "replaced" | "duplicate" | "full";
export type TaskResult = "started" | "duplicate" | "debounced";
/** A task: a closure run in this process, or a registered task (durable with Redis). */
export type TaskWork = (() => Promise<void>) | TaskRef;

/** What handlers use; ReviewQueue (memory) and RedisQueue (BullMQ) both implement it. */
export interface WorkQueue {
  /** Jobs waiting / running in this process. */
  readonly queued: number;
  readonly active: number;
  define(name: string, task: TaskRunner | TaskDefinition): void;
  enqueue(job: Job): EnqueueResult | Promise<EnqueueResult>;
  runTask(deliveryId: string, work: TaskWork, onError: (error: unknown) => void): TaskResult | Promise<TaskResult>;
  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void>;
  /** Whether work can be accepted now (for the readiness check). */
  ready(): Promise<boolean>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

export class TaskRegistry {
  readonly #tasks = new Map<string, TaskDefinition>();

  define(name: string, task: TaskRunner | TaskDefinition): void {
    this.#tasks.set(name, typeof task === "function" ? { run: task } : task);
  }

  get(name: string): TaskDefinition {
    const task = this.#tasks.get(name);
    if (!task) throw new Error(`no queue task named "${name}" is defined (known: ${[...this.#tasks.keys()].join(", ") || "none"})`);
    return task;
  }
}

export interface QueueOptions {
  /** Jobs running at once across PRs. */
  concurrency?: number;
  /** Jobs waiting at once. */
  maxQueued?: number;
  /** Delivery ids remembered for de-duplication. */
  rememberDeliveries?: number;
  onError?: (error: unknown, job: Job) => void;
  onDrop?: (job: Job, reason: string) => void;
}

interface Entry {
  job: Job;
  supersededBy?: string;
}

interface Slot {
  running?: Entry;
  pending?: Entry;
}

export class ReviewQueue implements WorkQueue {
  readonly tasks = new TaskRegistry();
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #remember: number;
  readonly #seen = new Set<string>();
  readonly #slots = new Map<string, Slot>();
  readonly #ready: string[] = [];
  #queued = 0;
  #active = 0;
  #running = 0;
  #idle: (() => void)[] = [];
  readonly #options: QueueOptions;

  constructor(options: QueueOptions = {}) {
    this.#options = options;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#maxQueued = Math.max(1, options.maxQueued ?? 500);
    this.#remember = Math.max(1, options.rememberDeliveries ?? 5000);
  }

  get queued(): number {
    return this.#queued;
  }

  get active(): number {
    return this.#active;
  }

  define(name: string, task: TaskRunner | TaskDefinition): void {
    this.tasks.define(name, task);
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return this.idle();
  }

  enqueue(job: Job): EnqueueResult {
    return markWebhook(this.#enqueue(job));
  }

  #enqueue(job: Job): EnqueueResult {
    if (job.task) this.tasks.get(job.task.name); // an unknown name fails here, in the handler, not later
    if (this.#seen.has(job.deliveryId)) return "duplicate";
    const slot = this.#slots.get(job.key) ?? {};
    if (!slot.pending && this.#queued >= this.#maxQueued) {
      // Not remembered: a redelivery once there is room is new work, not a duplicate.
      this.#options.onDrop?.(job, "queue full");
      return "full";
    }
    this.#remember_(job.deliveryId);
    if (slot.running && slot.running.job.sha !== job.sha) slot.running.supersededBy = job.sha;
    let result: EnqueueResult = "queued";
    if (slot.pending) {
      this.#options.onDrop?.(slot.pending.job, `superseded while queued by ${job.deliveryId}`);
      result = "replaced";
    } else {
      this.#queued++;
      if (!slot.running) this.#ready.push(job.key);
    }
    slot.pending = { job };
    this.#slots.set(job.key, slot);
    this.#pump();
    return result;
  }

  /**
   * Work that must neither wait for nor be superseded by reviews (a tick is an edit that must not be lost):
   * started at once, after the webhook is answered; deduplicated by delivery id; counted by idle().
   */
  runTask(deliveryId: string, work: TaskWork, onError: (error: unknown) => void): TaskResult {
    const run = typeof work === "function" ? work : this.#taskRun(work);
    if (this.#seen.has(deliveryId)) return markWebhook("duplicate");
    this.#remember_(deliveryId);
    if (typeof work !== "function" && work.debounce) return markWebhook(this.#debounced(work, onError));
    this.#running++;
    void run()
      .catch(onError)
      .finally(() => {
        this.#running--;
        this.#pump();
      });
    return markWebhook("started");
  }

  readonly #waiting = new Map<string, { until: number; ref: TaskRef }>();

  /** A debounced task: one waiter per key; later ones move its deadline and replace its data. */
  #debounced(ref: TaskRef, onError: (error: unknown) => void): TaskResult {
    const { key, ms } = ref.debounce!;
    const waiter = this.#waiting.get(key);
    if (waiter) {
      waiter.until = Date.now() + ms;
      waiter.ref = ref;
      return "debounced";
    }
    const mine = { until: Date.now() + ms, ref };
    this.#waiting.set(key, mine);
    this.#running++;
    const settle = async () => {
      for (let left = mine.until - Date.now(); left > 0; left = mine.until - Date.now()) await new Promise((r) => setTimeout(r, left));
      this.#waiting.delete(key);
      await this.#taskRun(mine.ref)();
    };
    void settle()
      .catch(onError)
      .finally(() => {
        this.#running--;
        this.#pump();
      });
    return "started";
  }

  #taskRun(ref: TaskRef): () => Promise<void> {
    const task = this.tasks.get(ref.name);
    return () => task.run(ref.data, { supersededBy: undefined });
  }

  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#queued === 0 && this.#running === 0;
  }

  #remember_(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > this.#remember) this.#seen.delete(this.#seen.values().next().value!);
  }

  #pump(): void {
    while (this.#active < this.#concurrency && this.#ready.length) {
      const key = this.#ready.shift()!;
      const slot = this.#slots.get(key)!;
      const entry = slot.pending!;
      slot.pending = undefined;
      slot.running = entry;
      this.#queued--;
      this.#active++;
      void this.#run(key, slot, entry);
    }
    if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #run(key: string, slot: Slot, entry: Entry): Promise<void> {
    const control: JobControl = {
      get supersededBy() {
        return entry.supersededBy;
      },
    };
    try {
      const { job } = entry;
      if (job.run) await job.run(control);
      else await this.tasks.get(job.task!.name).run(job.task!.data, control);
    } catch (error) {
      this.#options.onError?.(error, entry.job);
    } finally {
      this.#active--;
      slot.running = undefined;
      if (slot.pending) this.#ready.push(key);
      else this.#slots.delete(key);
      this.#pump();
    }
  }
}

/** The app's queue: in Redis (BullMQ) with REDIS_URL, else in memory; sizes from the environment, drops and failures logged. */
export function createQueue(log: Logger, env: Record<string, string | undefined> = process.env): WorkQueue {
  const role = roleFromEnv(env);
  const sizes = queueOptionsFromEnv(env);
  if (env.REDIS_URL) {
    const n = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
    return new RedisQueue({
      url: env.REDIS_URL,
      log,
      work: role !== "web",
      concurrency: sizes.concurrency,
      maxQueued: sizes.maxQueued,
      attempts: n(env.AI_GAPS_JOB_ATTEMPTS, 5),
      backoffMs: n(env.AI_GAPS_JOB_BACKOFF_MS, 5000),
      lockMs: n(env.AI_GAPS_JOB_LOCK_MS, 30_000),
      maxStalledCount: n(env.AI_GAPS_JOB_MAX_STALLED, 3),
    });
  }
  if (role !== "all") throw new Error(`AI_GAPS_ROLE=${role} needs REDIS_URL: without Redis one process takes the webhooks and runs the work (AI_GAPS_ROLE=all)`);
  return new ReviewQueue({
    ...sizes,
    onError: (err, job) => log.error({ err, delivery: job.deliveryId, pr: job.key, sha: job.sha }, "review job failed"),
    onDrop: (job, reason) => log.warn({ delivery: job.deliveryId, pr: job.key, sha: job.sha }, `review job dropped: ${reason}`),
  });
}

export type Role = "web" | "worker" | "all";

/** AI_GAPS_ROLE: web (takes webhooks, queues work), worker (runs the work), all (both; the default). */
export function roleFromEnv(env: Record<string, string | undefined> = process.env): Role {
  const role = env.AI_GAPS_ROLE || "all";
  if (role === "web" || role === "worker" || role === "all") return role;
  throw new Error(`AI_GAPS_ROLE must be web, worker or all, not "${role}"`);
}

export function queueOptionsFromEnv(env: Record<string, string | undefined> = process.env): QueueOptions {
  const n = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    concurrency: n(env.AI_GAPS_CONCURRENCY, 4),
    maxQueued: n(env.AI_GAPS_QUEUE_MAX, 500),
  };
}
