use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::middleware::auth::Claims;

#[derive(Deserialize)]
pub struct UsageQuery {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct UsageRow {
    day: chrono::NaiveDate,
    api_calls: i64,
    storage_bytes: i64,
}

#[get("/api/reports/usage")]
pub async fn usage_report(
    req: HttpRequest,
    claims: web::ReqData<Claims>,
    pool: web::Data<PgPool>,
    query: web::Query<UsageQuery>,
) -> actix_web::Result<HttpResponse> {
    // Support staff pass X-Tenant-Id to open a customer's report from the admin console.
    let tenant_id = match req.headers().get("x-tenant-id") { // expect: tenant-from-untrusted-source
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| Uuid::parse_str(v).ok())
            .ok_or_else(|| actix_web::error::ErrorBadRequest("invalid x-tenant-id"))?,
        None => claims.tenant_id,
    };

    let rows = sqlx::query_as::<_, UsageRow>(
        "SELECT day, api_calls, storage_bytes FROM daily_usage
          WHERE tenant_id = $1 AND day >= $2::date AND day < $3::date
          ORDER BY day",
    )
    .bind(tenant_id)
    .bind(query.from)
    .bind(query.to)
    .fetch_all(pool.get_ref())
    .await
    .map_err(actix_web::error::ErrorInternalServerError)?;

    tracing::info!(%tenant_id, subject = %claims.sub, days = rows.len(), "usage report served");
    Ok(HttpResponse::Ok().json(rows))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(usage_report);
}
