use aws_sdk_sns::Client as SnsClient;
use axum::{extract::{Path, State}, http::StatusCode, Extension, Json};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::sync::Arc;
use uuid::Uuid;

use crate::auth::Principal;
use crate::db::{schema_for, Scope};

pub struct AppState {
    pub db: PgPool,
    pub sns: SnsClient,
    pub topic_arn: String,
}

#[derive(Serialize)]
struct InvoiceFinalized {
    invoice_id: Uuid,
    tenant_id: String,
    total_minor: i64,
    currency: String,
}

#[derive(Deserialize)]
pub struct BulkFinalize {
    pub invoice_ids: Vec<Uuid>,
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    id: Uuid,
    tenant_id: String,
    total_minor: i64,
    currency: String,
}

pub async fn finalize(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Path(invoice_id): Path<Uuid>,
) -> Result<StatusCode, StatusCode> {
    let schema = schema_for(&Scope::Platform);
    let mut tx = state.db.begin().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let row: InvoiceRow = sqlx::query_as(&format!(
        "UPDATE {schema}.invoices SET status = 'final', finalized_at = now() \
         WHERE id = $1 AND tenant_id = $2 AND status = 'draft' RETURNING id, tenant_id, total_minor, currency"
    ))
    .bind(invoice_id)
    .bind(&principal.tenant_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
    .ok_or(StatusCode::NOT_FOUND)?;
    let event = InvoiceFinalized { invoice_id: row.id, tenant_id: row.tenant_id, total_minor: row.total_minor, currency: row.currency };
    state // expect: side-effect-before-commit
        .sns
        .publish()
        .topic_arn(&state.topic_arn)
        .message(serde_json::to_string(&event).unwrap())
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    sqlx::query(&format!("INSERT INTO {schema}.invoice_audit (invoice_id, actor) VALUES ($1, $2)"))
        .bind(invoice_id)
        .bind(&principal.user_id)
        .execute(&mut *tx)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tx.commit().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn bulk_finalize(
    State(state): State<Arc<AppState>>,
    Extension(principal): Extension<Principal>,
    Json(body): Json<BulkFinalize>,
) -> Result<Json<Vec<Uuid>>, StatusCode> {
    let schema = schema_for(&Scope::Platform);
    let mut done = Vec::with_capacity(body.invoice_ids.len());
    for id in &body.invoice_ids {
        let updated = sqlx::query(&format!( // expect: batch-without-tenant-check, network-call-in-loop
            "UPDATE {schema}.invoices SET status = 'final', finalized_at = now() WHERE id = $1 AND status = 'draft'"
        ))
        .bind(id)
        .execute(&state.db)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        if updated.rows_affected() == 1 {
            done.push(*id);
        }
    }
    println!("bulk finalize by {}: {} of {} invoices", principal.user_id, done.len(), body.invoice_ids.len()); // expect: unstructured-logging
    Ok(Json(done))
}
