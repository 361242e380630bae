import type { Context, Next } from "koa";
import { randomUUID } from "node:crypto";
import { usageQueue } from "../billing/queue";

const UNMETERED = new Set(["/healthz", "/readyz", "/metrics"]);

export async function requestId(ctx: Context, next: Next) {
  ctx.state.requestId = ctx.get("x-request-id") || randomUUID();
  ctx.set("x-request-id", ctx.state.requestId);
  await next();
}

export async function meterApiCall(ctx: Context, next: Next) {
  const startedAt = Date.now();
  try {
    await next();
  } finally {
    if (ctx.state.tenantId) {
      await usageQueue.add("api-call", { // expect: charge-on-failed-request
        tenantId: ctx.state.tenantId,
        route: ctx._matchedRoute ?? ctx.path,
        at: startedAt,
        requestId: ctx.state.requestId,
      });
    }
  }
}

export async function meterExport(ctx: Context, next: Next) {
  await next();
  if (UNMETERED.has(ctx.path) || ctx.status >= 400 || !ctx.state.tenantId) return;
  await usageQueue.add("export", {
    tenantId: ctx.state.tenantId,
    bytes: Number(ctx.response.length ?? 0),
    at: Date.now(),
    requestId: ctx.state.requestId,
  });
}
