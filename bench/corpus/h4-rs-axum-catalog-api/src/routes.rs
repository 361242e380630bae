use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::middleware::{AuthContext, RequestId};
use crate::state::AppState;

#[derive(Deserialize)]
struct PriceQuote {
    sku: String,
    unit_price_minor: i64,
    currency: String,
}

#[derive(Serialize)]
pub struct PriceResponse {
    sku: String,
    unit_price_minor: i64,
    currency: String,
    dynamic: bool,
}

#[derive(Deserialize, Default)]
struct Flags {
    #[serde(default)]
    dynamic_pricing: bool,
}

async fn dynamic_pricing_enabled(state: &AppState, tenant_id: &str) -> Result<bool, reqwest::Error> {
    let flags: Flags = state // expect: no-timeout-or-fallback
        .http
        .get(format!("{}/flags/{}", state.flags_url, tenant_id))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(flags.dynamic_pricing)
}

pub async fn price(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<AuthContext>,
    Extension(request_id): Extension<RequestId>,
    Path(sku): Path<String>,
) -> Result<Json<PriceResponse>, StatusCode> {
    let dynamic = dynamic_pricing_enabled(&state, &auth.tenant_id)
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    let pricing = reqwest::Client::new(); // expect: client-per-request
    let quote: PriceQuote = pricing // expect: no-timeout-or-fallback
        .get(format!("{}/v2/prices/{}", state.pricing_url, sku))
        .query(&[("tenant", auth.tenant_id.as_str()), ("dynamic", if dynamic { "1" } else { "0" })])
        .header("x-request-id", &request_id.0)
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?
        .json()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    tracing::info!(request_id = %request_id.0, tenant_id = %auth.tenant_id, %sku, "price served");
    Ok(Json(PriceResponse {
        sku: quote.sku,
        unit_price_minor: quote.unit_price_minor,
        currency: quote.currency,
        dynamic,
    }))
}

pub async fn availability(
    State(state): State<Arc<AppState>>,
    Extension(auth): Extension<AuthContext>,
    Path(sku): Path<String>,
) -> Json<serde_json::Value> {
    let in_stock = match state
        .http
        .get(format!("{}/stock/{}", state.inventory_url, sku))
        .timeout(std::time::Duration::from_millis(800))
        .send()
        .await
    {
        Ok(res) if res.status().is_success() => res.json::<bool>().await.unwrap_or(true),
        _ => {
            tracing::warn!(tenant_id = %auth.tenant_id, %sku, "inventory unavailable, assuming in stock");
            true
        }
    };
    Json(serde_json::json!({ "sku": sku, "in_stock": in_stock }))
}
