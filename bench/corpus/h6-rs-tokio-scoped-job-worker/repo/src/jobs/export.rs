use aws_sdk_dynamodb::types::AttributeValue;

use crate::tables::table_name;

pub async fn mark_export_ready(dynamo: &aws_sdk_dynamodb::Client, export_id: &str, object_key: &str) -> anyhow::Result<()> {
    dynamo
        .update_item()
        .table_name(table_name("exports"))
        .key("export_id", AttributeValue::S(export_id.into()))
        .update_expression("SET #s = :ready, object_key = :key")
        .expression_attribute_names("#s", "status")
        .expression_attribute_values(":ready", AttributeValue::S("ready".into()))
        .expression_attribute_values(":key", AttributeValue::S(object_key.into()))
        .send()
        .await?;
    Ok(())
}
