import { getJson } from "../lib/http";

const BASE = process.env.CATALOG_URL ?? "http://catalog.internal";

export interface Product {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getProduct(tenantId: string, id: string): Promise<Product> {
  return getJson<Product>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/products/${encodeURIComponent(id)}`);
}

export function listProducts(tenantId: string, cursor?: string): Promise<{ items: Product[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/products${qs}`, { timeoutMs: 5_000 });
}
