import type { Plan, PrismaClient } from "@prisma/client";

export interface ClosedInvoice {
  tenantId: string;
  periodStart: Date;
  periodEnd: Date;
  calls: number;
  amount: number;
}

export function previousMonth(now: Date = new Date()): { start: Date; end: Date } {
  const start = new Date(now.getFullYear(), now.getMonth() - 1, 1); // expect: local-time-billing-period
  const end = new Date(now.getFullYear(), now.getMonth(), 1); // expect: local-time-billing-period
  return { start, end };
}

export async function closeMonth(prisma: PrismaClient, tenantId: string, plan: Plan): Promise<ClosedInvoice> {
  const { start, end } = previousMonth();
  const calls = await prisma.usageEvent.count({
    where: { tenantId, createdAt: { gte: start, lt: end } },
  });
  const perCall = plan.pricePerCall.toNumber(); // expect: float-money
  const amount = calls * perCall + plan.baseFee.toNumber(); // expect: float-money, missing-or-inverted-cap

  await prisma.invoice.create({
    data: { tenantId, periodStart: start, periodEnd: end, calls, amount, status: "open" },
  });
  return { tenantId, periodStart: start, periodEnd: end, calls, amount };
}
