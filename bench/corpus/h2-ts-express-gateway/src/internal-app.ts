import express from "express";
import pinoHttp from "pino-http";
import { authenticate } from "./middleware/authenticate";
import { errorHandler } from "./middleware/error-handler";
import { requireRole } from "./middleware/require-role";
import { tenantContext } from "./middleware/tenant-context";
import { projectsRouter } from "./routes/projects";

// Internal admin API served on the private listener.
export function buildInternalApp() {
  const app = express();
  app.use(pinoHttp());
  app.get("/readyz", (_req, res) => res.json({ ready: true }));

  app.use(express.json({ limit: "256kb" }));
  app.use(authenticate);
  app.use(requireRole("support"));
  app.use(tenantContext);

  app.use("/projects", projectsRouter);

  app.use((_req, res) => res.status(404).json({ error: "not found" }));
  app.use(errorHandler);
  return app;
}
