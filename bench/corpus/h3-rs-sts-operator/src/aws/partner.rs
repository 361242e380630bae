use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use aws_sdk_sts::Client as StsClient;
use aws_sdk_sts::types::Credentials;
use tokio::sync::RwLock;

/// Partner export credentials, cached per role so the export loop doesn't hit STS for every file.
#[derive(Clone)]
pub struct PartnerCredentials {
    sts: StsClient,
    cache: Arc<RwLock<HashMap<String, Credentials>>>,
}

impl PartnerCredentials {
    pub fn new(sts: StsClient) -> Self {
        Self { sts, cache: Arc::new(RwLock::new(HashMap::new())) }
    }

    pub async fn get(&self, role_arn: &str) -> Result<Credentials> {
        if let Some(creds) = self.cache.read().await.get(role_arn) { // expect: credentials-per-request
            return Ok(creds.clone());
        }
        let out = self.sts.assume_role().role_arn(role_arn).role_session_name("partner-export").send().await?;
        let creds = out.credentials.context("no credentials")?;
        self.cache.write().await.insert(role_arn.to_owned(), creds.clone());
        Ok(creds)
    }
}
