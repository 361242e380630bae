import { getJson } from "../lib/http";

const BASE = process.env.TAX_URL ?? "http://tax.internal";

export interface TaxQuote {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getTaxQuote(tenantId: string, id: string): Promise<TaxQuote> {
  return getJson<TaxQuote>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/quotes/${encodeURIComponent(id)}`);
}

export function listTaxQuotes(tenantId: string, cursor?: string): Promise<{ items: TaxQuote[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/quotes${qs}`, { timeoutMs: 5_000 });
}
