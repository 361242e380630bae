use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{ErrorForbidden, ErrorUnauthorized};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::middleware::auth::Claims;

#[derive(Clone, Debug)]
pub struct TenantCtx {
    pub tenant_id: String,
    pub user_id: String,
}

pub async fn resolve_tenant(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let ctx = {
        let ext = req.extensions();
        let claims = ext.get::<Claims>().ok_or_else(|| ErrorUnauthorized("no claims"))?;
        TenantCtx { tenant_id: claims.tenant_id.clone(), user_id: claims.sub.clone() }
    };
    req.extensions_mut().insert(ctx);
    next.call(req).await
}

pub async fn require_admin(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let is_admin = req
        .extensions()
        .get::<Claims>()
        .map(|c| c.roles.iter().any(|r| r == "platform-admin"))
        .unwrap_or(false);
    if !is_admin {
        return Err(ErrorForbidden("admin only"));
    }
    next.call(req).await
}
