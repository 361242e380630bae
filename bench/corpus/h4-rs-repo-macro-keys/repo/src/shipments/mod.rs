use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Shipment {
    pub id: String,
    pub order_id: String,
    pub carrier: String,
}

#[allow(deprecated)]
pub async fn shipments_for_order(pool: &PgPool, order_id: &str) -> Result<Vec<Shipment>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT * FROM {} WHERE order_id = $1", crate::table_name("shipments")))
        .bind(order_id)
        .fetch_all(pool)
        .await
}
