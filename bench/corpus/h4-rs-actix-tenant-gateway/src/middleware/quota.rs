use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    error::{ErrorInternalServerError, ErrorTooManyRequests},
    middleware::Next,
    web, Error, HttpMessage,
};
use dashmap::DashMap;
use std::time::{Duration, Instant};

use super::TenantCtx;

pub struct QuotaState {
    windows: DashMap<String, (Instant, u32)>,
}

impl QuotaState {
    pub fn new() -> Self {
        Self { windows: DashMap::new() }
    }

    fn allow(&self, tenant_id: &str, limit: u32) -> bool {
        let mut entry = self
            .windows
            .entry(tenant_id.to_owned())
            .or_insert((Instant::now(), 0));
        if entry.0.elapsed() > Duration::from_secs(60) {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }
}

fn limit_for(plan: &str) -> u32 {
    match plan {
        "enterprise" => 6_000,
        "team" => 1_200,
        _ => 300,
    }
}

pub async fn quota_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let tenant = req
        .extensions()
        .get::<TenantCtx>()
        .cloned()
        .ok_or_else(|| ErrorInternalServerError("tenant context missing"))?;
    let state = req
        .app_data::<web::Data<QuotaState>>()
        .cloned()
        .ok_or_else(|| ErrorInternalServerError("quota state missing"))?;
    if !state.allow(&tenant.tenant_id, limit_for(&tenant.plan)) {
        tracing::warn!(tenant_id = %tenant.tenant_id, "quota exceeded");
        return Err(ErrorTooManyRequests("quota exceeded"));
    }
    next.call(req).await
}

pub async fn admin_audit(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let tenant_id = req.extensions().get::<TenantCtx>().map(|t| t.tenant_id.clone());
    let path = req.path().to_owned();
    let res = next.call(req).await?;
    tracing::info!(?tenant_id, %path, status = res.status().as_u16(), "admin call");
    Ok(res)
}
