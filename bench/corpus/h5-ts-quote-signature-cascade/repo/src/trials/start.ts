import { TRIAL_DAYS } from "../pricing/quote"; // expect: stale-dependents
import { db } from "../db";

export async function startTrial(accountId: string, planId: string) {
  const endsAt = new Date(Date.now() + TRIAL_DAYS * 24 * 60 * 60 * 1000); // expect: stale-dependents
  return db.trial.create({ data: { accountId, planId, endsAt } });
}
