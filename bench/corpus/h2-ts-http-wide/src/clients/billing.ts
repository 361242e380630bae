import { getJson } from "../lib/http";

const BASE = process.env.BILLING_URL ?? "http://billing.internal";

export interface Invoice {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getInvoice(tenantId: string, id: string): Promise<Invoice> {
  return getJson<Invoice>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/invoices/${encodeURIComponent(id)}`);
}

export function listInvoices(tenantId: string, cursor?: string): Promise<{ items: Invoice[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/invoices${qs}`, { timeoutMs: 5_000 });
}
