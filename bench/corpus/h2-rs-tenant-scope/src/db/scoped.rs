use aws_sdk_dynamodb::Client;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ScopeError {
    #[error("role {0} cannot access tenant tables")]
    Forbidden(String),
    #[error("tenant scope requires a tenant id")]
    MissingTenant,
    #[error("unknown role {0}")]
    UnknownRole(String),
}

#[derive(Clone)]
pub struct ScopedClient {
    inner: Client,
    prefix: String,
}

impl ScopedClient {
    pub fn table(&self, base: &str) -> String {
        format!("{}{}", self.prefix, base)
    }

    pub fn raw(&self) -> &Client {
        &self.inner
    }
}

pub struct ClientFactory {
    inner: Client,
    stage: String,
}

impl ClientFactory {
    pub fn new(inner: Client, stage: impl Into<String>) -> Self {
        Self { inner, stage: stage.into() }
    }

    pub fn scoped(&self, role: &str, tenant_id: Option<&str>) -> Result<ScopedClient, ScopeError> { // expect: runtime-scope-validation
        let prefix = match (role, tenant_id) {
            ("platform", None) => format!("{}-platform-", self.stage),
            ("operator", None) => format!("{}-ops-", self.stage),
            ("operator", Some(_)) => return Err(ScopeError::Forbidden(role.to_string())),
            ("tenant", Some(t)) => format!("{}-t{}-", self.stage, t),
            ("tenant", None) => return Err(ScopeError::MissingTenant),
            (other, _) => return Err(ScopeError::UnknownRole(other.to_string())),
        };
        Ok(ScopedClient { inner: self.inner.clone(), prefix })
    }
}
