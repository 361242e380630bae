import { Router } from "express";
import { prisma } from "../db";

export const healthRouter = Router();

healthRouter.get("/healthz", (_req, res) => res.json({ ok: true }));
healthRouter.get("/readyz", async (_req, res) => {
  await prisma.$queryRaw`SELECT 1`;
  res.json({ ok: true });
});
