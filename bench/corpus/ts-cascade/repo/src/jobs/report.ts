import { parseAmount } from "../lib/money";

export function total(lines: string[]): number {
  return lines.map(parseAmount).reduce((a, b) => a + b, 0);
}
