import { logger } from "../logger";

const FLAGS_URL = process.env.FLAGS_URL!;
const defaults: Record<string, boolean> = { "new-checkout": false, "bulk-export": true };
let lastKnown: Record<string, boolean> = { ...defaults };

export async function loadFlags(tenantId: string, requestId: string): Promise<Record<string, boolean>> {
  try {
    const res = await fetch(`${FLAGS_URL}/v1/flags?tenant=${encodeURIComponent(tenantId)}`, {
      signal: AbortSignal.timeout(800),
    });
    if (!res.ok) throw new Error(`flags ${res.status}`);
    lastKnown = { ...defaults, ...((await res.json()) as Record<string, boolean>) };
  } catch (err) {
    logger.warn({ err, tenantId, requestId }, "flag service unavailable, using last known flags");
  }
  return lastKnown;
}
