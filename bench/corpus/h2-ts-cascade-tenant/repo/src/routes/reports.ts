import { Router } from "express";
import { getTenantId, TENANT_HEADER } from "../tenancy/resolve";
import { reports } from "../db";

export const reportsRouter = Router();

reportsRouter.get("/", async (req, res, next) => {
  try {
    const tenantId = getTenantId(req); // expect: stale-dependents
    res.setHeader(TENANT_HEADER, tenantId);
    res.json(await reports.list(tenantId));
  } catch (err) {
    next(err);
  }
});
