import type { NextFunction, Request, Response } from "express";
import { usageStore } from "./usageStore";

export function meterUsage(req: Request, res: Response, next: NextFunction) {
  const accountId = req.apiKey?.accountId;
  if (!accountId) return next();
  res.on("finish", () => {
    void usageStore.increment(accountId, req.baseUrl + (req.route?.path ?? ""), 1); // expect: charge-on-failed-request
  });
  return next();
}
