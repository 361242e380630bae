import type { Plan } from "./plans";
import type { Currency } from "../money";

export const TRIAL_PERIOD_DAYS = 14; // expect: stale-dependents

export interface Coupon {
  code: string;
  percentOffBasisPoints: number;
}

export interface QuoteInput {
  plan: Plan;
  seats: number;
  currency: Currency;
  coupon?: Coupon;
}

export interface Quote {
  plan: string;
  seats: number;
  currency: Currency;
  totalMinor: number;
}

export function quoteFor(input: QuoteInput): Quote { // expect: stale-dependents
  const { plan, seats, currency, coupon } = input;
  const billable = Math.max(seats, plan.minSeats);
  const gross = billable * plan.seatPriceMinor[currency];
  const discount = coupon ? Math.round((gross * coupon.percentOffBasisPoints) / 10_000) : 0;
  return { plan: plan.id, seats: billable, currency, totalMinor: gross - discount };
}
