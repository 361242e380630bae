import { getJson } from "../lib/http";

const BASE = process.env.SEARCH_URL ?? "http://search.internal";

export interface SearchHit {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getSearchHit(tenantId: string, id: string): Promise<SearchHit> {
  return getJson<SearchHit>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/hits/${encodeURIComponent(id)}`);
}

export function listSearchHits(tenantId: string, cursor?: string): Promise<{ items: SearchHit[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/hits${qs}`, { timeoutMs: 5_000 });
}
