use aws_sdk_sns::types::PublishBatchRequestEntry;
use axum::{extract::{Path, State}, http::StatusCode, Extension, Json};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

use crate::auth::Principal;
use crate::invoices::AppState;

#[derive(Deserialize)]
pub struct NewCreditNote {
    pub amount_minor: i64,
    pub reason: String,
}

#[derive(Serialize)]
struct CreditNoteIssued {
    credit_note_id: Uuid,
    invoice_id: Uuid,
    tenant_id: String,
    amount_minor: i64,
}

pub async fn issue_credit_note(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Path(invoice_id): Path<Uuid>,
    Json(body): Json<NewCreditNote>,
) -> Result<StatusCode, StatusCode> {
    if body.amount_minor <= 0 {
        return Err(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let credit_note_id = Uuid::new_v4();
    let event = CreditNoteIssued {
        credit_note_id,
        invoice_id,
        tenant_id: principal.tenant_id.clone(),
        amount_minor: body.amount_minor,
    };
    let mut tx = state.db.begin().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let inserted = sqlx::query(
        "INSERT INTO credit_notes (id, invoice_id, tenant_id, amount_minor, reason) \
         SELECT $1, i.id, i.tenant_id, $3, $4 FROM invoices i \
         WHERE i.id = $2 AND i.tenant_id = $5 AND i.total_minor >= $3",
    )
    .bind(credit_note_id)
    .bind(invoice_id)
    .bind(body.amount_minor)
    .bind(&body.reason)
    .bind(&principal.tenant_id)
    .execute(&mut *tx)
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    if inserted.rows_affected() == 0 {
        tx.rollback().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        return Err(StatusCode::NOT_FOUND);
    }
    sqlx::query("INSERT INTO outbox (id, topic, payload) VALUES ($1, 'credit_note.issued', $2)")
        .bind(Uuid::new_v4())
        .bind(sqlx::types::Json(&event))
        .execute(&mut *tx)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tx.commit().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tracing::info!(tenant_id = %principal.tenant_id, %invoice_id, %credit_note_id, "credit note issued");
    Ok(StatusCode::CREATED)
}

pub async fn relay_outbox(state: Arc<AppState>) -> Result<usize, sqlx::Error> {
    let rows: Vec<(Uuid, serde_json::Value)> = sqlx::query_as(
        "UPDATE outbox SET claimed_until = now() + interval '1 minute' \
         WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now()) \
                      ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED) \
         RETURNING id, payload",
    )
    .fetch_all(&state.db)
    .await?;
    let mut published: Vec<Uuid> = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(10) {
        let entries: Vec<PublishBatchRequestEntry> = chunk
            .iter()
            .map(|(id, payload)| {
                PublishBatchRequestEntry::builder()
                    .id(id.simple().to_string())
                    .message(payload.to_string())
                    .build()
                    .expect("id and message set")
            })
            .collect();
        match state.sns.publish_batch().topic_arn(&state.topic_arn).set_publish_batch_request_entries(Some(entries)).send().await {
            Ok(out) => {
                let failed: Vec<&str> = out.failed().iter().map(|f| f.id()).collect();
                published.extend(chunk.iter().map(|(id, _)| *id).filter(|id| !failed.contains(&id.simple().to_string().as_str())));
            }
            Err(err) => tracing::warn!(error = %err, batch = chunk.len(), "outbox batch not published, will retry next tick"),
        }
    }
    sqlx::query("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
        .bind(&published)
        .execute(&state.db)
        .await?;
    Ok(published.len())
}
