import Fastify from "fastify";
import { authPlugin } from "./plugins/auth";
import { catalogRoutes } from "./routes/catalog";
import { loadConfig } from "./config";

export async function buildServer() {
  const config = await loadConfig();
  const app = Fastify({
    logger: { level: process.env.LOG_LEVEL ?? "info" },
    genReqId: (req) => (req.headers["x-request-id"] as string) ?? crypto.randomUUID(),
    requestIdHeader: "x-request-id",
  });

  // Set before the plugins so every route registered below uses it.
  app.setErrorHandler((err, request, reply) => {
    request.log.error({ err }, "request failed");
    reply.code(err.statusCode ?? 500).send({ error: "internal_error", requestId: request.id });
  });

  await app.register(authPlugin, { issuer: config.authIssuer, audience: config.authAudience });
  await app.register(catalogRoutes);

  return app;
}
