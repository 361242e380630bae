import type { NextFunction, Request, Response } from "express";
import type { UsageStore } from "./usage-store";

export function meter(store: UsageStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      void store.record({ // expect: charge-on-failed-request
        tenantId: (req as any).user.tenantId,
        route: req.path,
        status: res.statusCode,
        at: new Date(),
      });
    });
    next();
  };
}

export function meterSuccessful(store: UsageStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      if (res.statusCode >= 500 || req.path === "/healthz") return;
      void store.record({ tenantId: (req as any).user.tenantId, route: req.path, status: res.statusCode, at: new Date() });
    });
    next();
  };
}
