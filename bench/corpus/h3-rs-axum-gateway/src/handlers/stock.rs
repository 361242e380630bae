use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde::{Deserialize, Serialize};

use crate::auth::Claims;
use crate::state::AppState;

#[derive(Debug, Deserialize, Serialize)]
pub struct Stock {
    pub sku: String,
    pub available: i64,
    pub warehouse: String,
}

pub async fn lookup(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Path(sku): Path<String>,
) -> Result<Json<Stock>, StatusCode> {
    let client = reqwest::Client::new(); // expect: client-per-request
    let resp = client // expect: no-timeout-or-fallback
        .get(format!("{}/v1/stock/{}", state.inventory_url, sku))
        .header("x-tenant-id", &claims.tenant_id)
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    if resp.status() == reqwest::StatusCode::NOT_FOUND {
        return Err(StatusCode::NOT_FOUND);
    }
    let stock = resp.error_for_status().map_err(|_| StatusCode::BAD_GATEWAY)?.json::<Stock>().await.map_err(|_| StatusCode::BAD_GATEWAY)?;
    tracing::info!(tenant = %claims.tenant_id, sku = %stock.sku, "stock looked up");
    Ok(Json(stock))
}
