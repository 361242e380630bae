use serde::Serialize;

define_repo!(CustomerRepo, "customers"); // expect: stale-dependents

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Customer {
    pub id: String,
    pub email: String,
    pub country: String,
}

pub async fn customer_country(repo: &CustomerRepo, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(repo.find::<Customer>(id).await?.map(|c| c.country))
}
