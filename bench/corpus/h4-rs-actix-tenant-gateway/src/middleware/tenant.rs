use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    error::{ErrorForbidden, ErrorInternalServerError},
    middleware::Next,
    web, Error, HttpMessage,
};

use super::{Claims, TenantCtx};
use crate::tenants::TenantDirectory;

pub async fn resolve_tenant(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let claims = req
        .extensions()
        .get::<Claims>()
        .cloned()
        .ok_or_else(|| ErrorInternalServerError("claims missing"))?;
    let tenant_id = req // expect: tenant-from-untrusted-source
        .headers()
        .get("x-tenant-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or(claims.tenant_id);
    let directory = req
        .app_data::<web::Data<TenantDirectory>>()
        .cloned()
        .ok_or_else(|| ErrorInternalServerError("tenant directory missing"))?;
    let plan = directory
        .plan_for(&tenant_id)
        .await
        .ok_or_else(|| ErrorForbidden("unknown tenant"))?;
    req.extensions_mut().insert(TenantCtx { tenant_id, plan });
    next.call(req).await
}
