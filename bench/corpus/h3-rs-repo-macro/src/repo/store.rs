use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use serde::Serialize;

use super::{Repository, RepoError};

pub struct Store {
    ddb: Client,
    prefix: String,
}

impl Store {
    pub fn new(ddb: Client, prefix: impl Into<String>) -> Self {
        Self { ddb, prefix: prefix.into() }
    }

    fn table<R: Repository>(&self) -> String {
        format!("{}{}", self.prefix, R::TABLE)
    }

    /// Writes the entity; fails if an entity with the same key exists and `overwrite` is false.
    pub async fn save_entity<R: Repository + Serialize>(&self, entity: &R, overwrite: bool) -> Result<(), RepoError> { // expect: stale-dependents
        let mut item = serde_dynamo::to_item(entity)?;
        item.insert(R::KEY.to_owned(), AttributeValue::S(entity.key()));
        let mut req = self.ddb.put_item().table_name(self.table::<R>()).set_item(Some(item));
        if !overwrite {
            req = req.condition_expression(format!("attribute_not_exists({})", R::KEY));
        }
        req.send().await?;
        Ok(())
    }
}
