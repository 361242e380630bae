import { getJson } from "../lib/http";

const BASE = process.env.WAREHOUSES_URL ?? "http://warehouses.internal";

export interface Warehouse {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getWarehouse(tenantId: string, id: string): Promise<Warehouse> {
  return getJson<Warehouse>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/warehouses/${encodeURIComponent(id)}`);
}

export function listWarehouses(tenantId: string, cursor?: string): Promise<{ items: Warehouse[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/warehouses${qs}`, { timeoutMs: 5_000 });
}
