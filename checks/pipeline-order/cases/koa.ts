// Koa: app.use and @koa/router middleware run in registration order; koa-jwt sets ctx.state.user.
import type { RuleCase } from "../../../src/engine/rule.js";

export function koaCases(): RuleCase[] {
  return [
    {
      name: "Koa router: a write route registered above router.use(requireAuth) (defined elsewhere: judged from its name)",
      language: "typescript",
      code: `import Koa from "koa";
import Router from "@koa/router";

const app = new Koa();
const router = new Router();
router.post("/api/users", async (ctx) => { ctx.body = await users.create(ctx.request.body); });
router.use(requireAuth);
app.use(router.routes());
`,
      expect: [6],
    },
    {
      name: "Koa: routes mounted before koa-jwt; their handlers read ctx.state.user",
      language: "typescript",
      code: `import Koa from "koa";
import Router from "@koa/router";
import jwt from "koa-jwt";
import bodyParser from "koa-bodyparser";

const app = new Koa();
const router = new Router();
router.get("/reports/:id", async (ctx) => {
  ctx.body = await reports.find(ctx.state.user.tenantId, ctx.params.id);
});

app.use(bodyParser());
app.use(router.routes());
app.use(jwt({ secret: process.env.JWT_SECRET! }));
`,
      expect: [13],
    },
    {
      name: "Koa: a tenant middleware reading ctx.state.user registered before koa-jwt",
      language: "typescript",
      code: `import Koa from "koa";
import jwt from "koa-jwt";

const app = new Koa();
app.use(async (ctx, next) => {
  ctx.state.tenant = await tenants.byId(ctx.state.user.tenantId);
  await next();
});
app.use(jwt({ secret: process.env.JWT_SECRET! }));
`,
      expect: [5],
    },
    {
      name: "Koa in the right order: koa-jwt, then the tenant middleware, then the routes",
      language: "typescript",
      code: `import Koa from "koa";
import Router from "@koa/router";
import jwt from "koa-jwt";

const app = new Koa();
const router = new Router();
router.get("/reports/:id", async (ctx) => {
  ctx.body = await reports.find(ctx.state.tenant.id, ctx.params.id);
});

app.use(jwt({ secret: process.env.JWT_SECRET! }));
app.use(async (ctx, next) => {
  ctx.state.tenant = await tenants.byId(ctx.state.user.tenantId);
  await next();
});
app.use(router.routes());
`,
      expect: [],
    },
    {
      name: "Koa: public health route above auth is intentional",
      language: "typescript",
      code: `import Koa from "koa";
import Router from "@koa/router";
import jwt from "koa-jwt";

const app = new Koa();
const publicRouter = new Router();
publicRouter.get("/health", (ctx) => { ctx.body = "ok"; });
app.use(publicRouter.routes());
app.use(jwt({ secret: process.env.JWT_SECRET! }));
`,
      expect: [],
    },
  ];
}
