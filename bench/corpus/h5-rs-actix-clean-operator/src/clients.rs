use aws_sdk_dynamodb::{config::Credentials, types::AttributeValue, Client};
use std::{collections::HashMap, time::{Duration, SystemTime}};
use tokio::sync::Mutex;

const REFRESH_MARGIN: Duration = Duration::from_secs(300);

pub struct CapsuleClient {
    dynamo: Client,
    capsule_code: String,
}

impl CapsuleClient {
    pub fn new(dynamo: Client, capsule_code: String) -> Self {
        Self { dynamo, capsule_code }
    }

    fn table_name(&self, base: &str) -> String {
        format!("{}_{}", self.capsule_code, base)
    }

    pub async fn count_jobs(&self) -> Result<i32, aws_sdk_dynamodb::Error> {
        let out = self
            .dynamo
            .query()
            .table_name(self.table_name("jobs"))
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(self.capsule_code.clone()))
            .select(aws_sdk_dynamodb::types::Select::Count)
            .send()
            .await?;
        Ok(out.count())
    }
}

struct Cached {
    client: Client,
    expires_at: SystemTime,
}

pub struct OperatorClients {
    sts: aws_sdk_sts::Client,
    region: Option<aws_config::Region>,
    cache: Mutex<HashMap<String, Cached>>,
}

impl OperatorClients {
    pub fn new(sdk: &aws_config::SdkConfig) -> Self {
        Self { sts: aws_sdk_sts::Client::new(sdk), region: sdk.region().cloned(), cache: Mutex::new(HashMap::new()) }
    }

    pub async fn client_for(&self, role_arn: &str) -> Result<Client, actix_web::Error> {
        let mut cache = self.cache.lock().await;
        if let Some(hit) = cache.get(role_arn) {
            if hit.expires_at > SystemTime::now() + REFRESH_MARGIN {
                return Ok(hit.client.clone());
            }
        }
        let assumed = self
            .sts
            .assume_role()
            .role_arn(role_arn)
            .role_session_name("gateway-operator")
            .duration_seconds(3600)
            .send()
            .await
            .map_err(actix_web::error::ErrorBadGateway)?;
        let c = assumed.credentials().ok_or_else(|| actix_web::error::ErrorBadGateway("no credentials"))?;
        let expires_at = SystemTime::try_from(*c.expiration()).map_err(actix_web::error::ErrorBadGateway)?;
        let creds = Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_string()), Some(expires_at), "sts");
        let conf = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(self.region.clone())
            .credentials_provider(creds)
            .build();
        let client = Client::from_conf(conf);
        cache.insert(role_arn.to_string(), Cached { client: client.clone(), expires_at });
        Ok(client)
    }
}
