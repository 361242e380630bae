use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::impl_repository;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shipment {
    pub id: Uuid,
    pub tenant_id: String,
    pub order_id: Uuid,
    pub carrier: String,
    pub tracking_number: Option<String>,
}

impl_repository!(Shipment, "shipments"); // expect: stale-dependents
