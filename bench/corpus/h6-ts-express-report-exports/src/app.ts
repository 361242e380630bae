import express from "express";
import helmet from "helmet";
import { requestId } from "./middleware/requestId";
import { httpLogger } from "./middleware/httpLogger";
import { requireAuth } from "./middleware/requireAuth";
import { errorHandler } from "./middleware/errorHandler";
import { invoicesRouter } from "./routes/invoices";
import { exportsRouter } from "./routes/exports";

function registerSystemRoutes(app: express.Express) {
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
}

export function createApp() {
  const app = express();

  app.disable("x-powered-by");
  app.use(helmet());
  app.use(express.json({ limit: "1mb" }));
  app.use(requestId());
  app.use(httpLogger);

  registerSystemRoutes(app);
  app.use("/v1/exports", exportsRouter); // expect: pipeline-order

  // JSON error responses for every API route
  app.use(errorHandler); // expect: pipeline-order

  app.use(requireAuth);
  app.use("/v1/invoices", invoicesRouter);

  return app;
}
