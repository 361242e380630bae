import { formatAmount } from "../lib/money";

export function invoiceLine(cents: number): string {
  return `Total: ${formatAmount(cents)}`; // expect: stale-dependents
}
