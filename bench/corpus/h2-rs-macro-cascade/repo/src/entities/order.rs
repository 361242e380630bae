use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub tenant_id: String,
    pub status: String,
}

crate::dynamo_entity!(Order, "orders"); // expect: stale-dependents
