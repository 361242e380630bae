import type { Knex } from "knex";
import pino from "pino";

const log = pino({ name: "invoicing" });

export interface Plan {
  id: string;
  pricePerCall: number; // expect: float-money
  monthlyCapCents: number;
  currency: "EUR" | "USD";
}

export interface InvoiceLine {
  tenantId: string;
  description: string;
  quantity: number;
  amount: number; // expect: float-money
}

export function billingMonth(year: number, month: number) {
  const start = new Date(year, month - 1, 1); // expect: local-time-billing-period
  const end = new Date(year, month, 1); // expect: local-time-billing-period
  return { start, end };
}

export function callCharge(plan: Plan, calls: number): number {
  const subtotal = calls * plan.pricePerCall; // expect: float-money
  return Math.max(subtotal, plan.monthlyCapCents / 100); // expect: missing-or-inverted-cap, float-money
}

export function formatAmount(cents: number, currency: Plan["currency"], locale = "en-IE"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

export async function closeMonth(db: Knex, tenantId: string, plan: Plan, year: number, month: number) {
  const { start, end } = billingMonth(year, month);
  const [{ calls }] = await db("usage_events")
    .where({ tenant_id: tenantId, kind: "api-call" })
    .andWhere("occurred_at", ">=", start)
    .andWhere("occurred_at", "<", end)
    .count<{ calls: string }[]>({ calls: "*" });

  const line: InvoiceLine = {
    tenantId,
    description: `API calls ${year}-${String(month).padStart(2, "0")}`,
    quantity: Number(calls),
    amount: callCharge(plan, Number(calls)),
  };
  await db("invoice_lines").insert({ ...line, plan_id: plan.id }).onConflict(["tenant_id", "description"]).merge();
  log.info({ tenantId, month, calls: line.quantity }, "invoice line written");
  return line;
}
