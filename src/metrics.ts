// Prometheus metrics (prom-client), served at GET /metrics. Each process reports what it did itself (webhooks
// answered, jobs run, GitHub requests made); queue depth is read from the queue when scraped.
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "ai_gaps_" });

export const webhooks = new Counter({
  name: "ai_gaps_webhooks_total",
  help: "Webhook deliveries handled, by event (name.action) and outcome (queued, started, replaced, duplicate, full, ignored, error)",
  labelNames: ["event", "outcome"] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: "ai_gaps_queue_depth",
  help: "Jobs in the queue by state (waiting, active, delayed); with Redis, the whole queue as seen by this process",
  labelNames: ["queue", "state"] as const,
  registers: [registry],
});

export const queueWait = new Histogram({
  name: "ai_gaps_queue_wait_seconds",
  help: "Time from a job being queued to a worker starting it",
  labelNames: ["queue"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: "ai_gaps_job_duration_seconds",
  help: "Time a job ran, by queue, task and outcome (completed, failed, retry, superseded, delayed)",
  labelNames: ["queue", "task", "outcome"] as const,
  buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const githubRequests = new Counter({
  name: "ai_gaps_github_requests_total",
  help: "GitHub API requests by method, route template and response status",
  labelNames: ["method", "route", "status"] as const,
  registers: [registry],
});

export const rateLimitWaits = new Counter({
  name: "ai_gaps_github_rate_limit_waits_total",
  help: "GitHub rate-limit answers, by kind (rate limit, secondary rate limit) and whether the request waited to retry",
  labelNames: ["kind", "retry"] as const,
  registers: [registry],
});

export const rateLimitWaitSeconds = new Counter({
  name: "ai_gaps_github_rate_limit_wait_seconds_total",
  help: "Seconds of retry-after waited for on rate limits",
  labelNames: ["kind"] as const,
  registers: [registry],
});

export const ruleSeconds = new Histogram({
  name: "ai_gaps_rule_seconds",
  help: "Rule-engine time per rule and review",
  labelNames: ["rule"] as const,
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

export const engineThreads = new Gauge({
  name: "ai_gaps_engine_threads",
  help: "The rule engine's worker threads in this process: size (the pool's limit) and alive; 0 in a web process, which runs no reviews",
  labelNames: ["state"] as const,
  registers: [registry],
});

/** Records the per-rule times of one engine run (milliseconds by rule id). */
export function observeRules(ruleMs: Record<string, number> | undefined): void {
  for (const [rule, ms] of Object.entries(ruleMs ?? {})) ruleSeconds.observe({ rule }, ms / 1000);
}

// The outcome of the webhook being handled: the queue marks it when the handler queues work.
const outcome = new AsyncLocalStorage<{ outcome: string }>();

/** Marks the webhook in hand (if any) with the queue's answer, and returns that answer. */
export function markWebhook<T extends string>(result: T): T {
  const store = outcome.getStore();
  if (store) store.outcome = result;
  return result;
}

/** Wraps a webhook handler so every delivery is counted by event and outcome ("ignored" when nothing was queued). */
export function metered<C extends { name: string; payload: unknown }>(handler: (context: C) => Promise<void>) {
  return async (context: C): Promise<void> => {
    const action = (context.payload as { action?: string }).action;
    const event = action ? `${context.name}.${action}` : context.name;
    const store = { outcome: "ignored" };
    try {
      await outcome.run(store, () => handler(context));
    } catch (error) {
      store.outcome = "error";
      throw error;
    } finally {
      webhooks.inc({ event, outcome: store.outcome });
    }
  };
}

/** Hooks run before each scrape (queue depth from Redis). */
const beforeScrape: (() => Promise<void>)[] = [];

/** Runs `hook` before each scrape; returns a function that removes it. */
export function onScrape(hook: () => Promise<void>): () => void {
  beforeScrape.push(hook);
  return () => {
    const i = beforeScrape.indexOf(hook);
    if (i >= 0) beforeScrape.splice(i, 1);
  };
}

/** GET /metrics -> Prometheus text. */
export function metricsHandler(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?")[0];
  if (req.method !== "GET" || path !== "/metrics") return false;
  void Promise.allSettled(beforeScrape.map((hook) => hook()))
    .then(() => registry.metrics())
    .then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
    );
  return true;
}
