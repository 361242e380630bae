//! Bearer-token authentication: verifies the JWT against the issuer's JWKS (cached) and inserts `Claims`
//! into the request extensions for later middleware and handlers.
use serde::Deserialize;
use uuid::Uuid;

#[derive(Clone, Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: Uuid,
    pub roles: Vec<String>,
    pub exp: usize,
}

#[derive(Clone)]
pub struct TokenVerifier { /* cached JWKS, issuer, audience */ }

pub struct Authentication {
    verifier: TokenVerifier,
}

impl Authentication {
    pub fn new(verifier: TokenVerifier) -> Self {
        Self { verifier }
    }
}

// Transform/Service impls: on success `req.extensions_mut().insert(claims)`, otherwise 401.
