use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    error::{ErrorInternalServerError, ErrorNotFound},
    middleware::Next,
    web, HttpMessage,
};
use std::{collections::HashMap, sync::RwLock};

#[derive(Clone, Debug)]
pub struct CapsuleContext {
    pub code: String,
}

#[derive(Clone, Debug)]
pub struct CapsuleConfig {
    pub operator_role_arn: String,
}

pub struct ConfigService {
    ssm: aws_sdk_ssm::Client,
    last_known: RwLock<HashMap<String, CapsuleConfig>>,
}

impl ConfigService {
    pub fn new(sdk: &aws_config::SdkConfig) -> Self {
        Self { ssm: aws_sdk_ssm::Client::new(sdk), last_known: RwLock::new(HashMap::new()) }
    }

    pub async fn for_capsule(&self, code: &str) -> Option<CapsuleConfig> {
        if let Some(hit) = self.last_known.read().unwrap().get(code).cloned() {
            return Some(hit);
        }
        let param = self.ssm.get_parameter().name(format!("/capsules/{code}/operator-role")).send().await.ok()?;
        let cfg = CapsuleConfig { operator_role_arn: param.parameter()?.value()?.to_string() };
        self.last_known.write().unwrap().insert(code.to_string(), cfg.clone());
        Some(cfg)
    }
}

pub async fn extract_capsule(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let host = req.connection_info().host().to_string();
    let code = host.split('.').next().unwrap_or_default().to_string();
    if code.is_empty() {
        return Err(ErrorNotFound("unknown capsule"));
    }
    req.extensions_mut().insert(CapsuleContext { code });
    next.call(req).await
}

pub async fn load_capsule_config(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let capsule = req
        .extensions()
        .get::<CapsuleContext>()
        .cloned()
        .ok_or_else(|| ErrorInternalServerError("capsule context missing"))?;
    let service = req.app_data::<web::Data<ConfigService>>().cloned().expect("ConfigService registered");
    let config = service.for_capsule(&capsule.code).await.ok_or_else(|| ErrorNotFound("capsule not configured"))?;
    req.extensions_mut().insert(config);
    next.call(req).await
}
