import { getJson } from "../lib/http";

const BASE = process.env.LOYALTY_URL ?? "http://loyalty.internal";

export interface LoyaltyAccount {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getLoyaltyAccount(tenantId: string, id: string): Promise<LoyaltyAccount> {
  return getJson<LoyaltyAccount>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/accounts/${encodeURIComponent(id)}`);
}

export function listLoyaltyAccounts(tenantId: string, cursor?: string): Promise<{ items: LoyaltyAccount[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/accounts${qs}`, { timeoutMs: 5_000 });
}
