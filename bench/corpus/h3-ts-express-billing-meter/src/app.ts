import express from "express";
import helmet from "helmet";
import pinoHttp from "pino-http";
import { randomUUID } from "node:crypto";
import { logger } from "./logger";
import { authenticate } from "./middleware/authenticate";
import { meterUsage } from "./middleware/metering";
import { errorHandler } from "./middleware/errors";
import { usageRouter } from "./routes/usage";
import { projectsRouter } from "./routes/projects";
import { invoicesRouter } from "./routes/invoices";
import { stripeWebhook } from "./routes/webhooks";

export function createApp() {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);

  app.use(helmet());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers["x-request-id"] as string | undefined) ?? randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
    }),
  );

  // Unauthenticated by design: probes and signed webhooks (raw body needed for the signature).
  app.get("/healthz", (_req, res) => res.json({ ok: true }));
  app.post("/webhooks/stripe", express.raw({ type: "application/json" }), stripeWebhook);

  app.use("/v1/usage", usageRouter); // expect: express-route-before-middleware

  app.use(express.json({ limit: "1mb" }));
  app.use(authenticate);
  app.use(meterUsage);

  app.use("/v1/projects", projectsRouter);
  app.use(errorHandler); // expect: express-route-before-middleware
  app.use("/v1/invoices", invoicesRouter);

  return app;
}
