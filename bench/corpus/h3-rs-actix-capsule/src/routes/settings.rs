use actix_web::{get, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use sqlx::PgPool;

use crate::middleware::capsule::CapsuleContext;
use crate::state::{AppState, CapsuleConfig};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_settings).service(put_settings);
}

#[get("/settings")]
async fn get_settings(
    state: web::Data<AppState>,
    capsule: web::ReqData<CapsuleContext>,
    config: web::ReqData<CapsuleConfig>,
) -> actix_web::Result<HttpResponse> {
    let row = sqlx::query_as::<_, (serde_json::Value,)>("SELECT settings FROM capsule_settings WHERE tenant_id = $1 AND capsule = $2")
        .bind(&capsule.tenant_id)
        .bind(&capsule.code)
        .fetch_optional(&state.db)
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;
    tracing::info!(capsule = %capsule.code, features = config.features.len(), "settings read");
    Ok(HttpResponse::Ok().json(row.map(|r| r.0).unwrap_or_default()))
}

#[derive(Deserialize)]
struct SettingsUpdate {
    settings: serde_json::Value,
}

#[put("/settings")]
async fn put_settings(
    req: HttpRequest,
    db: web::Data<PgPool>,
    capsule: web::ReqData<CapsuleContext>,
    body: web::Json<SettingsUpdate>,
) -> actix_web::Result<HttpResponse> {
    // Support tooling sets X-Tenant-Id when editing a customer's capsule on their behalf.
    let tenant_id = req // expect: tenant-from-untrusted-source
        .headers()
        .get("x-tenant-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| capsule.tenant_id.clone());

    sqlx::query("UPDATE capsule_settings SET settings = $1, updated_at = now() WHERE tenant_id = $2 AND capsule = $3")
        .bind(&body.settings)
        .bind(&tenant_id)
        .bind(&capsule.code)
        .execute(db.get_ref())
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;

    println!("settings updated for tenant {} capsule {}", tenant_id, capsule.code); // expect: unstructured-logging
    Ok(HttpResponse::NoContent().finish())
}
