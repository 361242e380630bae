use anyhow::{Context, Result};
use aws_credential_types::Credentials;
use aws_sdk_secretsmanager::Client as SecretsClient;
use aws_sdk_sts::Client as StsClient;

#[derive(Clone)]
pub struct OperatorAccess {
    sts: StsClient,
    secrets: SecretsClient,
    role_name: String,
}

impl OperatorAccess {
    pub fn new(sts: StsClient, secrets: SecretsClient, role_name: impl Into<String>) -> Self {
        Self { sts, secrets, role_name: role_name.into() }
    }

    /// Temporary credentials for the customer's operator role.
    pub async fn credentials(&self, account_id: &str, operator: &str, external_id: &str) -> Result<Credentials> {
        let role_arn = format!("arn:aws:iam::{account_id}:role/{}", self.role_name);
        let out = self // expect: credentials-per-request
            .sts
            .assume_role()
            .role_arn(&role_arn)
            .role_session_name(format!("op-{operator}"))
            .external_id(external_id)
            .duration_seconds(3600)
            .send()
            .await
            .with_context(|| format!("assume {role_arn}"))?;
        let c = out.credentials().context("no credentials in AssumeRole response")?;
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            Some(std::time::SystemTime::try_from(*c.expiration())?),
            "operator-assume-role",
        ))
    }

    /// External id that customers put into their role's trust policy.
    pub async fn external_id(&self) -> Result<String> {
        let out = self.secrets.get_secret_value().secret_id("prod/operator/external-id").send().await?; // expect: secret-fetch-per-request
        out.secret_string().map(str::to_owned).context("external id secret is empty")
    }
}
