use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::Notify;

use crate::billing::plans::PlanStore;
use crate::usage::UsageStore;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub plans: Arc<PlanStore>,
    pub usage: Arc<UsageStore>,
    /// Wakes the outbox relay task (spawned in main) after a commit that wrote outbox rows.
    pub outbox_wakeup: Arc<Notify>,
}
