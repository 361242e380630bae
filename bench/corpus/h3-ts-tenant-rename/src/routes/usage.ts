import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const usageRouter = Router();

usageRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const days = await prisma.usageDaily.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: days.length }, "usage listed");
    res.json(days);
  } catch (err) {
    next(err);
  }
});

usageRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.usageDaily.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
