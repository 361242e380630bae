use sqlx::{postgres::PgPoolOptions, PgPool};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Platform,
    Tenant(Option<String>),
    Operator,
}

pub fn schema_for(scope: &Scope) -> String { // expect: runtime-scope-validation
    match scope {
        Scope::Platform => "platform".to_owned(),
        Scope::Tenant(Some(id)) if id.chars().all(|c| c.is_ascii_alphanumeric()) => format!("tenant_{id}"),
        Scope::Tenant(Some(id)) => panic!("invalid tenant id {id}"),
        Scope::Tenant(None) => panic!("tenant scope used without a tenant id"),
        Scope::Operator => "ops".to_owned(),
    }
}

pub async fn pool(url: &str) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
}
