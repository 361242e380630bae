import { quoteFor, TRIAL_PERIOD_DAYS } from "../pricing/quote";
import { getPlan } from "../pricing/plans";
import type { Currency } from "../money";

export async function checkoutSummary(planId: string, seats: number, currency: Currency) {
  const plan = await getPlan(planId);
  const quote = quoteFor({ plan, seats, currency });
  return { ...quote, trialDays: TRIAL_PERIOD_DAYS };
}
