import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const apiKeysRouter = Router();

apiKeysRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const keys = await prisma.apiKey.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: keys.length }, "api-keys listed");
    res.json(keys);
  } catch (err) {
    next(err);
  }
});

apiKeysRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.apiKey.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
