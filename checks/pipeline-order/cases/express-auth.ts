// Express: a middleware that reads req.user / req.auth registered before passport, express-jwt or a hand-written
// authenticate; axum: from_fn_with_state middleware and route_layer in the same stack order as layer.
import type { RuleCase } from "../../../src/engine/rule.js";

const requireAdmin = `function requireAdmin(req, res, next) {
  if (!req.auth?.roles?.includes("admin")) return res.status(403).end();
  next();
}`;

export function authOrderCases(): RuleCase[] {
  return [
    {
      name: "tenant middleware reads req.user before passport.authenticate sets it",
      language: "typescript",
      code: `import express from "express";
import passport from "passport";

const app = express();
app.use((req, res, next) => { req.tenant = tenants.of(req.user.tenantId); next(); });
app.use(passport.authenticate("jwt", { session: false }));
app.get("/api/orders", listOrders);
`,
      expect: [5],
    },
    {
      name: "admin check reads req.auth before express-jwt sets it",
      language: "typescript",
      code: `import express from "express";
import { expressjwt } from "express-jwt";

${requireAdmin}

const app = express();
app.use("/admin", requireAdmin);
app.use(expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ["HS256"] }));
`,
      expect: [10],
    },
    {
      name: "express-jwt first, then the admin check",
      language: "typescript",
      code: `import express from "express";
import { expressjwt } from "express-jwt";

${requireAdmin}

const app = express();
app.use(expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ["HS256"] }));
app.use("/admin", requireAdmin);
`,
      expect: [],
    },
    {
      name: "admin check on /admin and an auth middleware mounted only on /api: no order between them",
      language: "typescript",
      code: `import express from "express";
import { expressjwt } from "express-jwt";

${requireAdmin}

const app = express();
app.use("/admin", requireAdmin);
app.use("/api", expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ["HS256"] }));
`,
      expect: [],
    },
    {
      name: "rs: route_layer with from_fn_with_state: the plan check added last runs first, before authenticate",
      language: "rust",
      code: `use axum::{extract::{Request, State}, http::StatusCode, middleware::{self, Next}, response::Response, routing::get, Router};

#[derive(Clone)]
pub struct CurrentUser { pub id: String, pub plan: String }

async fn authenticate(State(app): State<AppState>, mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let user = app.sessions.user(&req).await.ok_or(StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(CurrentUser { id: user.id, plan: user.plan });
    Ok(next.run(req).await)
}

async fn require_plan(State(_app): State<AppState>, req: Request, next: Next) -> Result<Response, StatusCode> {
    let paid = req.extensions().get::<CurrentUser>().map(|u| u.plan != "free").unwrap_or(false);
    if !paid { return Err(StatusCode::PAYMENT_REQUIRED); }
    Ok(next.run(req).await)
}

pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/billing", get(billing))
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_plan))
        .with_state(state)
}
`,
      expect: [22],
    },
    {
      name: "rs: actix consumer registered after a JwtAuth defined outside the review: judged from its name (lower severity)",
      language: "rust",
      code: `use actix_web::middleware::from_fn;

async fn require_claims(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    req.extensions().get::<Claims>().ok_or_else(|| ErrorUnauthorized("no claims"))?;
    next.call(req).await
}

pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap(shared_auth::JwtAuth::new(keys()))
        .wrap(from_fn(require_claims))
}
`,
      expect: [11],
    },
  ];
}
