use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Duration;

#[derive(Deserialize)]
struct RatesResponse {
    rates: HashMap<String, Decimal>,
}

pub struct FxRates {
    http: reqwest::Client,
    url: String,
    last_good: RwLock<HashMap<String, Decimal>>,
}

impl FxRates {
    pub fn new(url: String) -> reqwest::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .connect_timeout(Duration::from_millis(300))
            .build()?;
        Ok(Self { http, url, last_good: RwLock::new(HashMap::new()) })
    }

    async fn fetch(&self) -> reqwest::Result<HashMap<String, Decimal>> {
        Ok(self.http.get(&self.url).send().await?.error_for_status()?.json::<RatesResponse>().await?.rates)
    }

    /// Latest rates; on failure the last good set is served and the failure is logged.
    pub async fn rates(&self) -> HashMap<String, Decimal> {
        match self.fetch().await {
            Ok(rates) => {
                *self.last_good.write().expect("fx lock poisoned") = rates.clone();
                rates
            }
            Err(err) => {
                tracing::warn!(error = %err, "fx service unavailable, serving cached rates");
                self.last_good.read().expect("fx lock poisoned").clone()
            }
        }
    }
}
