use std::collections::HashMap;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use chrono::Utc;
use serde_json::Value;

pub struct EventStore {
    client: Client,
    table: String,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

impl EventStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self { client, table: table.into() }
    }

    /// Appends the event to the aggregate item so a read needs a single GetItem.
    pub async fn append(&self, tenant_id: &str, aggregate_id: &str, event: &Value) -> anyhow::Result<()> {
        self.client
            .update_item() // expect: dynamodb-item-growth
            .table_name(&self.table)
            .key("pk", s(format!("T#{tenant_id}#AGG#{aggregate_id}")))
            .key("sk", s("STATE"))
            .update_expression("SET events = list_append(if_not_exists(events, :empty), :ev), version = version + :one")
            .expression_attribute_values(":ev", AttributeValue::L(vec![s(event.to_string())]))
            .expression_attribute_values(":empty", AttributeValue::L(vec![]))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .send()
            .await?;
        Ok(())
    }

    /// One item per event, versioned sort key; the aggregate keeps only a counter.
    pub async fn append_as_item(&self, tenant_id: &str, aggregate_id: &str, version: u64, event: &Value) -> anyhow::Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(format!("T#{tenant_id}#AGG#{aggregate_id}")))
            .item("sk", s(format!("EV#{version:012}")))
            .item("tenant_id", s(tenant_id))
            .item("body", s(event.to_string()))
            .condition_expression("attribute_not_exists(sk)")
            .send()
            .await?;
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(format!("T#{tenant_id}#AGG#{aggregate_id}")))
            .key("sk", s("STATE"))
            .update_expression("ADD event_count :one")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .send()
            .await?;
        Ok(())
    }

    pub async fn events_since(&self, tenant_id: &str, since: chrono::DateTime<Utc>) -> anyhow::Result<Vec<HashMap<String, AttributeValue>>> {
        let out = self
            .client
            .query() // expect: cross-tenant-index-query
            .table_name(&self.table)
            .index_name("gsi_created_at")
            .key_condition_expression("created_day = :day AND created_at >= :since")
            .expression_attribute_values(":day", s(since.format("%Y-%m-%d").to_string()))
            .expression_attribute_values(":since", s(since.to_rfc3339()))
            .send()
            .await?;
        let _ = tenant_id;
        Ok(out.items.unwrap_or_default())
    }

    pub async fn tenant_events_since(&self, tenant_id: &str, since: chrono::DateTime<Utc>) -> anyhow::Result<Vec<HashMap<String, AttributeValue>>> {
        let items = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("gsi_tenant_created")
            .key_condition_expression("tenant_id = :t AND created_at >= :since")
            .expression_attribute_values(":t", s(tenant_id))
            .expression_attribute_values(":since", s(since.to_rfc3339()))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await?;
        Ok(items)
    }

    pub async fn import(&self, tenant_id: &str, events: Vec<Value>) -> anyhow::Result<()> {
        for chunk in events.chunks(25) {
            let writes: Vec<WriteRequest> = chunk
                .iter()
                .enumerate()
                .map(|(i, ev)| {
                    let put = PutRequest::builder()
                        .item("pk", s(format!("T#{tenant_id}#IMPORT")))
                        .item("sk", s(format!("{}#{i}", Utc::now().timestamp_nanos_opt().unwrap_or_default())))
                        .item("body", s(ev.to_string()))
                        .build()
                        .expect("pk and sk set");
                    WriteRequest::builder().put_request(put).build()
                })
                .collect();
            self.client.batch_write_item().request_items(&self.table, writes).send().await?; // expect: unprocessed-items-ignored
            println!("imported {} events for tenant {}", chunk.len(), tenant_id); // expect: unstructured-logging
        }
        Ok(())
    }

    pub async fn acquire_projection_lock(&self, tenant_id: &str, projection: &str, owner: &str) -> anyhow::Result<bool> {
        let key = s(format!("T#{tenant_id}#LOCK#{projection}"));
        let current = self.client.get_item().table_name(&self.table).key("pk", key.clone()).key("sk", s("LOCK")).send().await?;
        let now = Utc::now().timestamp();
        if let Some(item) = current.item() {
            let expires = item.get("expires_at").and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
            if expires > now {
                return Ok(false);
            }
        }
        self.client // expect: check-then-act-lock
            .put_item()
            .table_name(&self.table)
            .item("pk", key)
            .item("sk", s("LOCK"))
            .item("owner", s(owner))
            .item("expires_at", AttributeValue::N((now + 60).to_string()))
            .send()
            .await?;
        Ok(true)
    }

    pub async fn put_snapshot(&self, tenant_id: &str, aggregate_id: &str, state: &Value) -> anyhow::Result<()> {
        loop { // expect: retry-without-backoff
            let res = self
                .client
                .put_item()
                .table_name(&self.table)
                .item("pk", s(format!("T#{tenant_id}#AGG#{aggregate_id}")))
                .item("sk", s("SNAPSHOT"))
                .item("state", s(state.to_string()))
                .send()
                .await;
            match res {
                Ok(_) => return Ok(()),
                Err(SdkError::ServiceError(e)) if matches!(e.err(), PutItemError::ProvisionedThroughputExceededException(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}
