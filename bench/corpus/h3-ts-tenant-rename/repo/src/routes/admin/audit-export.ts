import { Router } from "express";
import { prisma } from "../../db";
import { getTenantContext, type TenantContext } from "../../lib/tenant"; // expect: stale-dependents

export const auditExportRouter = Router();

function requireEnterprise(ctx: TenantContext) {
  if (ctx.plan !== "enterprise") throw Object.assign(new Error("audit export needs the enterprise plan"), { status: 403 });
}

auditExportRouter.get("/export", async (req, res, next) => {
  try {
    const ctx = getTenantContext(req); // expect: stale-dependents
    requireEnterprise(ctx);
    const events = await prisma.auditEvent.findMany({
      where: { tenantId: ctx.tenantId },
      orderBy: { createdAt: "asc" },
      take: 10_000,
    });
    res.setHeader("content-type", "application/x-ndjson");
    res.send(events.map((e) => JSON.stringify(e)).join("\n"));
  } catch (err) {
    next(err);
  }
});
