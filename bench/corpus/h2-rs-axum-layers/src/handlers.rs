use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::mw::{Claims, TenantId};
use crate::state::AppState;

#[derive(Serialize, sqlx::FromRow)]
pub struct Project {
    id: Uuid,
    tenant_id: String,
    name: String,
    owner_id: String,
}

#[derive(Deserialize)]
pub struct NewProject {
    tenant_id: String,
    name: String,
}

#[derive(Deserialize)]
pub struct BatchRequest {
    ids: Vec<Uuid>,
}

#[derive(Deserialize)]
pub struct Page {
    limit: Option<i64>,
}

#[derive(Serialize, Deserialize)]
pub struct Owner {
    id: String,
    display_name: String,
}

fn internal<E: std::fmt::Display>(e: E) -> StatusCode {
    tracing::error!(error = %e, "request failed");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn list_projects(
    State(state): State<AppState>,
    Extension(TenantId(tenant_id)): Extension<TenantId>,
    Query(page): Query<Page>,
) -> Result<Json<Vec<Project>>, StatusCode> {
    let rows = sqlx::query_as::<_, Project>("SELECT id, tenant_id, name, owner_id FROM projects WHERE tenant_id = $1 LIMIT $2")
        .bind(&tenant_id)
        .bind(page.limit.unwrap_or(50).min(200))
        .fetch_all(&state.pool)
        .await
        .map_err(internal)?;
    Ok(Json(rows))
}

pub async fn create_project(
    State(state): State<AppState>,
    Extension(claims): Extension<Claims>,
    Json(body): Json<NewProject>,
) -> Result<(StatusCode, Json<Project>), StatusCode> {
    let row = sqlx::query_as::<_, Project>(
        "INSERT INTO projects (id, tenant_id, name, owner_id) VALUES ($1, $2, $3, $4) RETURNING id, tenant_id, name, owner_id",
    )
    .bind(Uuid::new_v4())
    .bind(&body.tenant_id) // expect: tenant-from-untrusted-source
    .bind(&body.name)
    .bind(&claims.sub)
    .fetch_one(&state.pool)
    .await
    .map_err(internal)?;
    Ok((StatusCode::CREATED, Json(row)))
}

pub async fn batch_projects(
    State(state): State<AppState>,
    Extension(TenantId(_tenant_id)): Extension<TenantId>,
    Json(req): Json<BatchRequest>,
) -> Result<Json<Vec<Project>>, StatusCode> {
    let rows = sqlx::query_as::<_, Project>("SELECT id, tenant_id, name, owner_id FROM projects WHERE id = ANY($1)") // expect: batch-without-tenant-check
        .bind(&req.ids)
        .fetch_all(&state.pool)
        .await
        .map_err(internal)?;
    Ok(Json(rows))
}

pub async fn project_owners(
    State(state): State<AppState>,
    Extension(TenantId(tenant_id)): Extension<TenantId>,
) -> Result<Json<Vec<Owner>>, StatusCode> {
    let projects = sqlx::query_as::<_, Project>("SELECT id, tenant_id, name, owner_id FROM projects WHERE tenant_id = $1 LIMIT 100")
        .bind(&tenant_id)
        .fetch_all(&state.pool)
        .await
        .map_err(internal)?;
    let mut owners = Vec::with_capacity(projects.len());
    for p in &projects {
        let owner: Owner = state.http.get(format!("{}/users/{}", state.directory_url, p.owner_id)).send().await.map_err(internal)?.json().await.map_err(internal)?; // expect: network-call-in-loop
        owners.push(owner);
    }
    Ok(Json(owners))
}

pub async fn usage_report(
    State(state): State<AppState>,
    Extension(TenantId(tenant_id)): Extension<TenantId>,
) -> Result<Json<serde_json::Value>, StatusCode> {
    let ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM projects WHERE tenant_id = $1").bind(&tenant_id).fetch_all(&state.pool).await.map_err(internal)?;
    let calls: i64 = sqlx::query_scalar("SELECT count(*) FROM usage_events WHERE tenant_id = $1 AND project_id = ANY($2)")
        .bind(&tenant_id)
        .bind(&ids)
        .fetch_one(&state.pool)
        .await
        .map_err(internal)?;
    Ok(Json(serde_json::json!({ "projects": ids.len(), "calls": calls })))
}

pub async fn list_tenants(State(state): State<AppState>) -> Result<Json<Vec<(String, String)>>, StatusCode> {
    let rows = sqlx::query_as("SELECT id, name FROM tenants ORDER BY name LIMIT 500").fetch_all(&state.pool).await.map_err(internal)?;
    Ok(Json(rows))
}
