use serde::{Deserialize, Serialize};

use crate::dynamo_entity;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub tenant_id: String,
    pub email: String,
}

dynamo_entity!(Customer, "customers"); // expect: stale-dependents
