import { Router } from "express";
import { z } from "zod";
import { prisma } from "../db";

export const usageRouter = Router();

const RangeQuery = z.object({ from: z.coerce.date(), to: z.coerce.date() });

usageRouter.get("/", async (req, res, next) => {
  try {
    const { tenantId } = req.auth!;
    const { from, to } = RangeQuery.parse(req.query);
    const rows = await prisma.usageEvent.groupBy({
      by: ["route"],
      where: { tenantId, occurredAt: { gte: from, lt: to }, billable: true },
      _sum: { units: true },
    });
    req.log.info({ tenantId, routes: rows.length }, "usage summary served");
    res.json(rows.map((r) => ({ route: r.route, units: r._sum.units ?? 0 })));
  } catch (err) {
    next(err);
  }
});

usageRouter.post("/alerts", async (req, res, next) => {
  try {
    const { tenantId } = req.auth!;
    const body = z.object({ thresholdUnits: z.number().int().positive() }).parse(req.body);
    const alert = await prisma.usageAlert.upsert({
      where: { tenantId },
      create: { tenantId, thresholdUnits: body.thresholdUnits },
      update: { thresholdUnits: body.thresholdUnits },
    });
    res.status(201).json(alert);
  } catch (err) {
    next(err);
  }
});
