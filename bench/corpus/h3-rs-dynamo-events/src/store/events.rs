use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::retry::retry_throttled;
use super::StoreError;

pub struct EventStore {
    ddb: Client,
    table: String,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

impl EventStore {
    pub fn new(ddb: Client, table: impl Into<String>) -> Self {
        Self { ddb, table: table.into() }
    }

    /// Appends a domain event to the aggregate item.
    pub async fn append(&self, tenant_id: &str, aggregate_id: &str, event: &Value) -> Result<(), StoreError> {
        let ev = AttributeValue::L(vec![s(event.to_string())]);
        retry_throttled(|| {
            self.ddb
                .update_item() // expect: dynamodb-item-growth
                .table_name(&self.table)
                .key("pk", s(format!("{tenant_id}#{aggregate_id}")))
                .update_expression("SET events = list_append(if_not_exists(events, :empty), :ev), version = version + :one")
                .expression_attribute_values(":ev", ev.clone())
                .expression_attribute_values(":empty", AttributeValue::L(vec![]))
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .send()
        })
        .await?;
        Ok(())
    }

    /// Events created since `since` for the tenant's activity feed.
    pub async fn recent(&self, tenant_id: &str, since: DateTime<Utc>) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        tracing::debug!(tenant = %tenant_id, "loading recent events");
        let out = self
            .ddb
            .query() // expect: cross-tenant-index-query
            .table_name(&self.table)
            .index_name("gsi_created_at")
            .key_condition_expression("entity = :entity AND created_at > :since")
            .expression_attribute_values(":entity", s("event"))
            .expression_attribute_values(":since", s(since.to_rfc3339()))
            .send()
            .await?;
        Ok(out.items.unwrap_or_default())
    }

    /// Loads several aggregates by id for the bulk view; ids come from the client.
    pub async fn load_many(&self, tenant_id: &str, ids: &[String]) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        let keys = ids.iter().map(|id| HashMap::from([("pk".to_owned(), s(id.clone()))])).collect::<Vec<_>>();
        tracing::debug!(tenant = %tenant_id, count = keys.len(), "batch load");
        let out = self
            .ddb
            .batch_get_item() // expect: batch-without-tenant-check
            .request_items(&self.table, KeysAndAttributes::builder().set_keys(Some(keys)).build()?)
            .send()
            .await?;
        Ok(out.responses.and_then(|mut r| r.remove(&self.table)).unwrap_or_default())
    }

    /// Writes projection snapshots, 25 per BatchWriteItem.
    pub async fn save_snapshots(&self, tenant_id: &str, snapshots: Vec<(String, Value)>) -> Result<(), StoreError> {
        for chunk in snapshots.chunks(25) {
            let writes = chunk
                .iter()
                .map(|(id, body)| {
                    let item = HashMap::from([
                        ("pk".to_owned(), s(format!("{tenant_id}#{id}"))),
                        ("sk".to_owned(), s("SNAPSHOT")),
                        ("body".to_owned(), s(body.to_string())),
                    ]);
                    WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item)).build().unwrap()).build()
                })
                .collect::<Vec<_>>();
            self.ddb.batch_write_item().request_items(&self.table, writes).send().await?; // expect: unprocessed-items-ignored
        }
        Ok(())
    }

    /// Single projection worker per tenant.
    pub async fn try_lock_projection(&self, tenant_id: &str, worker: &str) -> Result<bool, StoreError> {
        let key = s(format!("{tenant_id}#LOCK#projection"));
        let now = Utc::now().timestamp();
        let current = self.ddb.get_item().table_name(&self.table).key("pk", key.clone()).consistent_read(true).send().await?;
        let held = current
            .item
            .and_then(|i| i.get("expires_at").and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<i64>().ok()))
            .map(|exp| exp > now)
            .unwrap_or(false);
        if held {
            return Ok(false);
        }
        self.ddb // expect: check-then-act-lock
            .put_item()
            .table_name(&self.table)
            .item("pk", key)
            .item("owner", s(worker))
            .item("expires_at", AttributeValue::N((now + 60).to_string()))
            .send()
            .await?;
        Ok(true)
    }
}
