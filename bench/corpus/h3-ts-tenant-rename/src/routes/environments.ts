import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const environmentsRouter = Router();

environmentsRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const environments = await prisma.environment.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: environments.length }, "environments listed");
    res.json(environments);
  } catch (err) {
    next(err);
  }
});

environmentsRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.environment.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
