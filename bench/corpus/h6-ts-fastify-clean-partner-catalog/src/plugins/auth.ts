import fp from "fastify-plugin";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from "jose";

export interface Principal {
  subject: string;
  tenantId: string;
  scopes: string[];
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

export interface AuthPluginOptions {
  issuer: string;
  audience: string;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith("Bearer ")) return undefined;
  return header.slice("Bearer ".length).trim() || undefined;
}

export const authPlugin = fp<AuthPluginOptions>(async (app: FastifyInstance, opts) => {
  // One key set per process: jose caches the keys and refetches only on an unknown kid.
  const jwks = createRemoteJWKSet(new URL("/.well-known/jwks.json", opts.issuer), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });

  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.config.public) return;

    const token = bearerToken(request);
    if (!token) {
      return reply.code(401).send({ error: "missing_token" });
    }

    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ["RS256"],
      });
      const tenantId = payload["tenant_id"];
      if (typeof tenantId !== "string" || !payload.sub) {
        return reply.code(401).send({ error: "invalid_token" });
      }
      request.principal = {
        subject: payload.sub,
        tenantId,
        scopes: typeof payload.scope === "string" ? payload.scope.split(" ") : [],
      };
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      request.log.info({ reason: expired ? "expired" : "invalid" }, "rejected bearer token");
      return reply.code(401).send({ error: expired ? "token_expired" : "invalid_token" });
    }
  });
});
