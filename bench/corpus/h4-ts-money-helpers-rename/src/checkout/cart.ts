import { applyDiscount, formatAmount, parseMoney, type Currency, type Discount } from "../shared/money";

export interface CartLine {
  sku: string;
  unitPrice: string;
  quantity: number;
}

const NO_DISCOUNT: Discount = { kind: "percent", basisPoints: 0 };

export function cartTotal(lines: CartLine[], currency: Currency, discount: Discount = NO_DISCOUNT): number {
  const gross = lines.reduce((sum, l) => sum + parseMoney(l.unitPrice, currency) * l.quantity, 0);
  return applyDiscount(gross, discount);
}

export function cartSummary(lines: CartLine[], currency: Currency, discount: Discount = NO_DISCOUNT) {
  return { total: formatAmount(cartTotal(lines, currency, discount), currency), items: lines.length };
}
