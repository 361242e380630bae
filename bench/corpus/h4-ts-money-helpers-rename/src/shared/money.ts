export type Currency = "EUR" | "USD" | "GBP" | "JPY" | "KWD";

export type Discount = { kind: "percent"; basisPoints: number } | { kind: "fixed"; amountMinor: number };

const MINOR_UNITS: Record<Currency, number> = { EUR: 2, USD: 2, GBP: 2, JPY: 0, KWD: 3 };

export function minorUnits(currency: Currency): number {
  return MINOR_UNITS[currency];
}

export function parseMoney(input: string, currency: Currency): number { // expect: stale-dependents
  const digits = minorUnits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(input.trim());
  if (!match) throw new RangeError(`not an amount: ${input}`);
  const [, whole, fraction = ""] = match;
  if (fraction.length > digits) throw new RangeError(`${currency} has ${digits} decimal places`);
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

export function applyDiscount(amountMinor: number, discount: Discount): number { // expect: stale-dependents
  const off =
    discount.kind === "percent"
      ? Math.round((amountMinor * discount.basisPoints) / 10_000)
      : Math.min(discount.amountMinor, amountMinor);
  return amountMinor - off;
}

export function formatAmount(amountMinor: number, currency: Currency, locale = "en-GB"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(
    amountMinor / 10 ** minorUnits(currency),
  );
}

/** @deprecated use formatAmount */
export const formatMoney = formatAmount;
