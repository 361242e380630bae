use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client as DynamoClient;
use aws_sdk_sts::Client as StsClient;
use std::collections::HashMap;
use tracing::{info, warn};

pub struct OperatorService {
    sts: StsClient,
    role_arn: String,
    table: String,
}

impl OperatorService {
    pub async fn operator_client(&self) -> Result<DynamoClient, anyhow::Error> {
        let creds = self
            .sts
            .assume_role() // expect: credentials-per-request
            .role_arn(&self.role_arn)
            .role_session_name("operator")
            .send()
            .await?;
        let config = aws_config::from_env() // expect: client-per-request
            .credentials_provider(to_provider(creds.credentials().unwrap()))
            .load()
            .await;
        Ok(DynamoClient::new(&config)) // expect: client-per-request
    }

    pub async fn handle_rotate(&self, tenant_id: &str) -> Result<(), anyhow::Error> {
        let client = self.operator_client().await?;
        let secrets = aws_sdk_secretsmanager::Client::new(&aws_config::load_from_env().await); // expect: client-per-request
        let key = secrets.get_secret_value().secret_id("signing-key").send().await?; // expect: secret-fetch-per-request
        info!(tenant_id, "rotating with {}", key.name().unwrap_or_default());
        let recent = client
            .query() // expect: cross-tenant-index-query
            .table_name(&self.table)
            .index_name("by-created-at")
            .key_condition_expression("gsi_pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S("EVENT".into()))
            .send()
            .await?;
        println!("found {} events", recent.count()); // expect: unstructured-logging
        Ok(())
    }

    pub async fn store_events(&self, client: &DynamoClient, events: Vec<HashMap<String, AttributeValue>>) -> Result<(), anyhow::Error> {
        for chunk in events.chunks(25) {
            let writes: Vec<WriteRequest> = chunk
                .iter()
                .map(|item| WriteRequest::builder().put_request(PutRequest::builder().set_item(Some(item.clone())).build().unwrap()).build())
                .collect();
            client
                .batch_write_item() // expect: unprocessed-items-ignored
                .request_items(&self.table, writes)
                .send()
                .await?;
        }
        Ok(())
    }

    pub async fn fetch_with_retry(&self, http: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
        let mut attempts = 0;
        loop { // expect: retry-without-backoff
            match http.get(url).send().await {
                Ok(resp) => return resp.text().await,
                Err(err) => {
                    attempts += 1;
                    warn!(%err, attempts, "retrying");
                    continue;
                }
            }
        }
    }
}

fn to_provider(_c: &aws_sdk_sts::types::Credentials) -> aws_credential_types::Credentials {
    unimplemented!()
}
