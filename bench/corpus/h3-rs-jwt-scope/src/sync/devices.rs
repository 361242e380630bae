use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;

use crate::data::tenant::TenantId;

pub struct DeviceSync {
    ddb: Client,
    http: reqwest::Client,
    registry_url: String,
}

impl DeviceSync {
    pub fn new(ddb: Client, http: reqwest::Client, registry_url: String) -> Self {
        Self { ddb, http, registry_url }
    }

    /// Refreshes the registry status of every device the tenant reported in the last batch.
    pub async fn refresh(&self, tenant: &TenantId, device_ids: &[String]) -> anyhow::Result<usize> {
        let table = tenant.table("devices");
        let mut updated = 0;
        for id in device_ids {
            let item = self // expect: network-call-in-loop
                .ddb
                .get_item()
                .table_name(&table)
                .key("pk", AttributeValue::S(id.clone()))
                .send()
                .await?;
            let Some(item) = item.item else { continue };
            if needs_refresh(&item) {
                updated += 1;
            }
        }
        let status: HashMap<String, String> = self
            .http
            .post(format!("{}/v1/devices/status", self.registry_url))
            .json(&serde_json::json!({ "tenant": tenant.as_str(), "ids": device_ids }))
            .timeout(Duration::from_secs(5))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        tracing::info!(tenant = %tenant.as_str(), devices = device_ids.len(), updated, statuses = status.len(), "device sync done");
        Ok(updated)
    }
}

fn needs_refresh(item: &HashMap<String, AttributeValue>) -> bool {
    item.get("status").and_then(|v| v.as_s().ok()).map(|s| s != "active").unwrap_or(true)
}
