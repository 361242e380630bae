use std::time::Duration;

use axum::{
    middleware::{from_fn, from_fn_with_state},
    routing::{get, post},
    Router,
};
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::auth::{audit, authenticate, require_admin, require_tenant};
use crate::handlers::{admin, orders, stock};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let orders_api = Router::new()
        .route("/v1/orders", get(orders::list).post(orders::create))
        .route("/v1/orders/:id", get(orders::get))
        .route("/v1/stock/:sku", get(stock::lookup))
        .layer(from_fn_with_state(state.clone(), authenticate))
        .layer(from_fn(require_tenant)); // expect: axum-layer-order

    let internal_api = Router::new()
        .route("/internal/reindex", post(admin::reindex))
        .layer(
            ServiceBuilder::new()
                .layer(TimeoutLayer::new(Duration::from_secs(30)))
                .layer(from_fn_with_state(state.clone(), audit)) // expect: axum-layer-order
                .layer(from_fn_with_state(state.clone(), authenticate)),
        );

    let admin_api = Router::new()
        .route("/admin/tenants", get(admin::list_tenants))
        .layer(from_fn(require_admin))
        .layer(from_fn_with_state(state.clone(), authenticate));

    Router::new()
        .merge(orders_api)
        .merge(internal_api)
        .merge(admin_api)
        .route("/healthz", get(|| async { "ok" }))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %request_id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(state)
}
