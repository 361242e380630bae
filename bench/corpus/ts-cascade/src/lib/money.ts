export function formatMinorUnits(cents: number, currency: string): string { // expect: stale-dependents
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

export function parseAmount(text: string): number {
  return Math.round(Number(text) * 100);
}
