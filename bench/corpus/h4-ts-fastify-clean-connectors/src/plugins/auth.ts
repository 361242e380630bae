import fp from "fastify-plugin";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader, type JWTPayload } from "jose";

export interface Principal {
  sub: string;
  tenantId: string;
  scopes: string[];
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal;
  }
}

const jwks = createRemoteJWKSet(new URL(process.env.AUTH_JWKS_URL!), {
  cooldownDuration: 30_000,
  cacheMaxAge: 10 * 60_000,
  timeoutDuration: 3_000,
});

function toPrincipal(payload: JWTPayload): Principal {
  const tenantId = payload["https://example.com/tenant_id"];
  if (typeof payload.sub !== "string" || typeof tenantId !== "string") {
    throw new Error("token lacks subject or tenant");
  }
  const scope = typeof payload.scope === "string" ? payload.scope : "";
  return { sub: payload.sub, tenantId, scopes: scope.split(" ").filter(Boolean) };
}

async function authenticate(request: FastifyRequest) {
  const header = request.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : "";
  // Only used to log which key id the client sent when verification fails; never for authorization.
  const kid = token ? decodeProtectedHeader(token).kid : undefined;
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: process.env.AUTH_ISSUER,
      audience: "connectors",
      algorithms: ["RS256"],
    });
    request.principal = toPrincipal(payload);
  } catch (err) {
    request.log.info({ kid, err: (err as Error).name }, "token rejected");
    throw request.server.httpErrors.unauthorized();
  }
}

export default fp(async (app: FastifyInstance) => {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", authenticate);
});
