import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const domainsRouter = Router();

domainsRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const domains = await prisma.domain.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: domains.length }, "domains listed");
    res.json(domains);
  } catch (err) {
    next(err);
  }
});

domainsRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.domain.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
