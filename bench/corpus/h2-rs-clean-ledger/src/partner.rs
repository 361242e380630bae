use std::time::Duration;

use futures::{stream, StreamExt, TryStreamExt};
use rand::Rng;
use tracing::warn;

/// Partner client shared by all requests: one connection pool, explicit timeouts.
#[derive(Clone)]
pub struct Partner {
    http: reqwest::Client,
    base: String,
}

impl Partner {
    pub fn new(base: String) -> reqwest::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(4))
            .pool_max_idle_per_host(16)
            .build()?;
        Ok(Self { http, base })
    }

    pub async fn push(&self, correlation_id: &str, body: &serde_json::Value) -> anyhow::Result<()> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let res = self.http.post(format!("{}/ingest", self.base)).header("x-correlation-id", correlation_id).json(body).send().await;
            match res {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) if r.status().is_server_error() && attempt < 4 => warn!(correlation_id, attempt, status = %r.status(), "partner 5xx"),
                Err(e) if e.is_timeout() && attempt < 4 => warn!(correlation_id, attempt, "partner timeout"),
                Ok(r) => anyhow::bail!("partner rejected push: {}", r.status()),
                Err(e) => return Err(e.into()),
            }
            let backoff = 200u64 * 2u64.pow(attempt);
            let jitter = rand::thread_rng().gen_range(0..backoff / 2);
            tokio::time::sleep(Duration::from_millis(backoff + jitter)).await;
        }
    }

    /// Pushes many documents with at most eight in flight.
    pub async fn push_all(&self, correlation_id: &str, docs: Vec<serde_json::Value>) -> anyhow::Result<()> {
        stream::iter(docs)
            .map(|d| async move { self.push(correlation_id, &d).await })
            .buffer_unordered(8)
            .try_collect::<Vec<_>>()
            .await?;
        Ok(())
    }
}
