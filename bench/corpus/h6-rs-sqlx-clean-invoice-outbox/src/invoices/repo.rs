use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct NewInvoice {
    pub tenant_id: Uuid,
    pub period: String,
    pub currency: String,
    pub total: Decimal,
}

#[derive(Debug, sqlx::FromRow)]
pub struct LineItem {
    pub invoice_id: Uuid,
    pub description: String,
    pub quantity: i64,
    pub amount: Decimal,
}

pub async fn insert_invoice(conn: &mut PgConnection, inv: &NewInvoice) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO invoices (id, tenant_id, period, currency, total, status)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 'issued') RETURNING id",
    )
    .bind(inv.tenant_id)
    .bind(&inv.period)
    .bind(&inv.currency)
    .bind(inv.total)
    .fetch_one(conn)
    .await
}

pub async fn insert_line(
    conn: &mut PgConnection,
    invoice_id: Uuid,
    description: &str,
    quantity: i64,
    amount: Decimal,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO invoice_lines (invoice_id, description, quantity, amount) VALUES ($1, $2, $3, $4)")
        .bind(invoice_id)
        .bind(description)
        .bind(quantity)
        .bind(amount)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_outbox(conn: &mut PgConnection, topic: &str, key: Uuid, payload: &Value) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO outbox (id, topic, message_key, payload, created_at) VALUES (gen_random_uuid(), $1, $2, $3, now())")
        .bind(topic)
        .bind(key)
        .bind(payload)
        .execute(conn)
        .await?;
    Ok(())
}

/// Line items of several invoices in one round trip, restricted to the caller's tenant.
pub async fn lines_for_invoices(
    pool: &PgPool,
    tenant_id: Uuid,
    invoice_ids: &[Uuid],
) -> Result<Vec<LineItem>, sqlx::Error> {
    sqlx::query_as::<_, LineItem>(
        "SELECT l.invoice_id, l.description, l.quantity, l.amount
           FROM invoice_lines l
           JOIN invoices i ON i.id = l.invoice_id
          WHERE l.invoice_id = ANY($1) AND i.tenant_id = $2
          ORDER BY l.invoice_id, l.description",
    )
    .bind(invoice_ids)
    .bind(tenant_id)
    .fetch_all(pool)
    .await
}
