// Cases of the axum adapter, moved from the retired rule with the same expectations.
import type { RuleCase } from "../../../src/engine/rule.js";

export function axumCases(): RuleCase[] {
  const mw = `use axum::{extract::Request, http::StatusCode, middleware::Next, response::Response, Extension};

#[derive(Clone)]
pub struct CurrentUser { pub id: String, pub tenant_id: String }

pub async fn authenticate(mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let token = req.headers().get("authorization").ok_or(StatusCode::UNAUTHORIZED)?;
    let claims = verify(token).await.map_err(|_| StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(CurrentUser { id: claims.sub, tenant_id: claims.tenant });
    Ok(next.run(req).await)
}

pub async fn require_tenant(Extension(user): Extension<CurrentUser>, req: Request, next: Next) -> Result<Response, StatusCode> {
    if user.tenant_id.is_empty() {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(next.run(req).await)
}
`;
  const app = (layers: string) => `use axum::{middleware, routing::get, Router};
use tower::ServiceBuilder;
use tower_http::trace::TraceLayer;
use crate::auth::{authenticate, require_tenant};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/:id", get(get_order))
${layers}
        .with_state(state)
}
`;
  const files = (layers: string) => [
    { path: "src/auth.rs", code: mw },
    { path: "src/app.rs", code: app(layers) },
  ];
  return [
    {
      name: "Router::layer: producer added first runs last",
      files: files("        .layer(middleware::from_fn(authenticate))\n        .layer(middleware::from_fn(require_tenant))\n        .layer(TraceLayer::new_for_http())"),
      expect: ["src/app.rs:11"],
    },
    {
      name: "ServiceBuilder: consumer listed above its producer",
      files: files("        .layer(\n            ServiceBuilder::new()\n                .layer(TraceLayer::new_for_http())\n                .layer(middleware::from_fn(require_tenant))\n                .layer(middleware::from_fn(authenticate)),\n        )"),
      expect: ["src/app.rs:13"],
    },
    {
      name: "custom tower Layer inserts the tenant; from_fn consumer added after it",
      language: "rust" as const,
      code: `use std::task::{Context, Poll};
use axum::{extract::Request, middleware::{self, Next}, response::Response, routing::get, Router};
use tower::{Layer, Service};

#[derive(Clone)]
pub struct TenantLayer;

impl<S> Layer<S> for TenantLayer {
    type Service = TenantService<S>;
    fn layer(&self, inner: S) -> Self::Service { TenantService { inner } }
}

#[derive(Clone)]
pub struct TenantService<S> { inner: S }

impl<S: Service<Request>> Service<Request> for TenantService<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> { self.inner.poll_ready(cx) }
    fn call(&mut self, mut req: Request) -> Self::Future {
        let tenant = TenantId::from_host(req.headers());
        req.extensions_mut().insert(tenant);
        self.inner.call(req)
    }
}

async fn meter(req: Request, next: Next) -> Response {
    let tenant = req.extensions().get::<TenantId>().cloned();
    let res = next.run(req).await;
    METER.record(tenant, res.status());
    res
}

pub fn app() -> Router {
    Router::new()
        .route("/v1/search", get(search))
        .layer(TenantLayer)
        .layer(middleware::from_fn(meter))
}
`,
      expect: [39],
    },
    {
      name: "Extension layer added before the from_fn middleware that extracts it",
      language: "rust" as const,
      code: `use std::sync::Arc;
use axum::{extract::Request, middleware::{self, Next}, response::Response, routing::post, Extension, Router};

pub struct FeatureFlags { pub billing_v2: bool }

async fn require_billing_v2(Extension(flags): Extension<Arc<FeatureFlags>>, req: Request, next: Next) -> Response {
    if !flags.billing_v2 { return (axum::http::StatusCode::NOT_FOUND, "disabled").into_response(); }
    next.run(req).await
}

pub fn billing_routes() -> Router {
    let flags = Arc::new(FeatureFlags { billing_v2: std::env::var("BILLING_V2").is_ok() });
    Router::new()
        .route("/invoices", post(create_invoice))
        .layer(Extension(flags))
        .layer(middleware::from_fn(require_billing_v2))
}
`,
      expect: [16],
    },
    {
      name: "producer inserts the claims of a jsonwebtoken decode::<T>() result; ServiceBuilder lists the guard first",
      language: "rust" as const,
      code: AXUM_JWT("        .layer(tower::ServiceBuilder::new()\n            .layer(middleware::from_fn(org_guard))\n            .layer(middleware::from_fn(verify_jwt)))"),
      expect: [24],
    },
    {
      name: "producer inserts a field of a same-file struct returned by a helper; Router::layer adds it first",
      language: "rust" as const,
      code: `use axum::{extract::Request, http::StatusCode, middleware::{self, Next}, response::Response, routing::get, Router};

#[derive(Clone)]
pub struct Principal { pub id: String }

pub struct Session { pub principal: Principal, pub expires: u64 }

fn load_session(req: &Request) -> Result<Session, StatusCode> {
    SESSIONS.lookup(req).ok_or(StatusCode::UNAUTHORIZED)
}

async fn session_mw(mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let session = load_session(&req)?;
    req.extensions_mut().insert(session.principal);
    Ok(next.run(req).await)
}

async fn audit(req: Request, next: Next) -> Response {
    let who = req.extensions().get::<Principal>().map(|p| p.id.clone()).unwrap_or_default();
    tracing::info!(%who, "audit");
    next.run(req).await
}

pub fn app() -> Router {
    Router::new()
        .route("/reports", get(reports))
        .layer(middleware::from_fn(session_mw))
        .layer(middleware::from_fn(audit))
}
`,
      expect: [28],
    },
    {
      name: "Router::layer in the right order: producer added last",
      files: files("        .layer(middleware::from_fn(require_tenant))\n        .layer(middleware::from_fn(authenticate))\n        .layer(TraceLayer::new_for_http())"),
      expect: [],
    },
    {
      name: "ServiceBuilder in the right order: producer listed first",
      files: files("        .layer(\n            ServiceBuilder::new()\n                .layer(TraceLayer::new_for_http())\n                .layer(middleware::from_fn(authenticate))\n                .layer(middleware::from_fn(require_tenant)),\n        )"),
      expect: [],
    },
    {
      name: "decode::<T>() claims producer added last on the Router: runs before the guard",
      language: "rust" as const,
      code: AXUM_JWT("        .layer(middleware::from_fn(org_guard))\n        .layer(middleware::from_fn(verify_jwt))"),
      expect: [],
    },
    {
      name: "handler extracts Extension<T>: handlers run after every layer",
      language: "rust" as const,
      code: `use axum::{extract::Request, middleware::{self, Next}, response::Response, routing::get, Extension, Json, Router};

#[derive(Clone)]
pub struct Principal { pub sub: String }

async fn auth(mut req: Request, next: Next) -> Response {
    let p = Principal { sub: read_sub(&req) };
    req.extensions_mut().insert(p);
    next.run(req).await
}

async fn me(Extension(p): Extension<Principal>) -> Json<String> {
    Json(p.sub)
}

pub fn app() -> Router {
    Router::new()
        .route("/me", get(me))
        .layer(middleware::from_fn(auth))
}
`,
      expect: [],
    },
    {
      name: "unrelated tower-http layers and a comment about ordering",
      language: "rust" as const,
      code: `use axum::{routing::get, Router};
use tower_http::{compression::CompressionLayer, cors::CorsLayer, timeout::TimeoutLayer, trace::TraceLayer};

// Layers run bottom to top; extensions().get::<User>() happens in handlers only.
pub fn app() -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .layer(CompressionLayer::new())
        .layer(CorsLayer::permissive())
        .layer(TimeoutLayer::new(std::time::Duration::from_secs(10)))
        .layer(TraceLayer::new_for_http())
}
`,
      expect: [],
    },
    {
      name: "consumer without a producer in the PR",
      language: "rust" as const,
      code: `use axum::{extract::Request, middleware::{self, Next}, response::Response, routing::get, Router};

async fn audit(req: Request, next: Next) -> Response {
    let user = req.extensions().get::<Claims>().map(|c| c.sub.clone());
    tracing::info!(?user, path = %req.uri(), "audit");
    next.run(req).await
}

pub fn app(auth: shared::AuthLayer) -> Router {
    Router::new()
        .route("/reports", get(reports))
        .layer(middleware::from_fn(audit))
        .layer(auth)
}
`,
      expect: [],
    },
  ];
}

function AXUM_JWT(layers: string): string {
  return `use axum::{extract::Request, http::StatusCode, middleware::{self, Next}, response::Response, routing::get, Router};
use jsonwebtoken::{decode, DecodingKey, Validation};

#[derive(Clone, serde::Deserialize)]
pub struct UserClaims { pub sub: String, pub org: String }

async fn verify_jwt(mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let token = bearer(&req).ok_or(StatusCode::UNAUTHORIZED)?;
    let decoded = decode::<UserClaims>(token, &KEY, &Validation::default()).map_err(|_| StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(decoded.claims);
    Ok(next.run(req).await)
}

async fn org_guard(req: Request, next: Next) -> Result<Response, StatusCode> {
    let ok = req.extensions().get::<UserClaims>().map(|c| !c.org.is_empty()).unwrap_or(false);
    if !ok { return Err(StatusCode::FORBIDDEN); }
    Ok(next.run(req).await)
}

pub fn app() -> Router {
    Router::new()
        .route("/org", get(org))
${layers}
}
`;
}
