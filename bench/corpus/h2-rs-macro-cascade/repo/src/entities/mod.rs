pub mod customer;
pub mod invoice;
pub mod order;

pub use customer::Customer;
pub use invoice::Invoice;
pub use order::Order;
