use crate::domain::orders::Order;
use crate::repo::{store::Store, RepoError};

/// One-off backfill; already uses the new name from the feature branch it was written on.
pub async fn backfill(store: &Store, orders: &[Order]) -> Result<(), RepoError> {
    for chunk in orders.chunks(25) {
        futures::future::try_join_all(chunk.iter().map(|o| store.save_entity(o, true))).await?;
    }
    Ok(())
}
