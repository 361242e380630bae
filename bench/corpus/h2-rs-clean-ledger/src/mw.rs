use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{ErrorForbidden, ErrorUnauthorized};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use chrono::Utc;
use jsonwebtoken::{decode, Algorithm, Validation};
use serde::Deserialize;

use crate::state::AppState;

#[derive(Clone, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: String,
    pub exp: usize,
}

#[derive(Clone)]
pub struct Tenant {
    pub id: String,
    pub plan: String,
}

pub async fn authenticate(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().expect("state").clone();
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ErrorUnauthorized("token"))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&["ledger"]);
    validation.set_issuer(&[state.issuer.as_str()]);
    let claims = decode::<Claims>(token, &state.jwt_key, &validation).map_err(|_| ErrorUnauthorized("token"))?.claims;
    req.extensions_mut().insert(claims);
    next.call(req).await
}

pub async fn tenant_context(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().expect("state").clone();
    let tenant_id = req.extensions().get::<Claims>().map(|c| c.tenant_id.clone()).ok_or_else(|| ErrorUnauthorized("claims"))?;
    let plan = state.plans.plan_for(&tenant_id).await.ok_or_else(|| ErrorForbidden("tenant"))?;
    req.extensions_mut().insert(Tenant { id: tenant_id, plan });
    next.call(req).await
}

pub async fn meter_usage(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().expect("state").clone();
    let tenant = req.extensions().get::<Tenant>().cloned();
    let res = next.call(req).await?;
    let billable = res.status().is_success() && !state.maintenance.is_active(Utc::now());
    if let (true, Some(t)) = (billable, tenant) {
        state.usage.record(&t.id, res.request().path(), Utc::now()).await;
    }
    Ok(res)
}
