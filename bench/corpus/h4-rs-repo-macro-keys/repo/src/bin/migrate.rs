use store::connect_pool; // expect: stale-dependents

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = connect_pool(&url).await?; // expect: stale-dependents
    sqlx::migrate!("./migrations").run(&pool).await?;
    tracing::info!("migrations applied");
    Ok(())
}
