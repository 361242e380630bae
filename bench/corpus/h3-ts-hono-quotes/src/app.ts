import { Hono } from "hono";
import { jwt } from "hono/jwt";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { logger } from "./lib/logger";
import { quotes } from "./routes/quotes";
import { catalog } from "./routes/catalog";

type Env = { Variables: { requestId: string; jwtPayload: { sub: string; tid: string } } };

export const app = new Hono<Env>();

app.use("*", requestId());
app.use("*", secureHeaders());
app.use("*", async (c, next) => {
  const started = performance.now();
  await next();
  logger.info(
    { requestId: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
    "request",
  );
});
app.get("/healthz", (c) => c.json({ ok: true }));
app.use("/api/*", jwt({ secret: process.env.JWT_SECRET!, alg: "HS256" }));

app.route("/api/quotes", quotes);
app.route("/api/catalog", catalog);

app.onError((err, c) => {
  logger.error({ requestId: c.get("requestId"), err }, "unhandled error");
  return c.json({ message: "internal error", requestId: c.get("requestId") }, 500);
});
