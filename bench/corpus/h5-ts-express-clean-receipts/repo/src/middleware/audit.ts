import type { NextFunction, Request, Response } from "express";
import { auditLog } from "../auditLog";

export function auditTrail(req: Request, res: Response, next: NextFunction) {
  const actor = req.user ? { userId: req.user.id, tenantId: req.user.tenantId } : null;
  const startedAt = Date.now();
  res.on("finish", () => {
    void auditLog.write({
      requestId: req.id,
      actor,
      method: req.method,
      path: req.originalUrl,
      status: res.statusCode,
      durationMs: Date.now() - startedAt,
    });
  });
  next();
}
