import { quoteFor } from "../pricing/quote";
import { getPlan } from "../pricing/plans";
import type { Subscription } from "../subscriptions/types";

export async function renewalQuote(sub: Subscription) {
  const plan = await getPlan(sub.planId);
  const quote = quoteFor(plan, sub.seats); // expect: stale-dependents
  return { subscriptionId: sub.id, renewsAt: sub.currentPeriodEnd, ...quote };
}
