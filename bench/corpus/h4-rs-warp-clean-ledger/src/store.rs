use aws_sdk_dynamodb::{
    error::SdkError,
    operation::put_item::PutItemError,
    types::{AttributeValue, KeysAndAttributes},
    Client,
};
use rand::Rng;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::time::Duration;

const TABLE: &str = "ledger";
const MAX_UNPROCESSED_ROUNDS: u32 = 5;

pub type Item = HashMap<String, AttributeValue>;

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub async fn record_posting(
    db: &Client,
    tenant_id: &str,
    idempotency_key: &str,
    account: &str,
    amount: Decimal,
) -> anyhow::Result<bool> {
    let result = db
        .put_item()
        .table_name(TABLE)
        .item("pk", s(format!("TENANT#{tenant_id}")))
        .item("sk", s(format!("POSTING#{idempotency_key}")))
        .item("account", s(account))
        .item("amount", AttributeValue::N(amount.to_string()))
        .condition_expression("attribute_not_exists(sk)")
        .send()
        .await;
    match result {
        Ok(_) => Ok(true),
        Err(SdkError::ServiceError(e)) if matches!(e.err(), PutItemError::ConditionalCheckFailedException(_)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub async fn postings_since(db: &Client, tenant_id: &str, since: &str) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut start: Option<Item> = None;
    loop {
        let page = db
            .query()
            .table_name(TABLE)
            .index_name("tenant-by-created")
            .key_condition_expression("tenant_id = :t AND created_at >= :since")
            .expression_attribute_values(":t", s(tenant_id))
            .expression_attribute_values(":since", s(since))
            .set_exclusive_start_key(start.take())
            .send()
            .await?;
        items.extend(page.items().iter().cloned());
        match page.last_evaluated_key() {
            Some(key) => start = Some(key.clone()),
            None => break,
        }
    }
    Ok(items)
}

/// Loads accounts by id for a tenant. Ids come from the caller, so every returned item is checked
/// against the tenant partition before it is used.
pub async fn accounts_by_id(db: &Client, tenant_id: &str, ids: &[String]) -> anyhow::Result<Vec<Item>> {
    let partition = format!("TENANT#{tenant_id}");
    let keys: Vec<Item> = ids
        .iter()
        .map(|id| HashMap::from([("pk".to_owned(), s(&partition)), ("sk".to_owned(), s(format!("ACCOUNT#{id}")))]))
        .collect();
    let mut found = Vec::new();
    let mut pending = Some(HashMap::from([(
        TABLE.to_owned(),
        KeysAndAttributes::builder().set_keys(Some(keys)).build()?,
    )]));
    let mut round = 0;
    while let Some(request) = pending.take().filter(|r| !r.is_empty()) {
        if round == MAX_UNPROCESSED_ROUNDS {
            anyhow::bail!("batch_get_item left unprocessed keys after {round} rounds");
        }
        if round > 0 {
            let backoff = 50u64 * 2u64.pow(round);
            tokio::time::sleep(Duration::from_millis(rand::thread_rng().gen_range(0..=backoff))).await;
        }
        let out = db.batch_get_item().set_request_items(Some(request)).send().await?;
        if let Some(items) = out.responses().and_then(|r| r.get(TABLE)) {
            found.extend(items.iter().filter(|item| item.get("pk") == Some(&s(&partition))).cloned());
        }
        pending = out.unprocessed_keys().cloned();
        round += 1;
    }
    Ok(found)
}
