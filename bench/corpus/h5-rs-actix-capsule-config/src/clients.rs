use aws_sdk_dynamodb::config::Credentials;

pub enum Scope {
    Platform,
    Tenant(String),
    Capsule(String),
}

pub struct ClientFactory {
    sts: aws_sdk_sts::Client,
    region: Option<aws_config::Region>,
}

impl ClientFactory {
    pub fn new(sdk: &aws_config::SdkConfig) -> Self {
        Self { sts: aws_sdk_sts::Client::new(sdk), region: sdk.region().cloned() }
    }

    pub fn table_name(&self, scope: &Scope, base: &str) -> String {
        match scope { // expect: runtime-scope-validation
            Scope::Platform => base.to_string(),
            Scope::Tenant(id) => format!("t_{id}_{base}"),
            Scope::Capsule(code) => format!("{code}_{base}"),
        }
    }

    pub async fn operator_client(&self, role_arn: &str) -> Result<aws_sdk_dynamodb::Client, actix_web::Error> {
        let assumed = self
            .sts
            .assume_role() // expect: credentials-per-request
            .role_arn(role_arn)
            .role_session_name("gateway-operator")
            .send()
            .await
            .map_err(actix_web::error::ErrorBadGateway)?;
        let c = assumed.credentials().ok_or_else(|| actix_web::error::ErrorBadGateway("no credentials"))?;
        let creds = Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_string()), None, "sts");
        let conf = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(self.region.clone())
            .credentials_provider(creds)
            .build();
        Ok(aws_sdk_dynamodb::Client::from_conf(conf)) // expect: client-per-request
    }
}
