use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::Response,
};
use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
use serde::Deserialize;

use crate::state::AppState;

#[derive(Clone, Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: String,
    #[serde(default)]
    pub roles: Vec<String>,
    pub exp: usize,
}

/// Verifies the bearer token against the cached JWKS and inserts the claims into the request extensions.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let kid = decode_header(token).map_err(|_| StatusCode::UNAUTHORIZED)?.kid.ok_or(StatusCode::UNAUTHORIZED)?;
    let key = state.jwks.key(&kid).await.ok_or(StatusCode::UNAUTHORIZED)?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[state.issuer.as_str()]);
    validation.set_audience(&["gateway"]);
    let claims = decode::<Claims>(token, &key, &validation).map_err(|_| StatusCode::UNAUTHORIZED)?.claims;

    req.extensions_mut().insert(claims);
    Ok(next.run(req).await)
}

pub async fn require_tenant(req: Request, next: Next) -> Result<Response, StatusCode> {
    match req.extensions().get::<Claims>() {
        Some(c) if !c.tenant_id.is_empty() => Ok(next.run(req).await),
        Some(_) => Err(StatusCode::FORBIDDEN),
        None => Err(StatusCode::UNAUTHORIZED),
    }
}

pub async fn require_admin(req: Request, next: Next) -> Result<Response, StatusCode> {
    let is_admin = req.extensions().get::<Claims>().map(|c| c.roles.iter().any(|r| r == "admin")).unwrap_or(false);
    if !is_admin {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(next.run(req).await)
}

pub async fn audit(State(state): State<AppState>, req: Request, next: Next) -> Result<Response, StatusCode> {
    let claims = req.extensions().get::<Claims>().cloned().ok_or(StatusCode::UNAUTHORIZED)?;
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    state.audit.record(&claims.sub, &claims.tenant_id, &path, response.status().as_u16()).await;
    Ok(response)
}
