import type { NextFunction, Request, Response } from "express";
import jwt from "jsonwebtoken";

const PUBLIC_KEY = process.env.JWT_PUBLIC_KEY!;

export function requireAuth(req: Request, res: Response, next: NextFunction) {
  const header = req.headers.authorization;
  if (!header?.startsWith("Bearer ")) return res.status(401).end();
  try {
    const claims = jwt.verify(header.slice(7), PUBLIC_KEY, { algorithms: ["RS256"] }) as { sub: string; tenantId: string };
    (req as any).user = { id: claims.sub, tenantId: claims.tenantId };
    next();
  } catch {
    res.status(401).end();
  }
}
