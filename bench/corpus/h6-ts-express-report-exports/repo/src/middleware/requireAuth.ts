import type { Request, Response, NextFunction } from "express";
import { createRemoteJWKSet, jwtVerify } from "jose";

const issuer = process.env.AUTH_ISSUER ?? "";
const audience = process.env.AUTH_AUDIENCE ?? "";
const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`));

declare global {
  namespace Express {
    interface Request {
      auth?: { userId: string; tenantId: string; scopes: string[] };
    }
  }
}

export async function requireAuth(req: Request, res: Response, next: NextFunction) {
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : undefined;
  if (!token) {
    res.status(401).json({ error: "missing_token" });
    return;
  }
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience });
    req.auth = {
      userId: String(payload.sub),
      tenantId: String(payload["tenant_id"]),
      scopes: String(payload.scope ?? "").split(" ").filter(Boolean),
    };
    next();
  } catch {
    res.status(401).json({ error: "invalid_token" });
  }
}
