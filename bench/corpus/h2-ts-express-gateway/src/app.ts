import { randomUUID } from "node:crypto";
import express from "express";
import helmet from "helmet";
import pinoHttp from "pino-http";
import { authenticate } from "./middleware/authenticate";
import { errorHandler } from "./middleware/error-handler";
import { tenantContext } from "./middleware/tenant-context";
import { invoicesRouter } from "./routes/invoices";
import { projectsRouter } from "./routes/projects";
import { stripeWebhook } from "./routes/webhooks";

export function buildApp() {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);
  app.use(helmet());
  app.use(
    pinoHttp({
      genReqId: (req, res) => {
        const id = (req.headers["x-request-id"] as string | undefined) ?? randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
    }),
  );

  // public: probes and the Stripe webhook (needs the raw body to check the signature)
  app.get("/healthz", (_req, res) => res.json({ ok: true }));
  app.post("/webhooks/stripe", express.raw({ type: "application/json" }), stripeWebhook);

  app.use("/api/projects", projectsRouter); // expect: express-route-before-middleware

  app.use(express.json({ limit: "1mb" }));
  app.use("/api", authenticate);
  app.use("/api", tenantContext);

  app.use(errorHandler); // expect: express-route-before-middleware
  app.use("/api/invoices", invoicesRouter);

  return app;
}
