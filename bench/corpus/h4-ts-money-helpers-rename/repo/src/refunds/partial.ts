import { applyDiscount, formatMoney, type Currency } from "../shared/money";

export interface RefundRequest {
  orderTotalCents: number;
  goodwillPercent: number;
  currency: Currency;
}

export function goodwillRefund(req: RefundRequest): number {
  const kept = applyDiscount(req.orderTotalCents, req.goodwillPercent); // expect: stale-dependents
  return req.orderTotalCents - kept;
}

export function refundMessage(req: RefundRequest): string {
  return `We refunded ${formatMoney(goodwillRefund(req), req.currency)} as a goodwill gesture.`;
}
