use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use tracing::warn;

use crate::auth::TenantId;
use crate::state::AppState;

/// Records one billable call per request for the tenant.
pub async fn meter_usage(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let tenant = req.extensions().get::<TenantId>().cloned();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    let response = next.run(req).await;

    if let Some(TenantId(tenant_id)) = tenant {
        let status = response.status().as_u16() as i32;
        if let Err(e) = sqlx::query("INSERT INTO usage_events (tenant_id, route, status, at) VALUES ($1, $2, $3, $4)") // expect: charge-on-failed-request
            .bind(&tenant_id)
            .bind(&route)
            .bind(status)
            .bind(Utc::now())
            .execute(&state.pool)
            .await
        {
            warn!(error = %e, tenant_id = %tenant_id, request_id = %request_id, "usage event not recorded");
        }
    }
    response
}
