import type { Request } from "express";
import * as tenancy from "../tenancy/resolve";
import { exportsQueue } from "../queues";

export async function enqueueExport(req: Request, kind: "csv" | "parquet") {
  await exportsQueue.add("export", { tenantId: tenancy.getTenantId(req), kind, requestedBy: req.auth.sub }); // expect: stale-dependents
}
