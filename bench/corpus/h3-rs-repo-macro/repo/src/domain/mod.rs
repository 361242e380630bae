pub mod customers;
pub mod invoices;
pub mod orders;
pub mod shipments;
