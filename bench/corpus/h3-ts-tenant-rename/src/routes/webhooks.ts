import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const webhooksRouter = Router();

webhooksRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const endpoints = await prisma.webhookEndpoint.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: endpoints.length }, "webhooks listed");
    res.json(endpoints);
  } catch (err) {
    next(err);
  }
});

webhooksRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.webhookEndpoint.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
