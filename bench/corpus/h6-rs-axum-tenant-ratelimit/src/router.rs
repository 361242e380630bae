use axum::{middleware, routing::get, Router};
use tower_http::trace::TraceLayer;

use crate::handlers::{health, quotes};
use crate::middleware::auth::require_auth;
use crate::middleware::metering::meter_usage;
use crate::middleware::rate_limit::tenant_rate_limit;
use crate::state::AppState;

pub fn build(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/quotes", get(quotes::list).post(quotes::create))
        .route("/v1/quotes/:id", get(quotes::get))
        .route("/v1/quotes/:id/convert/:currency", get(quotes::convert))
        .layer(middleware::from_fn_with_state(state.clone(), meter_usage))
        .layer(middleware::from_fn_with_state(state.clone(), require_auth))
        .layer(middleware::from_fn_with_state(state.clone(), tenant_rate_limit)); // expect: pipeline-order

    Router::new()
        .route("/healthz", get(health::check))
        .merge(api)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
