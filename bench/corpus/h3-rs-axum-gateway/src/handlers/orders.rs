use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Claims;
use crate::state::AppState;

#[derive(Serialize, sqlx::FromRow)]
pub struct Order {
    pub id: Uuid,
    pub sku: String,
    pub quantity: i32,
    pub total_cents: i64,
}

#[derive(Deserialize)]
pub struct NewOrder {
    pub sku: String,
    pub quantity: i32,
}

pub async fn list(State(state): State<AppState>, Extension(claims): Extension<Claims>) -> Result<Json<Vec<Order>>, StatusCode> {
    let rows = sqlx::query_as::<_, Order>("SELECT id, sku, quantity, total_cents FROM orders WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 100")
        .bind(&claims.tenant_id)
        .fetch_all(&state.db)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(rows))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Path(id): Path<Uuid>,
) -> Result<Json<Order>, StatusCode> {
    sqlx::query_as::<_, Order>("SELECT id, sku, quantity, total_cents FROM orders WHERE tenant_id = $1 AND id = $2")
        .bind(&claims.tenant_id)
        .bind(id)
        .fetch_optional(&state.db)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

pub async fn create(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Json(input): Json<NewOrder>,
) -> Result<(StatusCode, Json<Order>), StatusCode> {
    // state.http is built once in AppState with connect/request timeouts; the price call also has its own deadline.
    let price_cents: i64 = state
        .http
        .get(format!("{}/v1/prices/{}", state.pricing_url, input.sku))
        .timeout(Duration::from_millis(800))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|_| StatusCode::BAD_GATEWAY)?
        .json::<i64>()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;

    let order = sqlx::query_as::<_, Order>(
        "INSERT INTO orders (id, tenant_id, sku, quantity, total_cents) VALUES ($1, $2, $3, $4, $5) RETURNING id, sku, quantity, total_cents",
    )
    .bind(Uuid::new_v4())
    .bind(&claims.tenant_id)
    .bind(&input.sku)
    .bind(input.quantity)
    .bind(price_cents * i64::from(input.quantity))
    .fetch_one(&state.db)
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tracing::info!(tenant = %claims.tenant_id, order = %order.id, "order created");
    Ok((StatusCode::CREATED, Json(order)))
}
