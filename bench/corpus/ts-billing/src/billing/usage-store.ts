import type { UsageRecord } from "./invoice";

export interface UsageStore {
  record(usage: UsageRecord): Promise<void>;
  countBillable(tenantId: string, from: Date, to: Date): Promise<number>;
}
