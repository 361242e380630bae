import { getJson } from "../lib/http";

const BASE = process.env.INVENTORY_URL ?? "http://inventory.internal";

export interface StockLevel {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getStockLevel(tenantId: string, id: string): Promise<StockLevel> {
  return getJson<StockLevel>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/stock/${encodeURIComponent(id)}`);
}

export function listStockLevels(tenantId: string, cursor?: string): Promise<{ items: StockLevel[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/stock${qs}`, { timeoutMs: 5_000 });
}
