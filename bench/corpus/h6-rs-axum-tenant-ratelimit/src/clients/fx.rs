use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum FxError {
    #[error("fx service request failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("no rate for {0}")]
    UnknownCurrency(String),
}

#[derive(Deserialize)]
struct RateResponse {
    rate: Decimal,
}

pub struct FxClient {
    base_url: String,
}

impl FxClient {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self { base_url: base_url.into() }
    }

    pub async fn rate(&self, from: &str, to: &str) -> Result<Decimal, FxError> {
        let http = reqwest::Client::new(); // expect: client-per-request
        let res = http
            .get(format!("{}/v1/rates/{from}/{to}", self.base_url))
            .send() // expect: no-timeout-or-fallback
            .await?;
        if res.status() == reqwest::StatusCode::NOT_FOUND {
            return Err(FxError::UnknownCurrency(to.to_owned()));
        }
        let body: RateResponse = res.error_for_status()?.json().await?;
        Ok(body.rate)
    }
}
