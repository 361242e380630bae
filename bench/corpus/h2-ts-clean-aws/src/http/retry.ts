import { setTimeout as sleep } from "node:timers/promises";

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
  retryable?: (err: unknown) => boolean;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  let lastErr: unknown;
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastErr = err;
      if (attempt === opts.attempts || (opts.retryable && !opts.retryable(err))) break;
      const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
      await sleep(Math.random() * cap);
    }
  }
  throw lastErr;
}

export function postJson(url: string, body: unknown, requestId: string) {
  return withRetry(
    async () => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": requestId },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(4_000),
      });
      if (res.status >= 500) throw new Error(`upstream ${res.status}`);
      return res.json();
    },
    { attempts: 4, baseMs: 100, maxMs: 2_000 },
  );
}
