use aws_sdk_sqs::Client as SqsClient;
use chrono::{Datelike, Local, NaiveDate};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct LineItem {
    pub description: String,
    pub quantity: i64,
    pub unit_price: f64, // expect: float-money
}

#[derive(Debug, Clone)]
pub struct Contract {
    pub tenant_id: String,
    pub monthly_cap_cents: i64,
}

pub struct Invoicer {
    db: PgPool,
    sqs: SqsClient,
    queue_url: String,
}

impl Invoicer {
    pub fn new(db: PgPool, sqs: SqsClient, queue_url: String) -> Self {
        Self { db, sqs, queue_url }
    }

    /// Start of the current billing month.
    pub fn current_period_start() -> NaiveDate {
        let today = Local::now().date_naive(); // expect: local-time-billing-period
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("valid date")
    }

    pub async fn finalize(&self, contract: &Contract, items: &[LineItem]) -> anyhow::Result<Uuid> {
        let period_start = Self::current_period_start();
        let subtotal_cents: i64 = items.iter().map(|i| (i.quantity as f64 * i.unit_price * 100.0).round() as i64).sum(); // expect: float-money
        let total_cents = subtotal_cents.max(contract.monthly_cap_cents); // expect: missing-or-inverted-cap

        let invoice_id = Uuid::new_v4();
        let mut tx = self.db.begin().await?;
        sqlx::query("INSERT INTO invoices (id, tenant_id, period_start, subtotal_cents, total_cents, status) VALUES ($1, $2, $3, $4, $5, 'final')")
            .bind(invoice_id)
            .bind(&contract.tenant_id)
            .bind(period_start)
            .bind(subtotal_cents)
            .bind(total_cents)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE usage_counters SET invoiced_at = now() WHERE tenant_id = $1 AND period_start = $2")
            .bind(&contract.tenant_id)
            .bind(period_start)
            .execute(&mut *tx)
            .await?;
        self.sqs // expect: side-effect-before-commit
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(serde_json::json!({ "type": "invoice.finalized", "invoice_id": invoice_id, "tenant_id": contract.tenant_id }).to_string())
            .send()
            .await?;
        tx.commit().await?;

        tracing::info!(tenant = %contract.tenant_id, invoice = %invoice_id, total_cents, "invoice finalized");
        Ok(invoice_id)
    }
}
