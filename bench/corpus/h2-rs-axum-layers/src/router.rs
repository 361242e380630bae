use axum::routing::{get, post};
use axum::{middleware, Router};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::handlers::{batch_projects, create_project, list_projects, list_tenants, project_owners, usage_report};
use crate::mw::{authenticate, require_admin, resolve_tenant};
use crate::state::AppState;

pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/projects", get(list_projects).post(create_project))
        .route("/projects/batch", post(batch_projects))
        .route("/projects/owners", get(project_owners))
        .layer(middleware::from_fn_with_state(state.clone(), resolve_tenant))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate));

    let admin = Router::new().route("/tenants", get(list_tenants)).layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn(require_admin)) // expect: axum-layer-order
            .layer(middleware::from_fn_with_state(state.clone(), authenticate)),
    );

    let usage = Router::new()
        .route("/usage", get(usage_report))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), resolve_tenant)); // expect: axum-layer-order

    let internal = Router::new().route("/tenants", get(list_tenants)).layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(state.clone(), authenticate))
            .layer(middleware::from_fn(require_admin)),
    );

    Router::new()
        .nest("/api", api)
        .nest("/admin", admin)
        .nest("/billing", usage)
        .nest("/internal", internal)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %request_id)
                }))
                .layer(TimeoutLayer::new(std::time::Duration::from_secs(15)))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(state)
}
