import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import createHttpError from "http-errors";

const ISSUER = process.env.AUTH_ISSUER ?? "https://auth.acme-analytics.io/";
const AUDIENCE = process.env.AUTH_AUDIENCE ?? "reports-api";

// One JWKS fetcher for the process: jose caches the key set and only refetches on an unknown kid.
const jwks = createRemoteJWKSet(new URL(".well-known/jwks.json", ISSUER), {
  timeoutDuration: 2_000,
  cooldownDuration: 30_000,
  cacheMaxAge: 10 * 60_000,
});

export interface Principal {
  sub: string;
  tenantId: string;
  roles: string[];
}

interface AcmeClaims extends JWTPayload {
  "https://acme-analytics.io/tenant"?: string;
  "https://acme-analytics.io/roles"?: string[];
}

export async function verifyAccessToken(token: string): Promise<Principal> {
  // Only the header is read before verification, to reject HS* tokens early with a clear message.
  const { alg } = decodeProtectedHeader(token);
  if (alg !== "RS256") throw createHttpError(401, `unsupported token algorithm ${alg ?? "none"}`);

  const { payload } = await jwtVerify<AcmeClaims>(token, jwks, {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ["RS256"],
    clockTolerance: 30,
  });
  const tenantId = payload["https://acme-analytics.io/tenant"];
  if (!payload.sub || !tenantId) throw createHttpError(401, "token has no subject or tenant");
  return { sub: payload.sub, tenantId, roles: payload["https://acme-analytics.io/roles"] ?? [] };
}
