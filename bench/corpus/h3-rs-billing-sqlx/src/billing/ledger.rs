use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
    Extension,
};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::prelude::*;
use rust_decimal_macros::dec;
use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::Claims;
use crate::state::AppState;

const UNMETERED: &[&str] = &["/healthz", "/readyz", "/metrics"];

/// Meters a request only when it succeeded from the customer's point of view, outside maintenance.
pub async fn meter_billable(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    req: Request,
    next: Next,
) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let response = next.run(req).await;
    let billable = !response.status().is_server_error() && !UNMETERED.contains(&route.as_str()) && !state.maintenance.is_active(Utc::now());
    if billable {
        state.meter.record(&claims.tenant_id, &route, 1).await;
    }
    response
}

/// The billing month in the customer's own time zone, as UTC instants [start, end).
pub fn billing_period(now: DateTime<Utc>, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let local = now.with_timezone(&tz);
    let first = NaiveDate::from_ymd_opt(local.year(), local.month(), 1).unwrap();
    let next = if local.month() == 12 {
        NaiveDate::from_ymd_opt(local.year() + 1, 1, 1).unwrap()
    } else {
        NaiveDate::from_ymd_opt(local.year(), local.month() + 1, 1).unwrap()
    };
    let at_midnight = |d: NaiveDate| tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap()).earliest().unwrap().with_timezone(&Utc);
    (at_midnight(first), at_midnight(next))
}

/// Usage charge at a decimal unit price, rounded to cents and capped at the contracted maximum.
pub fn monthly_charge(units: i64, unit_price: Decimal, cap: Decimal) -> Decimal {
    let usage = (Decimal::from(units) * unit_price).round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    usage.min(cap).max(dec!(0))
}

/// Writes the invoice and its outbox row in one transaction; the relay publishes after commit.
pub async fn finalize(db: &PgPool, tenant_id: &str, period_start: NaiveDate, total: Decimal) -> anyhow::Result<Uuid> {
    let invoice_id = Uuid::new_v4();
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO invoices (id, tenant_id, period_start, total, status) VALUES ($1, $2, $3, $4, 'final')")
        .bind(invoice_id)
        .bind(tenant_id)
        .bind(period_start)
        .bind(total)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO outbox (id, topic, payload) VALUES ($1, 'invoice.finalized', $2)")
        .bind(Uuid::new_v4())
        .bind(serde_json::json!({ "invoice_id": invoice_id, "tenant_id": tenant_id }))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(tenant = %tenant_id, invoice = %invoice_id, %total, "invoice finalized");
    Ok(invoice_id)
}
