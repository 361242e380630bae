use actix_web::{web, HttpRequest, HttpResponse, Responder};
use jsonwebtoken::dangerous_insecure_decode;
use serde::Deserialize;
use tracing::info;

use crate::middleware::tenant::TenantCtx;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ProjectPath {
    tenant_id: String,
    id: uuid::Uuid,
}

#[derive(Deserialize)]
struct SwitchClaims {
    target_tenant: String,
}

pub async fn health() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "ok": true }))
}

pub async fn list_projects(state: web::Data<AppState>, tenant: web::ReqData<TenantCtx>) -> actix_web::Result<HttpResponse> {
    let rows = sqlx::query_as::<_, crate::state::Project>(
        "SELECT id, tenant_id, name, created_at FROM projects WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 100",
    )
    .bind(&tenant.tenant_id)
    .fetch_all(&state.pool)
    .await
    .map_err(actix_web::error::ErrorInternalServerError)?;
    info!(tenant_id = %tenant.tenant_id, count = rows.len(), "listed projects");
    Ok(HttpResponse::Ok().json(rows))
}

pub async fn get_project(
    state: web::Data<AppState>,
    _tenant: web::ReqData<TenantCtx>,
    path: web::Path<ProjectPath>,
) -> actix_web::Result<HttpResponse> {
    let project = sqlx::query_as::<_, crate::state::Project>(
        "SELECT id, tenant_id, name, created_at FROM projects WHERE tenant_id = $1 AND id = $2",
    )
    .bind(&path.tenant_id) // expect: tenant-from-untrusted-source
    .bind(path.id)
    .fetch_optional(&state.pool)
    .await
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(match project {
        Some(p) => HttpResponse::Ok().json(p),
        None => HttpResponse::NotFound().finish(),
    })
}

pub async fn switch_tenant(req: HttpRequest, tenant: web::ReqData<TenantCtx>) -> actix_web::Result<HttpResponse> {
    let token = req
        .headers()
        .get("x-switch-token")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| actix_web::error::ErrorBadRequest("missing switch token"))?;
    let switch = dangerous_insecure_decode::<SwitchClaims>(token) // expect: jwt-decode-without-verify
        .map_err(|_| actix_web::error::ErrorBadRequest("bad switch token"))?;
    info!(user_id = %tenant.user_id, from = %tenant.tenant_id, to = %switch.claims.target_tenant, "tenant switch");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "tenant_id": switch.claims.target_tenant })))
}

pub async fn list_tenants(state: web::Data<AppState>) -> actix_web::Result<HttpResponse> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM tenants ORDER BY name")
        .fetch_all(&state.pool)
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(rows))
}
