use std::io::Write;
use eventstore::store::{load_stream, EventStore}; // expect: stale-dependents

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let stream_id = std::env::args().nth(1).ok_or_else(|| anyhow::anyhow!("usage: replay <stream-id>"))?;
    let pool = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let store = EventStore::new(pool);
    let mut out = std::io::stdout().lock();
    for event in load_stream(&store, &stream_id).await? { // expect: stale-dependents
        writeln!(out, "{}\t{}\t{}", event.version, event.event_type, event.payload)?;
    }
    Ok(())
}
