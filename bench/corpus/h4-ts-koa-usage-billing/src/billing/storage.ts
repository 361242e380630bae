import { DateTime } from "luxon";
import type { Knex } from "knex";

export interface StoragePlan {
  centsPerGbMonth: bigint;
  includedGb: bigint;
  capCents: bigint;
}

export function periodFor(zone: string, reference: Date) {
  const local = DateTime.fromJSDate(reference, { zone });
  const start = local.startOf("month");
  return { start: start.toUTC().toJSDate(), end: start.plus({ months: 1 }).toUTC().toJSDate() };
}

export function storageChargeCents(plan: StoragePlan, gbMonths: bigint): bigint {
  const billable = gbMonths > plan.includedGb ? gbMonths - plan.includedGb : 0n;
  const raw = billable * plan.centsPerGbMonth;
  return raw < plan.capCents ? raw : plan.capCents;
}

export async function storageLine(db: Knex, tenantId: string, zone: string, plan: StoragePlan, reference: Date) {
  const { start, end } = periodFor(zone, reference);
  const row = await db("storage_snapshots")
    .where({ tenant_id: tenantId })
    .andWhere("taken_at", ">=", start)
    .andWhere("taken_at", "<", end)
    .sum<{ gb_hours: string | null }>({ gb_hours: "gb_hours" })
    .first();
  const gbMonths = BigInt(row?.gb_hours ?? "0") / 730n;
  return { tenantId, amountCents: storageChargeCents(plan, gbMonths), start, end };
}
