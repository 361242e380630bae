import type { Request } from "express";
import type { TenantDirectory } from "./directory";

export const TENANT_HEADER = "x-tenant-slug";

export interface TenantRef {
  id: string;
  plan: "free" | "team" | "enterprise";
  region: string;
}

export async function resolveTenant(req: Request, directory: TenantDirectory): Promise<TenantRef> { // expect: stale-dependents
  const id = req.auth?.tenantId;
  if (!id) throw new Error("request is not authenticated");
  const tenant = await directory.byId(id);
  if (!tenant) throw new Error(`tenant ${id} not found`);
  return { id: tenant.id, plan: tenant.plan, region: tenant.region };
}
