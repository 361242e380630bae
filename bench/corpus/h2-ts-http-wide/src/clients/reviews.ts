import { getJson } from "../lib/http";

const BASE = process.env.REVIEWS_URL ?? "http://reviews.internal";

export interface Review {
  id: string;
  tenantId: string;
  updatedAt: string;
}

export function getReview(tenantId: string, id: string): Promise<Review> {
  return getJson<Review>(`${BASE}/tenants/${encodeURIComponent(tenantId)}/reviews/${encodeURIComponent(id)}`);
}

export function listReviews(tenantId: string, cursor?: string): Promise<{ items: Review[]; next?: string }> {
  const qs = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
  return getJson(`${BASE}/tenants/${encodeURIComponent(tenantId)}/reviews${qs}`, { timeoutMs: 5_000 });
}
