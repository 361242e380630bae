use chrono::{Datelike, Local, NaiveDate, TimeZone};
use sqlx::PgPool;
use tracing::info;

use crate::mail::Mailer;

pub struct Plan {
    pub id: String,
    pub price_per_call: f64, // expect: float-money
    pub monthly_minimum_cents: i64,
    pub monthly_cap_cents: i64,
}

pub struct Invoice {
    pub tenant_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub calls: i64,
    pub total_cents: i64,
}

pub fn current_period() -> (NaiveDate, NaiveDate) {
    let today = Local::now().date_naive(); // expect: local-time-billing-period
    let start = today.with_day(1).expect("day 1 exists");
    let end = if start.month() == 12 {
        NaiveDate::from_ymd_opt(start.year() + 1, 1, 1).unwrap()
    } else {
        NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1).unwrap()
    };
    (start, end)
}

pub fn charge_cents(plan: &Plan, calls: i64) -> i64 {
    let usage = (calls as f64 * plan.price_per_call * 100.0).round() as i64; // expect: float-money
    let floored = usage.max(plan.monthly_minimum_cents);
    floored.max(plan.monthly_cap_cents) // expect: missing-or-inverted-cap
}

pub async fn finalize_invoice(pool: &PgPool, mailer: &Mailer, plan: &Plan, tenant_id: &str) -> anyhow::Result<Invoice> {
    let (start, end) = current_period();
    let from = Local.from_local_datetime(&start.and_hms_opt(0, 0, 0).unwrap()).single().unwrap(); // expect: local-time-billing-period
    let to = Local.from_local_datetime(&end.and_hms_opt(0, 0, 0).unwrap()).single().unwrap(); // expect: local-time-billing-period

    let mut tx = pool.begin().await?;
    let calls: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM usage_events WHERE tenant_id = $1 AND at >= $2 AND at < $3",
    )
    .bind(tenant_id)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *tx)
    .await?;
    let total_cents = charge_cents(plan, calls);
    sqlx::query("INSERT INTO invoices (tenant_id, period_start, period_end, calls, total_cents) VALUES ($1, $2, $3, $4, $5)")
        .bind(tenant_id)
        .bind(start)
        .bind(end)
        .bind(calls)
        .bind(total_cents)
        .execute(&mut *tx)
        .await?;
    mailer.send_invoice_ready(tenant_id, total_cents).await?; // expect: side-effect-before-commit
    tx.commit().await?;

    info!(tenant_id, calls, total_cents, "invoice finalized");
    Ok(Invoice { tenant_id: tenant_id.to_string(), period_start: start, period_end: end, calls, total_cents })
}
