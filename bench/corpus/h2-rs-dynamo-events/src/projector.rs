use std::time::Duration;

use rand::Rng;
use tracing::{info, warn};

use crate::store::EventStore;

const MAX_ATTEMPTS: u32 = 5;

/// Runs one projection pass for a tenant, retrying throttled passes with capped exponential backoff and jitter.
pub async fn run_projection(store: &EventStore, tenant_id: &str, worker_id: &str) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match store.acquire_projection_lock(tenant_id, "balances", worker_id).await {
            Ok(true) => break,
            Ok(false) => {
                info!(tenant_id, worker_id, "projection lock held elsewhere");
                return Ok(());
            }
            Err(e) if attempt < MAX_ATTEMPTS => {
                let cap = 100u64 * 2u64.pow(attempt);
                let delay = rand::thread_rng().gen_range(0..=cap.min(5_000));
                warn!(tenant_id, attempt, delay_ms = delay, error = %e, "lock attempt failed, backing off");
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            Err(e) => return Err(e),
        }
    }
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let events = store.tenant_events_since(tenant_id, since).await?;
    info!(tenant_id, count = events.len(), "projected events");
    Ok(())
}
