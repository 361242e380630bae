use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct InvoiceIssued {
    pub invoice_id: String,
    pub order_id: String,
    pub amount_minor: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PaymentCaptured {
    pub invoice_id: String,
    pub psp_reference: String,
}

event_type!(InvoiceIssued, "billing.invoice_issued"); // expect: stale-dependents
event_type!(PaymentCaptured, "billing.payment_captured"); // expect: stale-dependents
