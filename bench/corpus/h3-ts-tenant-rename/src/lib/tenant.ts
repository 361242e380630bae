import type { Request } from "express";
import createHttpError from "http-errors";

export interface TenantContext {
  tenantId: string;
  plan: "free" | "team" | "enterprise";
  region: string;
}

/** Tenant of the authenticated caller; set by the auth middleware from the verified token. */
export function resolveTenant(req: Request): TenantContext { // expect: stale-dependents
  const auth = req.auth;
  if (!auth) throw createHttpError(401, "not authenticated");
  if (auth.plan === "suspended") throw createHttpError(402, "subscription suspended");
  return { tenantId: auth.tenantId, plan: auth.plan, region: auth.region };
}
