use std::fmt;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

/// A tenant id that has been checked at the boundary. Only `TenantId::parse` creates one, and
/// tenant-scoped code takes `&TenantId`, so a raw string can't reach a tenant table by mistake.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TenantId(String);

#[derive(Debug, thiserror::Error)]
#[error("malformed tenant id")]
pub struct BadTenantId;

impl TenantId {
    /// Boundary validation of untrusted input (path segment, queue message).
    pub fn parse(raw: &str) -> Result<Self, BadTenantId> {
        let ok = raw.len() == 14 && raw.starts_with("tn_") && raw[3..].chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(BadTenantId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn table(&self, base: &str) -> String {
        format!("t_{}_{}", self.0, base)
    }
}

impl fmt::Debug for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TenantId({})", self.0)
    }
}

/// Batch load by ids: keys carry the tenant, and each returned item is checked again.
pub async fn load_devices(ddb: &Client, tenant: &TenantId, ids: &[String]) -> anyhow::Result<Vec<HashMap<String, AttributeValue>>> {
    let table = tenant.table("devices");
    let keys = ids
        .iter()
        .map(|id| HashMap::from([("pk".to_owned(), AttributeValue::S(format!("{}#{}", tenant.as_str(), id)))]))
        .collect::<Vec<_>>();
    let out = ddb
        .batch_get_item()
        .request_items(&table, KeysAndAttributes::builder().set_keys(Some(keys)).build()?)
        .send()
        .await?;
    if out.unprocessed_keys.as_ref().map(|u| !u.is_empty()).unwrap_or(false) {
        anyhow::bail!("partial batch read, caller retries with backoff");
    }
    let items = out.responses.and_then(|mut r| r.remove(&table)).unwrap_or_default();
    Ok(items
        .into_iter()
        .filter(|i| i.get("tenant_id").and_then(|v| v.as_s().ok()).map(|t| t == tenant.as_str()).unwrap_or(false))
        .collect())
}
