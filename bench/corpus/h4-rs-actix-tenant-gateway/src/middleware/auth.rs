use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    error::ErrorUnauthorized,
    middleware::Next,
    Error, HttpMessage,
};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use std::sync::OnceLock;

use super::Claims;

fn decoding_key() -> &'static DecodingKey {
    static KEY: OnceLock<DecodingKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pem = std::env::var("JWT_PUBLIC_KEY").expect("JWT_PUBLIC_KEY must be set");
        DecodingKey::from_rsa_pem(pem.as_bytes()).expect("JWT_PUBLIC_KEY must be an RSA PEM")
    })
}

fn validation() -> Validation {
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&["gateway"]);
    v.set_issuer(&["https://auth.example.com/"]);
    v
}

pub fn bearer(req: &ServiceRequest) -> Option<&str> {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

pub async fn jwt_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let token = bearer(&req).ok_or_else(|| ErrorUnauthorized("missing bearer token"))?;
    let data = decode::<Claims>(token, decoding_key(), &validation()).map_err(|e| {
        tracing::info!(error = %e, "token rejected");
        ErrorUnauthorized("invalid token")
    })?;
    req.extensions_mut().insert(data.claims);
    next.call(req).await
}
