use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue, WriteRequest};
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, Utc};
use rand::Rng;

use super::StoreError;

const MAX_ATTEMPTS: u32 = 6;

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn backoff(attempt: u32) -> Duration {
    let cap_ms = 50u64.saturating_mul(1 << attempt.min(7)).min(5_000);
    Duration::from_millis(rand::thread_rng().gen_range(0..=cap_ms))
}

/// Each event is its own item keyed by (aggregate, version); the condition rejects a concurrent writer.
pub async fn append_event(ddb: &Client, table: &str, tenant_id: &str, aggregate_id: &str, version: u64, body: &str) -> Result<(), StoreError> {
    ddb.put_item()
        .table_name(table)
        .item("pk", s(format!("{tenant_id}#{aggregate_id}")))
        .item("sk", s(format!("v{version:020}")))
        .item("tenant_id", s(tenant_id))
        .item("body", s(body))
        .condition_expression("attribute_not_exists(sk)")
        .send()
        .await?;
    Ok(())
}

/// Writes all requests, retrying UnprocessedItems with capped exponential backoff and jitter.
pub async fn batch_write_all(ddb: &Client, table: &str, writes: Vec<WriteRequest>) -> Result<(), StoreError> {
    for chunk in writes.chunks(25) {
        let mut pending: HashMap<String, Vec<WriteRequest>> = HashMap::from([(table.to_owned(), chunk.to_vec())]);
        let mut attempt = 0;
        while !pending.is_empty() {
            if attempt == MAX_ATTEMPTS {
                return Err(StoreError::Unprocessed(pending.values().map(Vec::len).sum()));
            }
            if attempt > 0 {
                tokio::time::sleep(backoff(attempt)).await;
            }
            let out = ddb.batch_write_item().set_request_items(Some(pending)).send().await?;
            pending = out.unprocessed_items.unwrap_or_default().into_iter().filter(|(_, v)| !v.is_empty()).collect();
            attempt += 1;
        }
    }
    Ok(())
}

/// Recent events for one tenant: the GSI is partitioned by tenant.
pub async fn recent(ddb: &Client, table: &str, tenant_id: &str, since: DateTime<Utc>) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
    let out = ddb
        .query()
        .table_name(table)
        .index_name("gsi_tenant_created")
        .key_condition_expression("tenant_id = :t AND created_at > :since")
        .expression_attribute_values(":t", s(tenant_id))
        .expression_attribute_values(":since", s(since.to_rfc3339()))
        .send()
        .await?;
    Ok(out.items.unwrap_or_default())
}

/// Lease with a conditional write: succeeds only if free, expired, or already ours.
pub async fn try_lock(ddb: &Client, table: &str, tenant_id: &str, worker: &str) -> Result<bool, StoreError> {
    let now = Utc::now().timestamp();
    let res = ddb
        .put_item()
        .table_name(table)
        .item("pk", s(format!("{tenant_id}#LOCK#projection")))
        .item("owner", s(worker))
        .item("expires_at", AttributeValue::N((now + 60).to_string()))
        .condition_expression("attribute_not_exists(pk) OR expires_at < :now OR #o = :me")
        .expression_attribute_names("#o", "owner")
        .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
        .expression_attribute_values(":me", s(worker))
        .send()
        .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if e.as_service_error().map(|se| se.is_conditional_check_failed_exception()).unwrap_or(false) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
