import Decimal from "decimal.js";

export interface PriceBook {
  unitPrice: string; // decimal string, e.g. "0.0025"
  monthlyCapCents: number;
  minimumCents: number;
}

const NON_BILLABLE = new Set(["/healthz", "/readyz", "/v1/status"]);

export function isBillable(route: string, status: number, inMaintenance: boolean): boolean {
  return status < 500 && !NON_BILLABLE.has(route) && !inMaintenance;
}

/** Amount due in integer cents: usage at the unit price, never above the contracted cap. */
export function monthlyChargeCents(units: number, book: PriceBook): number {
  const usageCents = new Decimal(book.unitPrice)
    .times(units)
    .times(100)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN)
    .toNumber();
  const floored = Math.max(usageCents, book.minimumCents); // contract minimum commitment
  return Math.min(floored, book.monthlyCapCents);
}

export function formatCents(cents: number, currency = "USD", locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}
