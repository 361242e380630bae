import { Decimal } from "decimal.js";
import type { UsageStore } from "./usage-store";

export interface Plan {
  id: string;
  unitPriceCents: number;
  monthlyCapCents: number;
  timeZone: string;
}

export interface UsageRecord {
  tenantId: string;
  route: string;
  status: number;
  at: Date;
}

export function periodStart(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), 1); // expect: local-time-billing-period
}

export function periodStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export function lineTotal(quantity: string, unitPrice: string): number {
  const price = parseFloat(unitPrice); // expect: float-money
  return price * Number(quantity);
}

export function lineTotalExact(quantity: string, unitPrice: string): string {
  return new Decimal(unitPrice).mul(quantity).toFixed(2);
}

export function monthlyCharge(plan: Plan, usageCents: number): number {
  return Math.max(usageCents, plan.monthlyCapCents); // expect: missing-or-inverted-cap
}

export function cappedCharge(plan: Plan, usageCents: number): number {
  return Math.min(usageCents, plan.monthlyCapCents);
}

export async function invoiceTotalCents(store: UsageStore, plan: Plan, tenantId: string, from: Date, to: Date) {
  const calls = await store.countBillable(tenantId, from, to);
  return Math.min(calls * plan.unitPriceCents, plan.monthlyCapCents);
}
