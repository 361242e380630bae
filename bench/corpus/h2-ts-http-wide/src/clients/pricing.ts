import { getJson } from "../lib/http";

const BASE = process.env.PRICING_URL ?? "http://pricing.internal";

export interface PriceList {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getPriceList(tenantId: string, id: string): Promise<PriceList> {
  return getJson<PriceList>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/price-lists/${encodeURIComponent(id)}`);
}

export function listPriceLists(tenantId: string, cursor?: string): Promise<{ items: PriceList[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/price-lists${qs}`, { timeoutMs: 5_000 });
}
