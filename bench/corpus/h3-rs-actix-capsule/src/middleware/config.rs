use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{error::ErrorInternalServerError, web, Error, HttpMessage};

use super::capsule::CapsuleContext;
use crate::state::{AppState, CapsuleConfig};

/// Loads the capsule's configuration. The config service is called with a short deadline; if it
/// is slow or down we serve the last config we saw for this capsule, then the built-in defaults.
pub async fn load_capsule_config(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let capsule = req
        .extensions()
        .get::<CapsuleContext>()
        .cloned()
        .ok_or_else(|| ErrorInternalServerError("capsule context missing"))?;
    let state = req.app_data::<web::Data<AppState>>().expect("AppState registered").clone();

    let config = match tokio::time::timeout(Duration::from_millis(400), state.config_client.fetch(&capsule.code)).await {
        Ok(Ok(cfg)) => {
            state.config_cache.insert(capsule.code.clone(), cfg.clone());
            cfg
        }
        Ok(Err(err)) => {
            tracing::warn!(capsule = %capsule.code, error = %err, "config service error, using cached config");
            state.config_cache.get(&capsule.code).map(|c| c.clone()).unwrap_or_else(CapsuleConfig::default)
        }
        Err(_) => {
            tracing::warn!(capsule = %capsule.code, "config service timed out, using cached config");
            state.config_cache.get(&capsule.code).map(|c| c.clone()).unwrap_or_else(CapsuleConfig::default)
        }
    };
    req.extensions_mut().insert(config);
    next.call(req).await
}
