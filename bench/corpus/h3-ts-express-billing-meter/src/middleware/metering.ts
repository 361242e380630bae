import type { NextFunction, Request, Response } from "express";
import { usageQueue } from "../billing/usage-queue";

// Every API call is a billable unit (BILL-212).
export function meterUsage(req: Request, res: Response, next: NextFunction) {
  const startedAt = Date.now();
  res.on("finish", () => {
    usageQueue.enqueue({ // expect: charge-on-failed-request
      tenantId: req.auth!.tenantId,
      route: req.baseUrl + (req.route?.path ?? ""),
      method: req.method,
      units: 1,
      durationMs: Date.now() - startedAt,
      requestId: String(req.id),
    });
  });
  next();
}
