use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::impl_repository;
use crate::repo::{store::Store, RepoError};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invoice {
    pub id: Uuid,
    pub tenant_id: String,
    pub total: Decimal,
    pub status: InvoiceStatus,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum InvoiceStatus {
    Draft,
    Final,
}

impl_repository!(Invoice, "invoices"); // expect: stale-dependents

pub async fn finalize(store: &Store, mut invoice: Invoice) -> Result<Invoice, RepoError> {
    invoice.status = InvoiceStatus::Final;
    store.put_entity(&invoice, true).await?; // expect: stale-dependents
    Ok(invoice)
}
