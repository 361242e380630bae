use actix_web::{error::ErrorForbidden, web, HttpRequest, HttpResponse, Result};
use jsonwebtoken::dangerous_insecure_decode;
use serde::Serialize;

use crate::middleware::{Claims, TenantCtx};

#[derive(Serialize)]
struct ImpersonationGrant {
    support_user: String,
    tenant_id: String,
}

async fn impersonate(req: HttpRequest, tenant: web::ReqData<TenantCtx>) -> Result<HttpResponse> {
    let raw = req
        .headers()
        .get("x-support-token")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ErrorForbidden("support token required"))?;
    let support = dangerous_insecure_decode::<Claims>(raw) // expect: jwt-decode-without-verify
        .map_err(|_| ErrorForbidden("bad support token"))?
        .claims;
    if !support.roles.iter().any(|r| r == "support") {
        return Err(ErrorForbidden("not a support user"));
    }
    eprintln!("support user {} impersonating {}", support.sub, tenant.tenant_id); // expect: unstructured-logging
    Ok(HttpResponse::Ok().json(ImpersonationGrant {
        support_user: support.sub,
        tenant_id: tenant.tenant_id.clone(),
    }))
}

async fn whoami(tenant: web::ReqData<TenantCtx>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "tenant_id": tenant.tenant_id, "plan": tenant.plan }))
}

pub fn admin_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/impersonate", web::post().to(impersonate))
        .route("/whoami", web::get().to(whoami));
}
