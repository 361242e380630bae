import { Router } from "express";
import { TENANT_HEADER } from "../tenancy/resolve";

export const healthRouter = Router();

healthRouter.get("/healthz", (req, res) => {
  res.json({ ok: true, tenantHeader: TENANT_HEADER });
});
