use serde::{Deserialize, Serialize};

use crate::store::EventStoreError;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub tenant_id: String,
    pub total_cents: i64,
}

crate::dynamo_entity!(Invoice, "invoices", EventStoreError);
