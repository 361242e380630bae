use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use aws_sdk_sqs::types::Message;
use serde::Deserialize;
use tokio::sync::watch;
use tracing::Instrument;

use crate::tables::{table_name, Scope};

const MAX_PUBLISH_ATTEMPTS: u32 = 5;

#[derive(Clone)]
pub struct WorkerCtx {
    pub sqs: aws_sdk_sqs::Client,
    pub dynamo: aws_sdk_dynamodb::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub queue_url: String,
    pub event_bus: String,
}

#[derive(Debug, Deserialize)]
struct JobMessage {
    job_id: String,
    tenant_code: String,
    kind: String,
}

pub async fn run(ctx: WorkerCtx, mut shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    let mut failures: u32 = 0;
    loop {
        let received = tokio::select! {
            _ = shutdown.changed() => break,
            res = ctx.sqs.receive_message()
                .queue_url(&ctx.queue_url)
                .max_number_of_messages(10)
                .wait_time_seconds(20)
                .send() => res,
        };

        let output = match received {
            Ok(output) => {
                failures = 0;
                output
            }
            Err(err) => {
                failures = (failures + 1).min(6);
                let delay = Duration::from_millis(200 * 2u64.pow(failures)) + jitter();
                tracing::warn!(error = %err, ?delay, "receive_message failed, backing off");
                tokio::time::sleep(delay).await;
                continue;
            }
        };

        for message in output.messages() {
            let span = tracing::info_span!("job", message_id = ?message.message_id(), job_id = tracing::field::Empty);
            if let Err(err) = handle(&ctx, message).instrument(span).await {
                // Left on the queue: SQS redelivers after the visibility timeout, then the DLQ takes it.
                tracing::error!(error = %err, message_id = ?message.message_id(), "job failed");
            }
        }
    }
    tracing::info!("worker stopped");
    Ok(())
}

async fn handle(ctx: &WorkerCtx, message: &Message) -> anyhow::Result<()> {
    let job: JobMessage = serde_json::from_str(message.body().unwrap_or_default())?;
    tracing::Span::current().record("job_id", job.job_id.as_str());

    let jobs_table = table_name(Scope::Tenant, Some(&job.tenant_code), "jobs")?;
    ctx.dynamo
        .update_item()
        .table_name(&jobs_table)
        .key("job_id", AttributeValue::S(job.job_id.clone()))
        .update_expression("SET #s = :done, completed_at = :now")
        .condition_expression("#s = :running")
        .expression_attribute_names("#s", "status")
        .expression_attribute_values(":done", AttributeValue::S("completed".into()))
        .expression_attribute_values(":running", AttributeValue::S("running".into()))
        .expression_attribute_values(":now", AttributeValue::S(chrono::Utc::now().to_rfc3339()))
        .send()
        .await?;

    publish_completion(ctx, &job).await;

    if let Some(handle) = message.receipt_handle() {
        ctx.sqs.delete_message().queue_url(&ctx.queue_url).receipt_handle(handle).send().await?;
    }
    Ok(())
}

async fn publish_completion(ctx: &WorkerCtx, job: &JobMessage) {
    let entry = PutEventsRequestEntry::builder()
        .event_bus_name(&ctx.event_bus)
        .source("jobs.worker")
        .detail_type("job.completed")
        .detail(serde_json::json!({ "job_id": job.job_id, "tenant": job.tenant_code, "kind": job.kind }).to_string())
        .build();

    for attempt in 1..=MAX_PUBLISH_ATTEMPTS { // expect: retry-without-backoff
        match ctx.events.put_events().entries(entry.clone()).send().await {
            Ok(out) if out.failed_entry_count() == 0 => return,
            Ok(out) => tracing::warn!(attempt, failed = out.failed_entry_count(), "completion event rejected, retrying"),
            Err(err) => tracing::warn!(attempt, error = %err, "put_events failed, retrying"),
        }
    }
    tracing::error!(job_id = %job.job_id, "giving up on job.completed event");
}

fn jitter() -> Duration {
    Duration::from_millis(rand::random::<u64>() % 250)
}
