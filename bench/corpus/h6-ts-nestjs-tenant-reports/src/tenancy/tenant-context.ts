import { NotFoundException, UnauthorizedException } from "@nestjs/common";
import type { Request } from "express";
import type { TenantDirectory } from "./tenant-directory";

export interface AuthenticatedUser {
  sub: string;
  tenantId: string;
  roles: string[];
}

export interface TenantContext {
  id: string;
  plan: "free" | "team" | "enterprise";
  region: string;
}

export interface ResolveTenantOptions {
  directory: TenantDirectory;
  requireActive?: boolean;
}

export async function resolveTenant(req: Request, options: ResolveTenantOptions): Promise<TenantContext> { // expect: stale-dependents
  const user = req.user as AuthenticatedUser | undefined;
  if (!user?.tenantId) {
    throw new UnauthorizedException("no tenant on the authenticated principal");
  }

  const tenant = await options.directory.findById(user.tenantId);
  if (!tenant || (options.requireActive !== false && tenant.status !== "active")) {
    throw new NotFoundException("tenant not found or inactive");
  }
  return { id: tenant.id, plan: tenant.plan, region: tenant.region };
}
