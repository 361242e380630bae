// The one Octokit class the app uses: bounded retries on 5xx, rate limits and secondary rate limits
// (honouring retry-after), and mutations serialized per installation with a minimum interval. With REDIS_URL the
// mutation lanes (writes and GraphQL, and notifying writes) live in Redis through Bottleneck clustering, so every
// process of the app shares them; reads keep Octokit's own per-process limits, so a GET costs no Redis round trip.
// Every request is counted for /metrics.
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { ProbotOctokit } from "probot";
import { githubRequests, rateLimitWaits, rateLimitWaitSeconds } from "../metrics.js";

export interface OctokitSettings {
  /** Minimum milliseconds between two mutations (and GraphQL calls) of one installation. */
  mutationIntervalMs: number;
  /** Retries of a 5xx answer. */
  retries: number;
  /** Retries of a rate-limited request (primary or secondary). */
  rateLimitRetries: number;
  /** Milliseconds per unit of retry-after / backoff (1000 in production; tests make it small). */
  retryBaseMs: number;
  /** Longest retry-after worth waiting for, in seconds; beyond it the request fails. */
  maxRetryAfterSeconds: number;
}

type Env = Record<string, string | undefined>;

function num(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function octokitSettings(env: Env = process.env): OctokitSettings {
  return {
    mutationIntervalMs: num(env.AI_GAPS_MUTATION_INTERVAL_MS, 1000),
    retries: num(env.AI_GAPS_RETRIES, 3),
    rateLimitRetries: num(env.AI_GAPS_RATE_LIMIT_RETRIES, 3),
    retryBaseMs: num(env.AI_GAPS_RETRY_BASE_MS, 1000),
    maxRetryAfterSeconds: num(env.AI_GAPS_MAX_RETRY_AFTER_S, 120),
  };
}

interface LimitInfo {
  method: string;
  url: string;
  request: { retryCount: number };
}
interface Logged {
  log: { warn: (obj: object, msg: string) => void };
}

/** The throttle handler: retry a bounded number of times, only when the wait is reasonable. */
export function limitHandler(kind: string, settings: OctokitSettings) {
  return (retryAfter: number, options: LimitInfo, octokit: Logged): boolean => {
    const retryCount = options.request?.retryCount ?? 0;
    const retry = retryCount < settings.rateLimitRetries && retryAfter <= settings.maxRetryAfterSeconds;
    rateLimitWaits.inc({ kind, retry: String(retry) });
    if (retry) rateLimitWaitSeconds.inc({ kind }, retryAfter);
    octokit.log.warn(
      { kind, method: options.method, url: options.url, retryAfter, retryCount, retry },
      retry ? `${kind} hit, retrying in ${retryAfter}s` : `${kind} hit, giving up`,
    );
    return retry;
  };
}

// Bottleneck groups are keyed by the installation id that Probot puts in throttle.id, so every
// installation gets its own serialized lane. One set per interval (and Redis connection), shared by all clients.
type Groups = { write: Bottleneck.Group; notifications: Bottleneck.Group };
const groupsByInterval = new Map<number, Groups>();
const clusteredGroups = new WeakMap<object, Map<number, Groups>>();

function writeGroups(intervalMs: number, connection?: Bottleneck.IORedisConnection): Groups {
  const cache = connection ? (clusteredGroups.get(connection) ?? new Map<number, Groups>()) : groupsByInterval;
  if (connection) clusteredGroups.set(connection, cache);
  let groups = cache.get(intervalMs);
  if (!groups) {
    // In Redis the lanes are named by interval, so processes with the same settings share them.
    const shared = connection ? { connection, timeout: 120_000 } : {};
    groups = {
      write: new Bottleneck.Group({ id: `ai-gaps-write-${intervalMs}`, maxConcurrent: 1, minTime: intervalMs, ...shared }),
      // Requests that notify people (comments) get three times the gap, as Octokit's default does.
      notifications: new Bottleneck.Group({ id: `ai-gaps-notifications-${intervalMs}`, maxConcurrent: 1, minTime: intervalMs * 3, ...shared }),
    };
    cache.set(intervalMs, groups);
  }
  return groups;
}

/** Whether a failed job may succeed when run again: GitHub 5xx, rate limits, network errors; not 4xx or bugs. */
export function isRetryable(error: unknown): boolean {
  const e = error as { status?: unknown; name?: string; message?: string; code?: string };
  if (!e || typeof e !== "object") return false;
  if (typeof e.status === "number") return e.status >= 500 || e.status === 429 || (e.status === 403 && /rate limit/i.test(e.message ?? ""));
  if (e.name === "AggregateError") return ((error as AggregateError).errors ?? []).some(isRetryable);
  return /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|UND_ERR_.*)$/.test(e.code ?? "") || /fetch failed|socket hang up/i.test(e.message ?? "");
}

/** Counts every request by method, route template and status. */
function requestMetrics(octokit: { hook: { wrap: (name: "request", fn: (request: any, options: any) => Promise<any>) => void } }) {
  octokit.hook.wrap("request", async (request, options) => {
    const labels = { method: String(options.method), route: String(options.url) };
    try {
      const response = await request(options);
      githubRequests.inc({ ...labels, status: String(response.status) });
      return response;
    } catch (error) {
      githubRequests.inc({ ...labels, status: String((error as { status?: number }).status ?? "error") });
      throw error;
    }
  });
  return {};
}

/** Bottleneck's Redis connection for the throttling of every process (what Probot builds from REDIS_URL). */
export function throttleConnection(redisUrl: string, onError: (error: unknown) => void): Bottleneck.IORedisConnection {
  const connection = new Bottleneck.IORedisConnection({ client: new Redis(redisUrl) });
  connection.on("error", onError);
  return connection;
}

/**
 * Builds the Octokit class with the given settings (read from the environment by default). With a Redis
 * connection, the mutation lanes are kept in Redis, shared by every process.
 */
export function createOctokit(settings: OctokitSettings = octokitSettings(), connection?: Bottleneck.IORedisConnection): typeof ProbotOctokit {
  return ProbotOctokit.plugin(requestMetrics).defaults((options: Record<string, any>) => {
    // The connection goes to our lanes only: handed to the plugin, it would also cluster every read (Octokit's
    // global group wraps each request), some Redis round trips per GET.
    const throttle = { ...options.throttle };
    const retry = options.retry ?? {};
    const shared = writeGroups(settings.mutationIntervalMs, connection);
    return {
      ...options,
      retry: { retries: settings.retries, retryAfterBaseValue: settings.retryBaseMs, ...retry },
      throttle:
        throttle.enabled === false
          ? throttle
          : {
              retryAfterBaseValue: settings.retryBaseMs,
              ...shared,
              ...throttle,
              onRateLimit: limitHandler("rate limit", settings),
              onSecondaryRateLimit: limitHandler("secondary rate limit", settings),
            },
    };
  }) as typeof ProbotOctokit;
}

/** Octokit for tests: no retries, no throttling. */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, any>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
})) as typeof ProbotOctokit;
