use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
    Extension,
};

use crate::auth::Claims;
use crate::state::AppState;

/// Counts one billable request per call for the tenant.
pub async fn meter_requests(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    req: Request,
    next: Next,
) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let response = next.run(req).await;
    state.meter.record(&claims.tenant_id, &route, 1).await; // expect: charge-on-failed-request
    response
}
