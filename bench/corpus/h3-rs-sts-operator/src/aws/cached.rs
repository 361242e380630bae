use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use aws_config::sts::AssumeRoleProvider;
use aws_config::SdkConfig;
use aws_sdk_secretsmanager::Client as SecretsClient;
use dashmap::DashMap;
use tokio::sync::Mutex;

/// One DynamoDB client per customer role. `AssumeRoleProvider` caches the session and refreshes it
/// before expiry, so steady-state requests never call STS.
#[derive(Clone)]
pub struct AccountClients {
    sdk: SdkConfig,
    role_name: String,
    clients: Arc<DashMap<String, aws_sdk_dynamodb::Client>>,
}

impl AccountClients {
    pub fn new(sdk: SdkConfig, role_name: impl Into<String>) -> Self {
        Self { sdk, role_name: role_name.into(), clients: Arc::new(DashMap::new()) }
    }

    pub async fn dynamodb(&self, account_id: &str, external_id: &str) -> aws_sdk_dynamodb::Client {
        if let Some(c) = self.clients.get(account_id) {
            return c.clone();
        }
        let provider = AssumeRoleProvider::builder(format!("arn:aws:iam::{account_id}:role/{}", self.role_name))
            .session_name("operator-console")
            .external_id(external_id)
            .configure(&self.sdk)
            .build()
            .await;
        let config = aws_sdk_dynamodb::config::Builder::from(&self.sdk).credentials_provider(provider).build();
        let client = aws_sdk_dynamodb::Client::from_conf(config);
        self.clients.insert(account_id.to_owned(), client.clone());
        client
    }
}

/// Cached secret with a TTL; concurrent misses wait on the same refresh.
pub struct CachedSecret {
    client: SecretsClient,
    id: String,
    ttl: Duration,
    slot: Mutex<Option<(String, Instant)>>,
}

impl CachedSecret {
    pub fn new(client: SecretsClient, id: impl Into<String>, ttl: Duration) -> Self {
        Self { client, id: id.into(), ttl, slot: Mutex::new(None) }
    }

    pub async fn get(&self) -> Result<String> {
        let mut slot = self.slot.lock().await;
        if let Some((value, fetched)) = slot.as_ref() {
            if fetched.elapsed() < self.ttl {
                return Ok(value.clone());
            }
        }
        let out = self.client.get_secret_value().secret_id(&self.id).send().await?;
        let value = out.secret_string().context("secret has no string value")?.to_owned();
        *slot = Some((value.clone(), Instant::now()));
        Ok(value)
    }
}

/// Credentials still usable for at least `margin`.
pub fn fresh_for(expires_at: SystemTime, margin: Duration) -> bool {
    expires_at.duration_since(SystemTime::now()).map(|left| left > margin).unwrap_or(false)
}
