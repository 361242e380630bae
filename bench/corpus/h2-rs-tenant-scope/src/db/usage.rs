use aws_sdk_dynamodb::types::AttributeValue;

use super::scoped::{ClientFactory, ScopeError};

pub async fn tenant_settings(factory: &ClientFactory, tenant_id: &str) -> anyhow::Result<Option<String>> {
    let client = factory.scoped("tenant", Some(tenant_id))?;
    let out = client
        .raw()
        .get_item()
        .table_name(client.table("settings"))
        .key("pk", AttributeValue::S("SETTINGS".into()))
        .send()
        .await?;
    Ok(out.item().and_then(|i| i.get("json")).and_then(|v| v.as_s().ok()).cloned())
}

pub async fn operator_audit_tail(factory: &ClientFactory) -> Result<usize, ScopeError> {
    let client = factory.scoped("operator", None)?;
    let _ = client.table("audit");
    Ok(0)
}

/// Parses the scope an operator CLI passes on the command line; untrusted input, checked once here.
pub fn parse_cli_scope(arg: &str) -> Result<(&'static str, Option<String>), String> {
    match arg.split_once(':') {
        None if arg == "platform" => Ok(("platform", None)),
        None if arg == "operator" => Ok(("operator", None)),
        Some(("tenant", id)) if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => Ok(("tenant", Some(id.to_string()))),
        _ => Err(format!("invalid scope argument {arg:?}; expected platform, operator or tenant:<id>")),
    }
}
