use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;

use crate::middleware::auth::Claims;
use crate::state::AppState;

/// Records one billable call per API request for the tenant's monthly invoice.
pub async fn meter_usage(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let claims = req.extensions().get::<Claims>().cloned();
    let route = req.uri().path().to_owned();

    let response = next.run(req).await;

    if let Some(claims) = claims {
        let period = Utc::now().format("%Y-%m").to_string();
        if let Err(err) = state.usage.increment(claims.tenant_id, &period, &route).await { // expect: charge-on-failed-request
            tracing::warn!(error = %err, tenant_id = %claims.tenant_id, "failed to record usage");
        }
    }
    response
}
