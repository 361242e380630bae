use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::{num::NonZeroU32, time::Duration};

use crate::auth::Verifier;

pub struct AppState {
    pub http: reqwest::Client,
    pub verifier: Verifier,
    pub limiter: DefaultKeyedRateLimiter<String>,
    pub pricing_url: String,
    pub flags_url: String,
    pub inventory_url: String,
}

impl AppState {
    pub fn from_env() -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(500))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            verifier: Verifier::from_env()?,
            limiter: RateLimiter::keyed(Quota::per_second(NonZeroU32::new(50).unwrap())),
            pricing_url: std::env::var("PRICING_URL")?,
            flags_url: std::env::var("FLAGS_URL")?,
            inventory_url: std::env::var("INVENTORY_URL")?,
        })
    }
}
