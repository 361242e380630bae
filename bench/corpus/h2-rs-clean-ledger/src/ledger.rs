use actix_web::{web, HttpResponse};
use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Deserialize;
use tracing::info;

use crate::mw::Tenant;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct NewEntry {
    amount: Decimal,
    currency: String,
    memo: Option<String>,
}

pub async fn post_entry(
    state: web::Data<AppState>,
    tenant: web::ReqData<Tenant>,
    account: web::Path<String>,
    body: web::Json<NewEntry>,
) -> actix_web::Result<HttpResponse> {
    let amount_minor = (body.amount * Decimal::from(100)).round().mantissa() as i64;
    let mut tx = state.pool.begin().await.map_err(actix_web::error::ErrorServiceUnavailable)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO entries (tenant_id, account, amount_minor, currency, memo) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&tenant.id)
    .bind(account.as_str())
    .bind(amount_minor)
    .bind(&body.currency)
    .bind(&body.memo)
    .fetch_one(&mut *tx)
    .await
    .map_err(actix_web::error::ErrorInternalServerError)?;
    sqlx::query("INSERT INTO outbox (topic, payload) VALUES ('ledger.entry', $1)")
        .bind(serde_json::json!({ "id": id, "tenant_id": tenant.id }))
        .execute(&mut *tx)
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;
    tx.commit().await.map_err(actix_web::error::ErrorInternalServerError)?;

    state.events.publish("ledger.entry.created", serde_json::json!({ "id": id })).await;
    info!(tenant_id = %tenant.id, entry_id = id, "entry posted");
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": id })))
}

pub async fn balance(state: web::Data<AppState>, tenant: web::ReqData<Tenant>, account: web::Path<String>) -> actix_web::Result<HttpResponse> {
    let tz: Tz = state.plans.time_zone(&tenant.id).await.unwrap_or(chrono_tz::UTC);
    let since = month_start(Utc::now(), tz);
    let cents: Option<i64> = sqlx::query_scalar("SELECT sum(amount_minor) FROM entries WHERE tenant_id = $1 AND account = $2 AND created_at >= $3")
        .bind(&tenant.id)
        .bind(account.as_str())
        .bind(since)
        .fetch_one(&state.pool)
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;
    let used = cents.unwrap_or(0);
    let cap = state.plans.monthly_cap_cents(&tenant.id).await;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "month_to_date_minor": used, "billable_minor": used.min(cap) })))
}

fn month_start(now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let local = now.with_timezone(&tz);
    tz.with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0).earliest().expect("first of month").with_timezone(&Utc)
}
