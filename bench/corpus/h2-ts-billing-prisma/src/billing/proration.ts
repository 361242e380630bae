import { fromZonedTime, toZonedTime } from "date-fns-tz";

export interface PlanPrice {
  monthlyPriceCents: number;
  monthlyCapCents: number;
}

/** First instant of the customer's current billing month, expressed in UTC. */
export function billingMonthStart(now: Date, timeZone: string): Date {
  const local = toZonedTime(now, timeZone);
  return fromZonedTime(new Date(local.getFullYear(), local.getMonth(), 1), timeZone);
}

export function billingMonthEnd(now: Date, timeZone: string): Date {
  const local = toZonedTime(now, timeZone);
  return fromZonedTime(new Date(local.getFullYear(), local.getMonth() + 1, 1), timeZone);
}

/** Credit for the unused part of the month, in integer cents (rounded down). */
export function prorationCreditCents(plan: PlanPrice, changedAt: Date, timeZone: string): number {
  const start = billingMonthStart(changedAt, timeZone).getTime();
  const end = billingMonthEnd(changedAt, timeZone).getTime();
  const unusedMs = end - changedAt.getTime();
  return Math.floor((plan.monthlyPriceCents * unusedMs) / (end - start));
}

export function usageChargeCents(calls: number, unitPriceMillicents: number, plan: PlanPrice): number {
  const raw = Math.ceil((calls * unitPriceMillicents) / 1000);
  return Math.min(raw, plan.monthlyCapCents);
}
