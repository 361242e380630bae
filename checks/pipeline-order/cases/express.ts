// Cases of the express adapter, moved from the retired rule with the same expectations.
import type { RuleCase } from "../../../src/engine/rule.js";

export function expressCases(): RuleCase[] {
  const authTs = `import type { NextFunction, Request, Response } from "express";
import jwt from "jsonwebtoken";

export function authenticate(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.replace(/^Bearer /, "");
  if (!token) return res.status(401).json({ error: "unauthenticated" });
  const claims = jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ["RS256"] }) as Claims;
  req.user = { id: claims.sub, tenantId: claims.tenant_id };
  next();
}
`;
  const app = (body: string) => `import express from "express";
import helmet from "helmet";
import { authenticate } from "./middleware/auth";
import { listOrders, createOrder } from "./orders/controller";

const app = express();
app.use(helmet());
${body}

export default app;
`;
  const controller = `import type { Request, Response } from "express";
import { orders } from "./repository";

export async function listOrders(req: Request, res: Response) {
  const items = await orders.list(req.user.tenantId);
  res.json({ items });
}

export async function createOrder(req: Request, res: Response) {
  const order = await orders.create(req.user.tenantId, req.body);
  res.status(201).json(order);
}
`;
  const files = (body: string) => [
    { path: "src/middleware/auth.ts", code: authTs },
    { path: "src/orders/controller.ts", code: controller },
    { path: "src/app.ts", code: app(body) },
  ];
  return [
    {
      name: "route reading req.user registered before app.use(authenticate) (cross-file)",
      files: files(`app.use(express.json());
app.get("/api/orders", listOrders);
app.use(authenticate);
app.post("/api/orders", createOrder);`),
      expect: ["src/app.ts:9"],
    },
    {
      name: "route reading req.body registered before express.json()",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./auth";
import { invoices } from "./invoices";

const app = express();
app.use(authenticate);

app.post("/api/invoices", async (req, res) => {
  const { customerId, lines } = req.body;
  const invoice = await invoices.create(req.user.tenantId, customerId, lines);
  res.status(201).json(invoice);
});

app.use(express.json({ limit: "1mb" }));

app.listen(3000);
`,
      expect: [8],
    },
    {
      name: "morgan loggers named successHandler/errorHandler come first; the (err, req, res, next) handler is last",
      files: [
        {
          path: "src/app.js",
          code: `const express = require("express");
const morgan = require("./config/morgan");
const routes = require("./routes/v1");
const { errorConverter, errorHandler } = require("./middlewares/error");

const app = express();
app.use(morgan.successHandler);
app.use(morgan.errorHandler);
app.use(express.json());
app.options("*", (req, res) => res.sendStatus(204));
app.use("/v1", routes);
app.use(errorConverter);
app.use(errorHandler);

module.exports = app;
`,
        },
        { path: "src/config/morgan.js", changed: false, code: `const morgan = require("morgan");
const logger = require("./logger");

const successHandler = morgan(":method :url :status", { skip: (req, res) => res.statusCode >= 400, stream: { write: (m) => logger.info(m.trim()) } });
const errorHandler = morgan(":method :url :status - :message", { skip: (req, res) => res.statusCode < 400, stream: { write: (m) => logger.error(m.trim()) } });

module.exports = { successHandler, errorHandler };
` },
        { path: "src/middlewares/error.js", changed: false, code: `const errorConverter = (err, req, res, next) => {
  next(err);
};

const errorHandler = (err, req, res, next) => {
  res.status(err.statusCode || 500).send({ message: err.message });
};

module.exports = { errorConverter, errorHandler };
` },
      ],
      expect: [],
    },
    {
      name: "an imported (err, req, res, next) handler registered before a route",
      files: [
        {
          path: "src/app.js",
          code: `const express = require("express");
const morgan = require("./config/morgan");
const { errorHandler } = require("./middlewares/error");

const app = express();
app.use(morgan.errorHandler);
app.use(express.json());
app.use(errorHandler);
app.get("/v1/status", (req, res) => res.json({ ok: true }));

module.exports = app;
`,
        },
        { path: "src/config/morgan.js", changed: false, code: `const morgan = require("morgan");
const logger = require("./logger");

const successHandler = morgan(":method :url :status", { skip: (req, res) => res.statusCode >= 400, stream: { write: (m) => logger.info(m.trim()) } });
const errorHandler = morgan(":method :url :status - :message", { skip: (req, res) => res.statusCode < 400, stream: { write: (m) => logger.error(m.trim()) } });

module.exports = { successHandler, errorHandler };
` },
        { path: "src/middlewares/error.js", changed: false, code: `const errorConverter = (err, req, res, next) => {
  next(err);
};

const errorHandler = (err, req, res, next) => {
  res.status(err.statusCode || 500).send({ message: err.message });
};

module.exports = { errorConverter, errorHandler };
` },
      ],
      expect: ["src/app.js:8"],
    },
    {
      name: "error handler registered before the routes",
      language: "typescript" as const,
      code: `import express, { type NextFunction, type Request, type Response } from "express";
import { logger } from "./logger";
import { ordersRouter } from "./orders/router";

const app = express();
app.use(express.json());

app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
  logger.error({ err, path: req.path }, "unhandled error");
  res.status(500).json({ error: "internal" });
});

app.use("/api/orders", ordersRouter);
app.get("/api/status", (_req, res) => res.json({ ok: true }));

export default app;
`,
      expect: [8],
    },
    {
      name: "router: admin route above router.use(requireAuth)",
      language: "typescript" as const,
      code: `import { Router } from "express";
import { requireAuth } from "../middleware/require-auth";
import * as users from "./users.service";

export const adminRouter = Router();

adminRouter.delete("/users/:id", async (req, res) => {
  await users.remove(req.params.id);
  res.status(204).end();
});

adminRouter.use(requireAuth);

adminRouter.get("/users", async (_req, res) => {
  res.json(await users.list());
});
`,
      expect: [7],
    },
    {
      name: "tenant context set by a later middleware, read via destructuring",
      language: "typescript" as const,
      code: `import express from "express";

const app = express();
app.use(express.json());

app.get("/api/reports/usage", async (req, res) => {
  const { tenantId } = req;
  res.json(await usage.forTenant(tenantId));
});

app.use(function tenantContext(req, _res, next) {
  req.tenantId = String(req.headers["x-tenant-id"]);
  next();
});
`,
      expect: [6],
    },
    {
      name: "admin router mounted before app.use(authenticate)",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./middleware/auth";
import { adminRouter } from "./admin/router";
import { ordersRouter } from "./orders/router";

export function buildApp() {
  const app = express();
  app.use(express.json());
  app.use("/api/admin", adminRouter);
  app.use(authenticate);
  app.use("/api/orders", ordersRouter);
  return app;
}
`,
      expect: [9],
    },
    {
      name: "router mounted before express.json(): its routes (another file) read req.body",
      files: MOUNT_FILES(`app.use(requireUser);\napp.use("/api/widgets", widgetsRouter);\napp.use(express.json());`),
      expect: ["src/app.ts:8"],
    },
    {
      name: "router on a neutral path mounted before the auth middleware its routes read req.user from",
      files: MOUNT_FILES(`app.use(express.json());\napp.use("/api/widgets", widgetsRouter);\napp.use(requireUser);`),
      expect: ["src/app.ts:8"],
    },
    {
      name: "GET of one record by route parameter above auth; a product page by slug stays public",
      language: "typescript" as const,
      code: `import express from "express";
import { requireUser } from "./auth";
const app = express();
app.get("/api/widgets/:widgetId", async (req, res) => res.json(await widgets.get(req.params.widgetId)));
app.get("/api/products/:slug", async (req, res) => res.json(await products.get(req.params.slug)));
app.get("/api/widgets", async (_req, res) => res.json(await widgets.count()));
app.use(requireUser);
`,
      expect: [4],
    },
    {
      name: "routers imported by require/named import (each module's router is called \`router\`) mounted before the middleware their routes need",
      files: [
        { path: "src/routes/orders.js", code: `const express = require("express");
const router = express.Router();
router.get("/", async (req, res) => res.json(await list(req.orgId)));
module.exports = router;
` },
        { path: "src/routes/status.js", code: `const express = require("express");
const router = express.Router();
router.get("/", (req, res) => res.json({ ok: true }));
module.exports = router;
` },
        { path: "src/routes/items.ts", code: `import { Router } from "express";
export const itemRoutes = Router();
itemRoutes.post("/", async (req, res) => res.status(201).json(await create(req.body)));
` },
        { path: "src/mw/org.js", code: `function orgContext(req, res, next) {
  req.orgId = req.headers["x-org"];
  next();
}
module.exports = { orgContext };
` },
        { path: "src/app.js", code: `const express = require("express");
const ordersRouter = require("./routes/orders");
const statusRouter = require("./routes/status");
const { itemRoutes } = require("./routes/items");
const { orgContext } = require("./mw/org");

const app = express();
app.use("/status", statusRouter);
app.use("/orders", ordersRouter);
app.use("/items", itemRoutes);
app.use(express.json());
app.use(orgContext);
module.exports = app;
` },
      ],
      expect: ["src/app.js:10", "src/app.js:9"],
    },
    {
      name: "router that authenticates itself (router.use) mounted before the global auth",
      files: MOUNT_FILES(`app.use(express.json());\napp.use("/api/gadgets", gadgetsRouter);\napp.use(requireUser);`),
      expect: [],
    },
    {
      name: "public catalogue GET above auth is left alone",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./middleware/auth";

const app = express();
app.get("/api/plans", async (_req, res) => res.json(await plans.listPublic()));
app.use(authenticate);
app.post("/api/subscriptions", async (req, res) => res.json(await subscribe(req.user.id, req.body.planId)));
`,
      expect: [],
    },
    {
      name: "correct order: parsers and auth before routes, error handler last",
      files: files(`app.use(express.json());
app.use(authenticate);
app.get("/api/orders", listOrders);
app.post("/api/orders", createOrder);
app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ error: err.message });
});`),
      expect: [],
    },
    {
      name: "public health and login routes above auth are intentional",
      language: "typescript" as const,
      code: `import express from "express";
