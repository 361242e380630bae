import { getJson } from "../lib/http";

const BASE = process.env.FRAUD_URL ?? "http://fraud.internal";

export interface RiskScore {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getRiskScore(tenantId: string, id: string): Promise<RiskScore> {
  return getJson<RiskScore>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/scores/${encodeURIComponent(id)}`);
}

export function listRiskScores(tenantId: string, cursor?: string): Promise<{ items: RiskScore[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/scores${qs}`, { timeoutMs: 5_000 });
}
