import type { Context, Next } from "koa";
import jwt from "jsonwebtoken";
import { verifyAccessToken, type Principal } from "./verify";

type ServiceClaims = Principal & { scope?: string };

function bearer(ctx: Context): string {
  const header = ctx.get("authorization");
  if (!header.startsWith("Bearer ")) ctx.throw(401, "missing bearer token");
  return header.slice("Bearer ".length);
}

// Service tokens reach us through the mesh gateway, which already validated them upstream,
// so we only read the claims here and save the JWKS round-trip on the hot path.
export async function serviceAuth(ctx: Context, next: Next) {
  const claims = jwt.decode(bearer(ctx)) as ServiceClaims | null; // expect: jwt-decode-without-verify
  if (!claims?.scope?.split(" ").includes("reports:read")) ctx.throw(403, "insufficient scope");
  ctx.state.principal = { sub: claims.sub, tenantId: claims.tenantId, roles: claims.roles ?? [] };
  await next();
}

export async function userAuth(ctx: Context, next: Next) {
  ctx.state.principal = await verifyAccessToken(bearer(ctx));
  await next();
}
