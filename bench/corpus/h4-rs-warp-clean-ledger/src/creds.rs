use aws_credential_types::Credentials;
use aws_sdk_sts::Client as StsClient;
use std::collections::HashMap;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

pub struct RoleCredentialCache {
    sts: StsClient,
    entries: Mutex<HashMap<String, Credentials>>,
}

impl RoleCredentialCache {
    pub fn new(sts: StsClient) -> Self {
        Self { sts, entries: Mutex::new(HashMap::new()) }
    }

    fn still_valid(creds: &Credentials) -> bool {
        match creds.expiry() {
            Some(expiry) => expiry
                .duration_since(SystemTime::now())
                .map(|left| left > REFRESH_BEFORE_EXPIRY)
                .unwrap_or(false),
            None => false,
        }
    }

    pub async fn for_role(&self, role_arn: &str, external_id: &str) -> anyhow::Result<Credentials> {
        let mut entries = self.entries.lock().await;
        if let Some(creds) = entries.get(role_arn).filter(|c| Self::still_valid(c)) {
            return Ok(creds.clone());
        }
        let out = self
            .sts
            .assume_role()
            .role_arn(role_arn)
            .external_id(external_id)
            .role_session_name("ledger-export")
            .duration_seconds(3600)
            .send()
            .await?;
        let c = out.credentials().ok_or_else(|| anyhow::anyhow!("no credentials in AssumeRole response"))?;
        let expiry = SystemTime::try_from(*c.expiration()).ok();
        let creds = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            expiry,
            "ledger-assume-role",
        );
        entries.insert(role_arn.to_owned(), creds.clone());
        Ok(creds)
    }
}