import { authenticate } from "./middleware/auth";
import { login } from "./auth/login";
import { api } from "./api";

const app = express();
app.use(express.json());

app.get("/healthz", (_req, res) => res.send("ok"));
app.post("/auth/login", login);
app.post("/webhooks/stripe", express.raw({ type: "application/json" }), stripeWebhook);

app.use(authenticate);
app.use("/api", api);
`,
      expect: [],
    },
    {
      name: "route with its own auth middleware, registered before a global one",
      language: "typescript" as const,
      code: `import express from "express";
import { requireAuth } from "./auth";

const app = express();
app.use(express.json());

app.get("/api/me", requireAuth, (req, res) => {
  res.json({ id: req.user.id });
});

// note: app.use(requireAuth) below protects everything registered after it
app.use(requireAuth);
app.get("/api/orders", (req, res) => res.json([]));
`,
      expect: [],
    },
    {
      name: "settings getter app.get('env') and strings mentioning app.use(auth)",
      language: "typescript" as const,
      code: `import express from "express";

const app = express();
const env = app.get("env");
const doc = "register app.use(authenticate) before app.get('/orders')";

app.use(express.json());
app.use(authenticate);
app.get("/orders", (req, res) => res.json({ env, doc, user: req.user }));
`,
      expect: [],
    },
  ];
}

function MOUNT_FILES(body: string) {
  return [
    {
      path: "src/routes/widgets.ts",
      changed: false,
      code: `import { Router } from "express";
export const widgetsRouter = Router();
widgetsRouter.get("/", async (req, res) => res.json(await widgets.list(req.user.orgId)));
widgetsRouter.post("/", async (req, res) => res.status(201).json(await widgets.create(req.user.orgId, req.body)));
`,
    },
    {
      path: "src/routes/gadgets.ts",
      changed: false,
      code: `import { Router } from "express";
import { requireUser } from "../auth";
export const gadgetsRouter = Router();
gadgetsRouter.use(requireUser);
gadgetsRouter.get("/", async (req, res) => res.json(await list(req.user.orgId)));
`,
    },
    { path: "src/auth.ts", changed: false, code: `export function requireUser(req, res, next) { req.user = verify(req.headers.authorization); next(); }\n` },
    {
      path: "src/app.ts",
      code: `import express from "express";
import { widgetsRouter } from "./routes/widgets";
import { gadgetsRouter } from "./routes/gadgets";
import { requireUser } from "./auth";

const app = express();
${body}
export default app;
`,
    },
  ];
}
