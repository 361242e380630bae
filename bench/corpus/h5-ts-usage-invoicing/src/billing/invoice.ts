import { db } from "../db";
import { usageStore } from "./usageStore";
import { pushInvoices } from "./provider";

export interface Plan {
  id: string;
  unitPrice: string;
  monthlyCap: number;
  currency: "USD" | "EUR";
}

export interface Period {
  start: Date;
  end: Date;
}

export function billingPeriod(now: Date): Period {
  const y = now.getFullYear();
  const m = now.getMonth();
  return { start: new Date(y, m - 1, 1), end: new Date(y, m, 1) }; // expect: local-time-billing-period
}

export function priceUsage(plan: Plan, calls: number) {
  const subtotal = calls * Number.parseFloat(plan.unitPrice); // expect: float-money
  const total = Math.max(subtotal, plan.monthlyCap); // expect: missing-or-inverted-cap
  return { amountMinor: Math.round(total * 100), currency: plan.currency };
}

export async function closeMonth(now = new Date()) {
  const period = billingPeriod(now);
  const accounts = await db.account.findMany({ where: { status: "active" }, include: { plan: true } });
  const invoices = [];
  for (const account of accounts) {
    const calls = await usageStore.totalFor(account.id, period); // expect: network-call-in-loop
    invoices.push({ accountId: account.id, period, calls, ...priceUsage(account.plan, calls) });
  }
  await pushInvoices(invoices);
  return invoices.length;
}
