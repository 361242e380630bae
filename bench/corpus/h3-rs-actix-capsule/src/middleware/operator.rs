use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{error::ErrorForbidden, error::ErrorUnauthorized, web, Error, HttpMessage};

use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct Operator {
    pub id: String,
    pub permissions: Vec<String>,
}

/// Verifies the operator session cookie and stores the operator in the request extensions.
pub async fn load_operator(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState registered").clone();
    let cookie = req.cookie("op_session").ok_or_else(|| ErrorUnauthorized("operator session required"))?;
    let operator = state.sessions.verify_operator(cookie.value()).await.map_err(ErrorUnauthorized)?;
    req.extensions_mut().insert(Operator { id: operator.id, permissions: operator.permissions });
    next.call(req).await
}

pub async fn require_operator(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let allowed = req
        .extensions()
        .get::<Operator>()
        .map(|op| op.permissions.iter().any(|p| p == "capsules:admin"))
        .unwrap_or(false);
    if !allowed {
        return Err(ErrorForbidden("operator permission capsules:admin required"));
    }
    next.call(req).await
}
