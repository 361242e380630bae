import type { NextFunction, Request, Response } from "express";
import { tenants } from "../lib/tenants";

declare global {
  namespace Express {
    interface Request {
      tenant: { id: string; plan: string };
    }
  }
}

export async function tenantContext(req: Request, res: Response, next: NextFunction) {
  try {
    const tenant = await tenants.byId(req.auth.tenantId);
    if (!tenant) return res.status(403).json({ error: "unknown tenant" });
    req.tenant = { id: tenant.id, plan: tenant.plan };
    next();
  } catch (err) {
    next(err);
  }
}
