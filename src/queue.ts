// In-process review queue: one job per PR at a time, newer head SHAs supersede older work,
// duplicate deliveries dropped, bounded length and concurrency. Tick handling runs here too, as tasks.
import type { Logger } from "probot";

export interface JobControl {
  /** The head SHA of newer work for the same PR, once some arrived; undefined while this job is current. */
  readonly supersededBy: string | undefined;
}

export interface Job {
  /** One key per pull request: "owner/repo#number". */
  key: string;
  sha: string;
  deliveryId: string;
  run(control: JobControl): Promise<void>;
}

export type EnqueueResult = "queued" | "replaced" | "duplicate" | "full";

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

export class ReviewQueue {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #remember: number;
  readonly #seen = new Set<string>();
  readonly #slots = new Map<string, Slot>();
  readonly #ready: string[] = [];
  #queued = 0;
  #active = 0;
  #tasks = 0;
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

  enqueue(job: Job): EnqueueResult {
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
  runTask(deliveryId: string, work: () => Promise<void>, onError: (error: unknown) => void): "started" | "duplicate" {
    if (this.#seen.has(deliveryId)) return "duplicate";
    this.#remember_(deliveryId);
    this.#tasks++;
    void work()
      .catch(onError)
      .finally(() => {
        this.#tasks--;
        this.#pump();
      });
    return "started";
  }

  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#queued === 0 && this.#tasks === 0;
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
      await entry.job.run(control);
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

/** The app's queue: sizes from the environment, drops and failures logged. */
export function createQueue(log: Logger, env: Record<string, string | undefined> = process.env): ReviewQueue {
  return new ReviewQueue({
    ...queueOptionsFromEnv(env),
    onError: (err, job) => log.error({ err, delivery: job.deliveryId, pr: job.key, sha: job.sha }, "review job failed"),
    onDrop: (job, reason) => log.warn({ delivery: job.deliveryId, pr: job.key, sha: job.sha }, `review job dropped: ${reason}`),
  });
}

export function queueOptionsFromEnv(env: Record<string, string | undefined> = process.env): QueueOptions {
  const n = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    concurrency: n(env.AI_GAPS_CONCURRENCY, 4),
    maxQueued: n(env.AI_GAPS_QUEUE_MAX, 500),
  };
}
