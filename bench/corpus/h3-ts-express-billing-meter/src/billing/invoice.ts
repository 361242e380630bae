import { startOfMonth, subMonths } from "date-fns";
import { prisma } from "../db";

export interface Plan {
  id: string;
  unitPrice: string; // decimal string from the pricing service, e.g. "0.0025"
  monthlyCapCents: number;
}

export async function buildMonthlyInvoice(tenantId: string, plan: Plan, now = new Date()) {
  const periodEnd = startOfMonth(now); // expect: local-time-billing-period
  const periodStart = subMonths(periodEnd, 1);

  const usage = await prisma.usageEvent.aggregate({
    where: { tenantId, occurredAt: { gte: periodStart, lt: periodEnd } },
    _sum: { units: true },
  });
  const units = usage._sum.units ?? 0;

  const subtotalCents = Math.round(units * parseFloat(plan.unitPrice) * 100); // expect: float-money
  const totalCents = Math.max(subtotalCents, plan.monthlyCapCents); // expect: missing-or-inverted-cap

  return prisma.invoice.create({
    data: { tenantId, planId: plan.id, periodStart, periodEnd, units, subtotalCents, totalCents, status: "DRAFT" },
  });
}
