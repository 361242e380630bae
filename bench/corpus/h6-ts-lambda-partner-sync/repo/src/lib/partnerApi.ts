export interface ChangedSku {
  sku: string;
  quantity: number;
  warehouse: string;
  updatedAt: string;
}

const PARTNER_API = process.env.PARTNER_API_URL ?? "https://partners.example.com";

export async function fetchChangedSkus(partnerId: string, apiKey: string, since: string): Promise<ChangedSku[]> {
  const res = await fetch(`${PARTNER_API}/v2/partners/${partnerId}/inventory/changes?since=${encodeURIComponent(since)}`, {
    headers: { "x-api-key": apiKey },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) {
    throw new Error(`partner API answered ${res.status}`);
  }
  const body = (await res.json()) as { items: ChangedSku[] };
  return body.items;
}
