import { logger } from "./logger";

const FLAGS_URL = process.env.FLAGS_URL ?? "http://flags.internal";
const TTL_MS = 30_000;

// Defaults ship with the build; they are what we serve if the flag service is down and we have
// never seen a value for the flag.
const DEFAULTS: Record<string, boolean> = { "dynamic-pricing": false, "new-catalog": false };
const lastKnown = new Map<string, { value: boolean; at: number }>();

export async function flagEnabled(flag: string, tenantId: string, requestId: string): Promise<boolean> {
  const key = `${flag}:${tenantId}`;
  const cached = lastKnown.get(key);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  try {
    const res = await fetch(`${FLAGS_URL}/v1/evaluate/${encodeURIComponent(flag)}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ tenantId }),
      signal: AbortSignal.timeout(300),
    });
    if (!res.ok) throw new Error(`flag service returned ${res.status}`);
    const { enabled } = (await res.json()) as { enabled: boolean };
    lastKnown.set(key, { value: enabled, at: Date.now() });
    return enabled;
  } catch (err) {
    logger.warn({ requestId, flag, err }, "flag evaluation failed, using last known value or default");
    return cached?.value ?? DEFAULTS[flag] ?? false;
  }
}
