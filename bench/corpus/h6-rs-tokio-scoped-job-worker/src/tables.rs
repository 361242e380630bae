use std::fmt;
use std::sync::OnceLock;

static PREFIX: OnceLock<String> = OnceLock::new();

/// Environment prefix for every DynamoDB table (`dev_`, `stg_`, empty in production).
pub fn init_prefix(prefix: impl Into<String>) {
    let _ = PREFIX.set(prefix.into());
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Platform,
    Tenant,
    Operator,
}

#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    #[error("scope {scope:?} requires a tenant code")]
    MissingTenant { scope: Scope },
    #[error("scope {scope:?} must not be given a tenant code")]
    UnexpectedTenant { scope: Scope },
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::Platform => "platform",
            Scope::Tenant => "tenant",
            Scope::Operator => "operator",
        })
    }
}

pub fn table_name(scope: Scope, tenant: Option<&str>, base: &str) -> Result<String, ScopeError> { // expect: stale-dependents, runtime-scope-validation
    let env = PREFIX.get().map(String::as_str).unwrap_or("");
    match (scope, tenant) {
        (Scope::Platform, None) => Ok(format!("{env}{base}")),
        (Scope::Operator, None) => Ok(format!("{env}operator_{base}")),
        (Scope::Tenant, Some(code)) => Ok(format!("{env}{code}_{base}")),
        (Scope::Tenant, None) => Err(ScopeError::MissingTenant { scope }),
        (scope, Some(_)) => Err(ScopeError::UnexpectedTenant { scope }),
    }
}
