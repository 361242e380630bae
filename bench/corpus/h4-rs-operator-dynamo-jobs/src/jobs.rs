use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client as DynamoClient;
use axum::{extract::{Path, State}, http::StatusCode, Json};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

use crate::accounts::Accounts;
use crate::error::OperatorError;

const JOBS_TABLE: &str = "operator_jobs";

pub struct AppState {
    pub accounts: Arc<Accounts>,
    pub jobs: DynamoClient,
    pub ssm: aws_sdk_ssm::Client,
}

#[derive(Deserialize)]
pub struct JobDefinition {
    pub job_id: String,
    pub kind: String,
    pub schedule: String,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub async fn append_history(db: &DynamoClient, tenant_id: &str, job_id: &str, entry: &str) -> Result<(), OperatorError> {
    db.update_item() // expect: dynamodb-item-growth
        .table_name(JOBS_TABLE)
        .key("pk", s(format!("TENANT#{tenant_id}")))
        .key("sk", s(format!("JOB#{job_id}")))
        .update_expression("SET history = list_append(if_not_exists(history, :empty), :entry)")
        .expression_attribute_values(":entry", AttributeValue::L(vec![s(entry)]))
        .expression_attribute_values(":empty", AttributeValue::L(vec![]))
        .send()
        .await?;
    Ok(())
}

pub async fn acquire_job_lock(db: &DynamoClient, tenant_id: &str, job_id: &str, owner: &str) -> Result<bool, OperatorError> {
    let key = format!("LOCK#{tenant_id}#{job_id}");
    let existing = db
        .get_item()
        .table_name(JOBS_TABLE)
        .key("pk", s(&key))
        .key("sk", s("LOCK"))
        .consistent_read(true)
        .send()
        .await?;
    if existing.item().is_some() {
        return Ok(false);
    }
    db.put_item() // expect: check-then-act-lock
        .table_name(JOBS_TABLE)
        .item("pk", s(&key))
        .item("sk", s("LOCK"))
        .item("owner", s(owner))
        .send()
        .await?;
    Ok(true)
}

pub async fn running_jobs(db: &DynamoClient, tenant_id: &str) -> Result<Vec<HashMap<String, AttributeValue>>, OperatorError> {
    let out = db
        .query() // expect: cross-tenant-index-query
        .table_name(JOBS_TABLE)
        .index_name("by-status")
        .key_condition_expression("#st = :running")
        .expression_attribute_names("#st", "status")
        .expression_attribute_values(":running", s("RUNNING"))
        .send()
        .await?;
    tracing::debug!(%tenant_id, count = out.count(), "running jobs loaded");
    Ok(out.items().to_vec())
}

pub async fn import_definitions(
    State(state): State<Arc<AppState>>,
    Path(tenant_id): Path<String>,
    Json(defs): Json<Vec<JobDefinition>>,
) -> Result<StatusCode, OperatorError> {
    let api_base = state // expect: secret-fetch-per-request
        .ssm
        .get_parameter()
        .name("/operator/runner-api-base")
        .send()
        .await?;
    for chunk in defs.chunks(25) {
        let writes: Vec<WriteRequest> = chunk
            .iter()
            .map(|d| {
                let put = PutRequest::builder()
                    .item("pk", s(format!("TENANT#{tenant_id}")))
                    .item("sk", s(format!("JOB#{}", d.job_id)))
                    .item("kind", s(&d.kind))
                    .item("schedule", s(&d.schedule))
                    .build()
                    .expect("pk and sk set");
                WriteRequest::builder().put_request(put).build()
            })
            .collect();
        state.jobs.batch_write_item().request_items(JOBS_TABLE, writes).send().await?; // expect: unprocessed-items-ignored
    }
    tracing::info!(%tenant_id, imported = defs.len(), runner = ?api_base.parameter().and_then(|p| p.name()), "definitions imported");
    Ok(StatusCode::CREATED)
}

pub async fn run_job(
    State(state): State<Arc<AppState>>,
    Path((tenant_id, account, job_id)): Path<(String, String, String)>,
) -> Result<StatusCode, OperatorError> {
    if !acquire_job_lock(&state.jobs, &tenant_id, &job_id, "operator").await? {
        return Ok(StatusCode::CONFLICT);
    }
    let tenant_db = state.accounts.tenant_dynamo(&account).await?;
    let mut attempts = 0;
    let result = loop { // expect: retry-without-backoff
        attempts += 1;
        match tenant_db.describe_table().table_name("app_data").send().await {
            Ok(out) => break out,
            Err(err) => tracing::warn!(%tenant_id, %job_id, attempts, error = %err, "describe_table failed, retrying"),
        }
    };
    append_history(&state.jobs, &tenant_id, &job_id, &format!("checked {:?}", result.table().map(|t| t.item_count()))).await?;
    Ok(StatusCode::ACCEPTED)
}
