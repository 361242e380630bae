use axum::{extract::State, http::StatusCode, Extension, Json};
use serde::Serialize;

use crate::{auth::Session, AppState};

#[derive(Serialize, sqlx::FromRow)]
pub struct TenantRow {
    pub id: String,
    pub name: String,
    pub plan: String,
}

pub async fn list_tenants(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Result<Json<Vec<TenantRow>>, StatusCode> {
    if !session.is_staff {
        return Err(StatusCode::FORBIDDEN);
    }
    let rows = sqlx::query_as::<_, TenantRow>("SELECT id, name, plan FROM tenants ORDER BY name LIMIT 500")
        .fetch_all(&state.db)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(rows))
}
