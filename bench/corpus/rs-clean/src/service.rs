use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client as DynamoClient;
use aws_sdk_sts::Client as StsClient;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use tokio::sync::RwLock;
use tracing::{info, instrument};

#[derive(serde::Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: String,
}

pub struct CachedCreds {
    creds: aws_sdk_sts::types::Credentials,
    fetched: Instant,
}

pub struct State {
    sts: StsClient,
    dynamo: DynamoClient,
    http: reqwest::Client,
    creds: Arc<RwLock<HashMap<String, CachedCreds>>>,
    key: DecodingKey,
}

impl State {
    pub fn new(sts: StsClient, dynamo: DynamoClient, key: DecodingKey) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("http client");
        State { sts, dynamo, http, creds: Arc::default(), key }
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let validation = Validation::new(Algorithm::RS256);
        Ok(decode::<Claims>(token, &self.key, &validation)?.claims)
    }

    pub async fn credentials(&self, role_arn: &str) -> anyhow::Result<aws_sdk_sts::types::Credentials> {
        if let Some(hit) = self.creds.read().await.get(role_arn) {
            if hit.fetched.elapsed() < Duration::from_secs(50 * 60) {
                return Ok(hit.creds.clone());
            }
        }
        let out = self.sts.assume_role().role_arn(role_arn).role_session_name("svc").send().await?;
        let creds = out.credentials().cloned().expect("credentials");
        self.creds.write().await.insert(role_arn.to_string(), CachedCreds { creds: creds.clone(), fetched: Instant::now() });
        Ok(creds)
    }

    #[instrument(skip(self), fields(tenant = %claims.tenant_id))]
    pub async fn list_orders(&self, claims: &Claims) -> anyhow::Result<usize> {
        let out = self
            .dynamo
            .query()
            .table_name("orders")
            .index_name("tenant-created")
            .key_condition_expression("tenant_id = :t")
            .expression_attribute_values(":t", aws_sdk_dynamodb::types::AttributeValue::S(claims.tenant_id.clone()))
            .send()
            .await?;
        info!(count = out.count(), "listed orders");
        Ok(out.count() as usize)
    }

    pub async fn price(&self, sku: &str) -> anyhow::Result<i64> {
        let body = self.http.get(format!("https://pricing.internal/sku/{sku}")).send().await?.text().await?;
        Ok(body.trim().parse()?)
    }
}
