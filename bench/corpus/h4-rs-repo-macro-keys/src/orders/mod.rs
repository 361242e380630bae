use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[sqlx(transparent)]
pub struct OrderId(pub String);

impl AsRef<str> for OrderId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

define_repo!(OrderRepo, "orders", OrderId);

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Order {
    pub id: OrderId,
    pub customer_id: String,
    pub total_minor: i64,
}

pub async fn order_summary(repo: &OrderRepo, id: &OrderId) -> Result<Option<Order>, sqlx::Error> {
    repo.find::<Order>(id).await
}
