import { getJson } from "../lib/http";

const BASE = process.env.NOTIFY_URL ?? "http://notifications.internal";

export interface Preference {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getPreference(tenantId: string, id: string): Promise<Preference> {
  return getJson<Preference>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/preferences/${encodeURIComponent(id)}`);
}

export function listPreferences(tenantId: string, cursor?: string): Promise<{ items: Preference[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/preferences${qs}`, { timeoutMs: 5_000 });
}
