#[macro_use]
pub mod macros;
pub mod orders;

use serde::Deserialize;
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::time::Duration;

#[derive(Debug, Clone, Deserialize)]
pub struct DbSettings {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout_ms: u64,
    pub env: String,
}

pub fn physical_table(env: &str, base: &str) -> String {
    format!("{env}_{base}")
}

#[deprecated(note = "use physical_table with the configured env")]
pub fn table_name(base: &str) -> String {
    let env = std::env::var("APP_ENV").unwrap_or_else(|_| "dev".into());
    physical_table(&env, base)
}

pub async fn connect(settings: &DbSettings) -> Result<PgPool, sqlx::Error> { // expect: stale-dependents
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_millis(settings.acquire_timeout_ms))
        .connect(&settings.url)
        .await
}
