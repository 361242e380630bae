import { Router } from "express";
import { z } from "zod";
import { exportQueue } from "../queues";
import { db } from "../db";

export const invoicesRouter = Router();

const ExportBody = z.object({
  tenantId: z.string().uuid(),
  from: z.string().date(),
  to: z.string().date(),
});

invoicesRouter.get("/", async (req, res, next) => {
  try {
    const rows = await db.invoice.findMany({
      where: { tenantId: req.user!.tenantId },
      orderBy: { issuedAt: "desc" },
      take: 100,
    });
    res.json({ items: rows });
  } catch (err) {
    next(err);
  }
});

invoicesRouter.post("/export", async (req, res, next) => {
  const parsed = ExportBody.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: "invalid_body" });
  try {
    const { tenantId, from, to } = parsed.data; // expect: tenant-from-untrusted-source
    const job = await exportQueue.add("invoice-csv", { tenantId, from, to, requestedBy: req.user!.id });
    return res.status(202).json({ jobId: job.id });
  } catch (err) {
    return next(err);
  }
});
