use axum::{
    extract::{Extension, Request},
    middleware::{self, Next},
    response::Response,
    routing::get,
    Router,
};
use tower::ServiceBuilder;

#[derive(Clone)]
struct TenantId(String);

#[derive(Clone)]
struct RateLimitBucket(String);

async fn resolve_tenant(mut req: Request, next: Next) -> Response {
    let tenant = req.headers().get("x-tenant-host").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    req.extensions_mut().insert(TenantId(tenant));
    next.run(req).await
}

async fn rate_limit(mut req: Request, next: Next) -> Response {
    let tenant = req.extensions().get::<TenantId>().cloned();
    let bucket = tenant.map(|t| t.0).unwrap_or_else(|| "anonymous".into());
    req.extensions_mut().insert(RateLimitBucket(bucket));
    next.run(req).await
}

async fn dashboard(Extension(tenant): Extension<TenantId>) -> String {
    format!("dashboard for {}", tenant.0)
}

pub fn app() -> Router {
    Router::new()
        .route("/dashboard", get(dashboard))
        .layer(middleware::from_fn(resolve_tenant))
        .layer(middleware::from_fn(rate_limit)) // expect: axum-layer-order
}

pub fn app_fixed() -> Router {
    Router::new()
        .route("/dashboard", get(dashboard))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(resolve_tenant))
                .layer(middleware::from_fn(rate_limit)),
        )
}
