import { formatMoney, type Currency } from "../shared/money";

export interface RevenueRow {
  month: string;
  currency: Currency;
  totalCents: number;
}

export function revenueTable(rows: RevenueRow[]): string[] {
  return rows.map((row) => `${row.month}\t${formatMoney(row.totalCents, row.currency)}`);
}

export function grandTotal(rows: RevenueRow[], currency: Currency): number {
  return rows.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.totalCents, 0);
}
