use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::prelude::*;
use rust_decimal::Decimal;
use sqlx::PgPool;

use crate::events::EventBus;

/// Start of the customer's billing month, in the customer's own time zone.
pub fn customer_month_start(now: DateTime<Utc>, tz: Tz) -> DateTime<Tz> {
    let local = now.with_timezone(&tz);
    tz.from_local_datetime(&NaiveDate::from_ymd_opt(local.year(), local.month(), 1).unwrap().and_hms_opt(0, 0, 0).unwrap())
        .earliest()
        .expect("midnight exists or is shifted forward")
}

/// Pro-rated refund for the unused days, in integer cents, never more than what was paid.
pub fn prorated_refund_cents(paid_cents: i64, days_in_period: u32, unused_days: u32) -> i64 {
    let paid = Decimal::from(paid_cents);
    let share = Decimal::from(unused_days) / Decimal::from(days_in_period);
    let refund = (paid * share).round_dp_with_strategy(0, RoundingStrategy::ToZero);
    refund.to_i64().unwrap_or(0).min(paid_cents)
}

pub async fn issue_refund(pool: &PgPool, bus: &EventBus, invoice_id: i64, refund_cents: i64) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO refunds (invoice_id, amount_cents) VALUES ($1, $2)")
        .bind(invoice_id)
        .bind(refund_cents)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE invoices SET refunded_cents = refunded_cents + $2 WHERE id = $1")
        .bind(invoice_id)
        .bind(refund_cents)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    bus.publish("refund.issued", serde_json::json!({ "invoice_id": invoice_id, "amount_cents": refund_cents })).await?;
    Ok(())
}
