use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_sts::config::Credentials;
use tokio::sync::RwLock;

const REFRESH_MARGIN: Duration = Duration::from_secs(300);

#[derive(Clone)]
struct Cached {
    creds: Credentials,
    expires_at: SystemTime,
}

/// Cross-account credentials cached per role ARN until shortly before they expire.
#[derive(Clone)]
pub struct RoleCredentialCache {
    sts: aws_sdk_sts::Client,
    entries: Arc<RwLock<HashMap<String, Cached>>>,
}

impl RoleCredentialCache {
    pub fn new(sts: aws_sdk_sts::Client) -> Self {
        Self { sts, entries: Arc::new(RwLock::new(HashMap::new())) }
    }

    pub async fn get(&self, role_arn: &str) -> Result<Credentials, aws_sdk_sts::Error> {
        if let Some(hit) = self.entries.read().await.get(role_arn) {
            if hit.expires_at > SystemTime::now() + REFRESH_MARGIN {
                return Ok(hit.creds.clone());
            }
        }
        let mut entries = self.entries.write().await;
        if let Some(hit) = entries.get(role_arn) {
            if hit.expires_at > SystemTime::now() + REFRESH_MARGIN {
                return Ok(hit.creds.clone());
            }
        }
        let out = self
            .sts
            .assume_role()
            .role_arn(role_arn)
            .role_session_name("exports-cache")
            .duration_seconds(3600)
            .send()
            .await?;
        let c = out.credentials().expect("sts returns credentials");
        let expires_at = SystemTime::try_from(*c.expiration()).unwrap_or_else(|_| SystemTime::now());
        let creds = Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_string()), Some(expires_at), "role-cache");
        entries.insert(role_arn.to_string(), Cached { creds: creds.clone(), expires_at });
        Ok(creds)
    }
}
