import { Router } from "express";
import { prisma } from "../db";
import { resolveTenant } from "../lib/tenant";

export const auditEventsRouter = Router();

auditEventsRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const events = await prisma.auditEvent.findMany({
      where: { tenantId },
      orderBy: { createdAt: "desc" },
      take: Math.min(Number(req.query.limit ?? 50), 200),
    });
    req.log.info({ tenantId, count: events.length }, "audit-events listed");
    res.json(events);
  } catch (err) {
    next(err);
  }
});

auditEventsRouter.get("/:id", async (req, res, next) => {
  try {
    const { tenantId } = resolveTenant(req);
    const item = await prisma.auditEvent.findFirst({ where: { tenantId, id: req.params.id } });
    if (!item) return res.status(404).json({ message: "not found" });
    res.json(item);
  } catch (err) {
    next(err);
  }
});
