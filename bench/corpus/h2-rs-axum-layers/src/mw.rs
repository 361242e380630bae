use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use jsonwebtoken::{decode, Algorithm, Validation};
use serde::Deserialize;

use crate::state::AppState;

#[derive(Clone, Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: String,
    pub roles: Vec<String>,
    pub exp: usize,
}

#[derive(Clone, Debug)]
pub struct TenantId(pub String);

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[state.issuer.as_str()]);
    validation.set_audience(&["projects"]);
    let data = decode::<Claims>(token, &state.decoding_key, &validation).map_err(|_| StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(data.claims);
    Ok(next.run(req).await)
}

pub async fn resolve_tenant(State(state): State<AppState>, mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let claims = req.extensions().get::<Claims>().cloned().ok_or(StatusCode::UNAUTHORIZED)?;
    let active: Option<bool> = sqlx::query_scalar("SELECT active FROM tenants WHERE id = $1")
        .bind(&claims.tenant_id)
        .fetch_optional(&state.pool)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    if active != Some(true) {
        return Err(StatusCode::FORBIDDEN);
    }
    req.extensions_mut().insert(TenantId(claims.tenant_id));
    Ok(next.run(req).await)
}

pub async fn require_admin(req: Request, next: Next) -> Result<Response, StatusCode> {
    match req.extensions().get::<Claims>() {
        Some(c) if c.roles.iter().any(|r| r == "admin") => Ok(next.run(req).await),
        Some(_) => Err(StatusCode::FORBIDDEN),
        None => Err(StatusCode::UNAUTHORIZED),
    }
}
