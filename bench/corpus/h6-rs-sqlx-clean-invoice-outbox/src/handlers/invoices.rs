use axum::extract::{Path, State};
use axum::Json;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::invoices::service::issue_invoice;
use crate::state::AppState;

pub async fn close_usage(
    State(state): State<AppState>,
    principal: Principal,
    Path(tenant_id): Path<Uuid>,
) -> Result<Json<serde_json::Value>, ApiError> {
    principal.require_operator()?;
    let plan = state.plans.for_tenant(tenant_id).await?;
    let calls = state.usage.billable_calls_last_month(tenant_id).await?;
    let invoice_id = issue_invoice(&state.pool, &state.outbox_wakeup, tenant_id, &plan, calls).await?;
    Ok(Json(serde_json::json!({ "invoice_id": invoice_id })))
}
