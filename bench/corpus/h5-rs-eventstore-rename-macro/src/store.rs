use crate::{EventEnvelope, EventStoreError};
use sqlx::PgPool;

pub struct EventStore {
    pool: PgPool,
}

impl EventStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

pub async fn read_stream( // expect: stale-dependents
    store: &EventStore,
    stream_id: &str,
    from_version: i64,
) -> Result<Vec<EventEnvelope>, EventStoreError> {
    let rows = sqlx::query_as::<_, EventEnvelope>(
        "SELECT stream_id, version, event_type, schema_version, payload FROM events \
         WHERE stream_id = $1 AND version > $2 ORDER BY version LIMIT 1000",
    )
    .bind(stream_id)
    .bind(from_version)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows)
}
