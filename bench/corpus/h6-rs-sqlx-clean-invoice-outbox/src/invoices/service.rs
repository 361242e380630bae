use chrono::Utc;
use serde_json::json;
use sqlx::PgPool;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::billing::period::{usage_charge, BillingPeriod};
use crate::billing::plans::Plan;
use crate::invoices::repo::{insert_invoice, insert_line, insert_outbox, NewInvoice};

pub async fn issue_invoice(
    pool: &PgPool,
    outbox_wakeup: &Notify,
    tenant_id: Uuid,
    plan: &Plan,
    billable_calls: i64,
) -> anyhow::Result<Uuid> {
    let period = BillingPeriod::previous_month(Utc::now());
    let total = usage_charge(billable_calls, plan.unit_price, plan.monthly_cap);

    let mut tx = pool.begin().await?;
    let invoice_id = insert_invoice(
        &mut tx,
        &NewInvoice { tenant_id, period: period.label(), currency: plan.currency.clone(), total },
    )
    .await?;
    insert_line(&mut tx, invoice_id, &format!("API calls {}", period.label()), billable_calls, total).await?;
    insert_outbox(
        &mut tx,
        "invoice.issued",
        invoice_id,
        &json!({ "invoice_id": invoice_id, "tenant_id": tenant_id, "total": total.to_string(), "currency": plan.currency }),
    )
    .await?;
    tx.commit().await?;

    // The relay publishes committed outbox rows; waking it early only saves its poll interval.
    outbox_wakeup.notify_one();
    tracing::info!(%tenant_id, %invoice_id, period = %period.label(), %total, "invoice issued");
    Ok(invoice_id)
}
