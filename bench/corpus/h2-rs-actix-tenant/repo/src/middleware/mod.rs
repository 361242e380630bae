pub mod auth;
pub mod tenant;
