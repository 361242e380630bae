import { Agent, request } from "undici";
import { setTimeout as sleep } from "node:timers/promises";
import { logger } from "./logger";

// One keep-alive pool for all outbound calls; every request carries its own deadline too.
const agent = new Agent({ connect: { timeout: 1_000 }, headersTimeout: 2_000, bodyTimeout: 5_000, keepAliveTimeout: 10_000 });

export interface CallOptions {
  requestId: string;
  attempts?: number;
  baseDelayMs?: number;
}

export async function postJson<T>(url: string, body: unknown, opts: CallOptions): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const base = opts.baseDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await request(url, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json", "x-request-id": opts.requestId },
        body: JSON.stringify(body),
        headersTimeout: 2_000,
        bodyTimeout: 5_000,
      });
      if (res.statusCode >= 500) throw new Error(`upstream ${res.statusCode}`);
      return (await res.body.json()) as T;
    } catch (err) {
      if (attempt >= attempts) throw err;
      const delay = Math.random() * base * 2 ** attempt; // exponential backoff, full jitter
      logger.warn({ requestId: opts.requestId, url, attempt, delay, err }, "outbound call failed, retrying");
      await sleep(delay);
    }
  }
}
