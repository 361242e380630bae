use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::impl_repository;
use crate::repo::{store::Store, RepoError};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Customer {
    pub id: Uuid,
    pub tenant_id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl_repository!(Customer, "customers", "customer_id");

pub async fn create_customer(store: &Store, tenant_id: &str) -> Result<Customer, RepoError> {
    let entity = Customer { id: Uuid::new_v4(), tenant_id: tenant_id.to_owned(), created_at: chrono::Utc::now() };
    store.save_entity(&entity, false).await?;
    tracing::info!(tenant = %tenant_id, id = %entity.id, "customer created");
    Ok(entity)
}
