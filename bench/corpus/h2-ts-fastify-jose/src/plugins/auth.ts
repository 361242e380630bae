import fp from "fastify-plugin";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from "jose";
import jwt, { type JwtPayload } from "jsonwebtoken";

const ISSUER = process.env.OIDC_ISSUER!;
const AUDIENCE = "billing-api";
const jwks = createRemoteJWKSet(new URL(`${ISSUER}/.well-known/jwks.json`), { timeoutDuration: 3_000, cooldownDuration: 30_000 });
const partnerKeys: Record<string, string> = JSON.parse(process.env.PARTNER_PUBLIC_KEYS ?? "{}");

declare module "fastify" {
  interface FastifyRequest {
    principal?: { sub: string; tenantId: string; roles: string[] };
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

async function authenticate(request: FastifyRequest, reply: FastifyReply) {
  const token = bearer(request);
  if (!token) return reply.code(401).send({ error: "missing token" });
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["RS256"] });
    request.principal = {
      sub: payload.sub!,
      tenantId: payload["tenant_id"] as string,
      roles: (payload["roles"] as string[]) ?? [],
    };
  } catch (err) {
    request.log.info({ err, reqId: request.id }, "token rejected");
    return reply.code(401).send({ error: "invalid token" });
  }
}

async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  const token = bearer(request);
  if (!token) return reply.code(401).send();
  // the gateway already verified the token; only the role is needed here
  const claims: JWTPayload = decodeJwt(token); // expect: jwt-decode-without-verify
  if (!(claims["roles"] as string[] | undefined)?.includes("admin")) {
    return reply.code(403).send({ error: "admin only" });
  }
}

async function partnerAuth(request: FastifyRequest, reply: FastifyReply) {
  const token = request.headers["x-partner-token"] as string | undefined;
  if (!token) return reply.code(401).send();
  // kid picks the partner's key; the token is then verified with it
  const decoded = jwt.decode(token, { complete: true });
  const key = decoded && typeof decoded.header.kid === "string" ? partnerKeys[decoded.header.kid] : undefined;
  if (!key) return reply.code(401).send({ error: "unknown partner key" });
  try {
    const claims = jwt.verify(token, key, { algorithms: ["ES256"], audience: AUDIENCE }) as JwtPayload;
    request.principal = { sub: claims.sub!, tenantId: claims.tenant_id, roles: ["partner"] };
  } catch {
    return reply.code(401).send({ error: "invalid partner token" });
  }
}

async function impersonation(request: FastifyRequest, reply: FastifyReply) {
  const token = request.headers["x-impersonate"] as string | undefined;
  if (!token || !request.principal?.roles.includes("support")) return;
  const target = jwt.decode(token) as JwtPayload | null; // expect: jwt-decode-without-verify
  if (!target) return reply.code(400).send({ error: "bad impersonation token" });
  request.principal = { ...request.principal, tenantId: target.tenant_id }; // expect: tenant-from-untrusted-source
}

export default fp(async (app: FastifyInstance) => {
  app.decorate("authenticate", authenticate);
  app.decorate("requireAdmin", requireAdmin);
  app.decorate("partnerAuth", partnerAuth);
  app.decorate("impersonation", impersonation);
});
