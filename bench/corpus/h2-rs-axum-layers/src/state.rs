use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub http: reqwest::Client,
    pub decoding_key: Arc<DecodingKey>,
    pub issuer: String,
    pub directory_url: String,
}

impl AppState {
    pub async fn from_env() -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(20)
            .acquire_timeout(Duration::from_secs(3))
            .connect(&std::env::var("DATABASE_URL")?)
            .await?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(500))
            .timeout(Duration::from_secs(3))
            .build()?;
        let pem = std::env::var("JWT_PUBLIC_KEY_PEM")?;
        Ok(AppState {
            pool,
            http,
            decoding_key: Arc::new(DecodingKey::from_ec_pem(pem.as_bytes())?),
            issuer: std::env::var("JWT_ISSUER")?,
            directory_url: std::env::var("DIRECTORY_URL")?,
        })
    }
}
