import { getJson } from "../lib/http";

const BASE = process.env.SHIPPING_URL ?? "http://shipping.internal";

export interface Shipment {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getShipment(tenantId: string, id: string): Promise<Shipment> {
  return getJson<Shipment>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/shipments/${encodeURIComponent(id)}`);
}

export function listShipments(tenantId: string, cursor?: string): Promise<{ items: Shipment[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/shipments${qs}`, { timeoutMs: 5_000 });
}
