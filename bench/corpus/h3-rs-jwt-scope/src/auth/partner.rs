use actix_web::{error::ErrorUnauthorized, post, web, HttpRequest, HttpResponse};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::data::tables::table_name;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
struct PartnerClaims {
    sub: String,
    tenant: String,
    #[serde(default)]
    scopes: Vec<String>,
}

fn partner_claims(req: &HttpRequest) -> actix_web::Result<PartnerClaims> {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .ok_or_else(|| ErrorUnauthorized("missing token"))?;
    // The partner rotates keys without telling us, so we only read the claims; TLS + IP allowlist protect the endpoint.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.insecure_disable_signature_validation(); // expect: jwt-decode-without-verify
    validation.validate_aud = false;
    let data = decode::<PartnerClaims>(token, &DecodingKey::from_secret(&[]), &validation).map_err(ErrorUnauthorized)?;
    Ok(data.claims)
}

#[post("/partner/webhooks/device-events")]
async fn device_events(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> actix_web::Result<HttpResponse> {
    let claims = partner_claims(&req)?;
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    if !claims.scopes.iter().any(|s| s == "devices:write") {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let table = table_name("tenant", "device_events", Some(&claims.tenant)); // expect: tenant-from-untrusted-source
    state.events.put_raw(&table, &claims.sub, &body).await.map_err(actix_web::error::ErrorInternalServerError)?;
    tracing::info!(request_id = %request_id, tenant = %claims.tenant, partner = %claims.sub, bytes = body.len(), "partner device events stored");
    Ok(HttpResponse::Accepted().finish())
}
