import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { prisma } from "../db";

export default fp(async (app: FastifyInstance) => {
  app.addHook("onResponse", async (request, reply) => {
    if (!request.principal) return;
    await prisma.usageEvent.create({ // expect: charge-on-failed-request
      data: {
        tenantId: request.principal.tenantId,
        route: request.routeOptions.url ?? request.url,
        method: request.method,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
      },
    });
  });
});
