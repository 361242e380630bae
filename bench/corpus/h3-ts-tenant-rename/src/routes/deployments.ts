import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const deploymentsRouter = Router();

deploymentsRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const deployments = await prisma.deployment.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: deployments.length }, "deployments listed");
    res.json(deployments);
  } catch (err) {
    next(err);
  }
});

deploymentsRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.deployment.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
