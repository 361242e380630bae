import type { Request } from "express";
import { prisma } from "../db";
import { logger } from "../logger";
import { getTenantContext } from "../lib/tenant"; // expect: stale-dependents

/** Manual re-run of the nightly rollup for the caller's tenant, triggered from the admin console. */
export async function rerunRollup(req: Request) {
  const { tenantId, region } = getTenantContext(req); // expect: stale-dependents
  const since = new Date(Date.now() - 24 * 3_600_000);
  const rows = await prisma.usageEvent.groupBy({
    by: ["route"],
    where: { tenantId, occurredAt: { gte: since }, billable: true },
    _sum: { units: true },
  });
  await prisma.usageDaily.createMany({
    data: rows.map((r) => ({ tenantId, region, route: r.route, day: since, units: r._sum.units ?? 0 })),
    skipDuplicates: true,
  });
  logger.info({ requestId: req.id, tenantId, routes: rows.length }, "rollup re-run");
}
