import { getJson } from "../lib/http";

const BASE = process.env.CUSTOMERS_URL ?? "http://customers.internal";

export interface Customer {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getCustomer(tenantId: string, id: string): Promise<Customer> {
  return getJson<Customer>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/customers/${encodeURIComponent(id)}`);
}

export function listCustomers(tenantId: string, cursor?: string): Promise<{ items: Customer[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/customers${qs}`, { timeoutMs: 5_000 });
}
