import { fromZonedTime, toZonedTime } from "date-fns-tz";

/**
 * The billing month of a customer is their calendar month in their own time zone
 * (contract clause 4.2), not the server's and not UTC.
 */
export function billingPeriod(at: Date, timeZone: string): { start: Date; end: Date } {
  const local = toZonedTime(at, timeZone);
  const startLocal = new Date(local.getFullYear(), local.getMonth(), 1);
  const endLocal = new Date(local.getFullYear(), local.getMonth() + 1, 1);
  return { start: fromZonedTime(startLocal, timeZone), end: fromZonedTime(endLocal, timeZone) };
}

export function previousBillingPeriod(at: Date, timeZone: string) {
  const { start } = billingPeriod(at, timeZone);
  return billingPeriod(new Date(start.getTime() - 1), timeZone);
}
