use axum::{middleware::from_fn_with_state, routing::get, Router};
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};
use std::time::Duration;

use crate::{admin, auth, projects, AppState};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/projects", get(projects::list).post(projects::create))
        .route("/v1/projects/:id", get(projects::show))
        .layer(from_fn_with_state(state.clone(), auth::require_session))
        .route("/v1/admin/tenants", get(admin::list_tenants)) // expect: pipeline-order
        .route("/healthz", get(|| async { "ok" }))
        .layer(TimeoutLayer::new(Duration::from_secs(10)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
