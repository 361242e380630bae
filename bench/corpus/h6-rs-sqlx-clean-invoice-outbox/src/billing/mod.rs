pub mod period;
pub mod plans;
