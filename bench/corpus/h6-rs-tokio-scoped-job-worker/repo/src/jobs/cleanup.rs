use aws_sdk_dynamodb::types::AttributeValue;

use crate::tables;

/// Deletes finished jobs older than the retention window (platform-wide sweep).
pub async fn purge_expired(dynamo: &aws_sdk_dynamodb::Client, cutoff: &str) -> anyhow::Result<usize> {
    let table = tables::table_name("jobs");
    let mut deleted = 0;
    let mut start_key = None;
    loop {
        let page = dynamo
            .query()
            .table_name(&table)
            .index_name("status-completed_at-index")
            .key_condition_expression("#s = :done AND completed_at < :cutoff")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":done", AttributeValue::S("completed".into()))
            .expression_attribute_values(":cutoff", AttributeValue::S(cutoff.into()))
            .set_exclusive_start_key(start_key)
            .send()
            .await?;
        for item in page.items() {
            if let Some(id) = item.get("job_id") {
                dynamo.delete_item().table_name(&table).key("job_id", id.clone()).send().await?;
                deleted += 1;
            }
        }
        start_key = page.last_evaluated_key().cloned();
        if start_key.is_none() {
            return Ok(deleted);
        }
    }
}
