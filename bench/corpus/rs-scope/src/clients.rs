use aws_sdk_dynamodb::Client;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scope {
    Platform,
    Tenant,
    Capsule,
    Operator,
}

pub struct ClientFactory {
    inner: Client,
    capsule_code: Option<String>,
}

impl ClientFactory {
    pub fn table_name(&self, scope: Scope, base: &str) -> String {
        match scope {
            Scope::Platform => base.to_string(),
            Scope::Capsule => match &self.capsule_code {
                Some(code) => format!("{}_{}", code, base),
                None => panic!("capsule scope without a capsule code"), // expect: runtime-scope-validation
            },
            _ => panic!("invalid scope {:?} for table access", scope),
        }
    }
}

pub struct PlatformClient {
    inner: Client,
}

pub struct CapsuleClient {
    inner: Client,
    code: String,
}

impl PlatformClient {
    pub fn table_name(&self, base: &str) -> String {
        base.to_string()
    }
}

impl CapsuleClient {
    pub fn table_name(&self, base: &str) -> String {
        format!("{}_{}", self.code, base)
    }
}

pub fn parse_scope(header: &str) -> Result<Scope, String> {
    match header {
        "platform" => Ok(Scope::Platform),
        "tenant" => Ok(Scope::Tenant),
        "capsule" => Ok(Scope::Capsule),
        "operator" => Ok(Scope::Operator),
        other => Err(format!("unknown scope header {other}")),
    }
}
