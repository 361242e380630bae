use serde::Serialize;

define_repo!(InvoiceRepo, "invoices"); // expect: stale-dependents

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Invoice {
    pub id: String,
    pub order_id: String,
    pub total_minor: i64,
    pub currency: String,
}

pub async fn invoice_total(repo: &InvoiceRepo, id: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    Ok(repo.find::<Invoice>(id).await?.map(|i| (i.total_minor, i.currency)))
}
