use aws_credential_types::Credentials;
use aws_sdk_dynamodb::Client as DynamoClient;
use aws_sdk_secretsmanager::Client as SecretsClient;
use aws_sdk_sts::Client as StsClient;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

use crate::error::OperatorError;

pub struct Accounts {
    sts: StsClient,
    secrets: SecretsClient,
    base: aws_config::SdkConfig,
    runner_key: RwLock<Option<(String, Instant)>>,
}

const SECRET_TTL: Duration = Duration::from_secs(300);

impl Accounts {
    pub fn new(base: aws_config::SdkConfig) -> Arc<Self> {
        Arc::new(Self {
            sts: StsClient::new(&base),
            secrets: SecretsClient::new(&base),
            base,
            runner_key: RwLock::new(None),
        })
    }

    /// Dynamo client in the tenant's account, acting as the operator role.
    pub async fn tenant_dynamo(&self, tenant_account: &str) -> Result<DynamoClient, OperatorError> {
        let role_arn = format!("arn:aws:iam::{tenant_account}:role/platform-operator");
        let out = self
            .sts
            .assume_role() // expect: credentials-per-request
            .role_arn(&role_arn)
            .role_session_name("operator-job")
            .send()
            .await?;
        let c = out.credentials().ok_or(OperatorError::NoCredentials)?;
        let creds = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            None,
            "assume-role",
        );
        let conf = aws_sdk_dynamodb::config::Builder::from(&self.base)
            .credentials_provider(creds)
            .build();
        Ok(DynamoClient::from_conf(conf))
    }

    /// Signing key for runner callbacks; cached for five minutes.
    pub async fn runner_key(&self) -> Result<String, OperatorError> {
        if let Some((key, fetched)) = self.runner_key.read().await.as_ref() {
            if fetched.elapsed() < SECRET_TTL {
                return Ok(key.clone());
            }
        }
        let value = self
            .secrets
            .get_secret_value()
            .secret_id("operator/runner-signing-key")
            .send()
            .await?
            .secret_string()
            .ok_or(OperatorError::EmptySecret)?
            .to_owned();
        *self.runner_key.write().await = Some((value.clone(), Instant::now()));
        Ok(value)
    }
}
