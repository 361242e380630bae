mod auth;
mod middleware;
mod routes;
mod state;

use axum::{middleware::{from_fn, from_fn_with_state}, routing::get, Router};
use std::{sync::Arc, time::Duration};
use tower::ServiceBuilder;
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};

use middleware::{assign_request_id, audit, authenticate, tenant_rate_limit};
use state::AppState;

fn app(state: Arc<AppState>) -> Router {
    let internal = Router::new()
        .route("/internal/availability/:sku", get(routes::availability))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(from_fn(assign_request_id))
                .layer(from_fn(audit))
                .layer(from_fn_with_state(state.clone(), authenticate)),
        );

    let public = Router::new()
        .route("/v1/prices/:sku", get(routes::price))
        .route("/v1/availability/:sku", get(routes::availability))
        .layer(from_fn_with_state(state.clone(), authenticate))
        .layer(from_fn_with_state(state.clone(), tenant_rate_limit)) // expect: axum-layer-order
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(from_fn(audit)) // expect: axum-layer-order
                .layer(from_fn(assign_request_id))
                .layer(TimeoutLayer::new(Duration::from_secs(10))),
        );

    Router::new().merge(internal).merge(public).with_state(state)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().json().with_current_span(true).init();
    let state = Arc::new(AppState::from_env()?);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app(state)).await?;
    Ok(())
}
