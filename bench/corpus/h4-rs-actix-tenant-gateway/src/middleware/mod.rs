pub mod auth;
pub mod quota;
pub mod tenant;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: String,
    #[serde(default)]
    pub roles: Vec<String>,
    pub exp: usize,
}

#[derive(Debug, Clone)]
pub struct TenantCtx {
    pub tenant_id: String,
    pub plan: String,
}
