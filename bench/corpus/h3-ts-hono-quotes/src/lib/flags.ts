const FLAGS_URL = process.env.FLAGS_URL ?? "http://flags.internal";

export interface FlagContext {
  tenantId: string;
  userId?: string;
}

export async function isEnabled(flag: string, ctx: FlagContext): Promise<boolean> {
  const res = await fetch(`${FLAGS_URL}/v1/evaluate/${encodeURIComponent(flag)}`, { // expect: no-timeout-or-fallback
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ctx),
  });
  if (!res.ok) throw new Error(`flag service returned ${res.status}`);
  const body = (await res.json()) as { enabled: boolean };
  return body.enabled;
}
