// The one Octokit class the app uses: bounded retries on 5xx, rate limits and secondary rate limits
// (honouring retry-after), and mutations serialized per installation with a minimum interval.
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

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
    octokit.log.warn(
      { kind, method: options.method, url: options.url, retryAfter, retryCount, retry },
      retry ? `${kind} hit, retrying in ${retryAfter}s` : `${kind} hit, giving up`,
    );
    return retry;
  };
}

// Bottleneck groups are keyed by the installation id that Probot puts in throttle.id, so every
// installation gets its own serialized lane. One set per interval, shared by all clients.
const groupsByInterval = new Map<number, { write: Bottleneck.Group; notifications: Bottleneck.Group }>();

function writeGroups(intervalMs: number) {
  let groups = groupsByInterval.get(intervalMs);
  if (!groups) {
    groups = {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: intervalMs }),
      // Requests that notify people (comments) get three times the gap, as Octokit's default does.
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: intervalMs * 3 }),
    };
    groupsByInterval.set(intervalMs, groups);
  }
  return groups;
}

/** Builds the Octokit class with the given settings (read from the environment by default). */
export function createOctokit(settings: OctokitSettings = octokitSettings()): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, any>) => {
    const throttle = options.throttle ?? {};
    const retry = options.retry ?? {};
    const shared = throttle.connection ? {} : writeGroups(settings.mutationIntervalMs);
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
