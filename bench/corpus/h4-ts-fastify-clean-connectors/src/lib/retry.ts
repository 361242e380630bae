import { setTimeout as sleep } from "node:timers/promises";

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
  retryable: (err: unknown) => boolean;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastError = err;
      if (attempt === opts.attempts || !opts.retryable(err)) break;
      const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
      await sleep(Math.random() * ceiling);
    }
  }
  throw lastError;
}
