use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub order_id: String,
    pub total_minor: i64,
    pub currency: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct OrderCancelled {
    pub order_id: String,
    pub reason: String,
}

event_type!(OrderPlaced, "order.placed", v = 2);
event_type!(OrderCancelled, "order.cancelled", v = 1);
