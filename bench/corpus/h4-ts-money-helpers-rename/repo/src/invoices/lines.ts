import { toCents, formatMoney, type Currency } from "../shared/money"; // expect: stale-dependents

export interface ImportedLine {
  description: string;
  amount: string;
  currency: Currency;
}

export function normaliseLines(lines: ImportedLine[]) {
  return lines.map((line) => ({
    description: line.description.trim(),
    amountCents: toCents(line.amount), // expect: stale-dependents
    currency: line.currency,
  }));
}

export function renderLine(line: { description: string; amountCents: number; currency: Currency }) {
  return `${line.description}: ${formatMoney(line.amountCents, line.currency)}`;
}
