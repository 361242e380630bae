use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_sts::config::Credentials;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Serialize;
use tracing::{info, instrument, warn};

use crate::auth::Principal;

#[derive(Clone)]
pub struct ExportState {
    pub sdk: SdkConfig,
    pub export_role_arn_template: String,
    pub partner_url: String,
}

#[derive(Serialize)]
pub struct ExportResult {
    key: String,
    partner_ref: String,
}

#[instrument(skip(state, principal), fields(tenant = %principal.tenant_id, request_id = %principal.request_id))]
pub async fn export_report(
    State(state): State<ExportState>,
    Extension(principal): Extension<Principal>,
    Path(report_id): Path<String>,
) -> Result<Json<ExportResult>, StatusCode> {
    let role_arn = state.export_role_arn_template.replace("{tenant}", &principal.tenant_id);
    let sts = aws_sdk_sts::Client::new(&state.sdk); // expect: client-per-request
    let assumed = sts // expect: credentials-per-request
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name(format!("export-{}", principal.request_id))
        .duration_seconds(900)
        .send()
        .await
        .map_err(|e| {
            warn!(error = %e, "assume role failed");
            StatusCode::BAD_GATEWAY
        })?;
    let c = assumed.credentials().ok_or(StatusCode::BAD_GATEWAY)?;
    let creds = Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_string()), None, "export-role");
    let s3_conf = aws_sdk_s3::config::Builder::from(&state.sdk).credentials_provider(creds).build();
    let s3 = aws_sdk_s3::Client::from_conf(s3_conf); // expect: client-per-request

    let secrets = aws_sdk_secretsmanager::Client::new(&state.sdk); // expect: client-per-request
    let partner_key = secrets
        .get_secret_value() // expect: secret-fetch-per-request
        .secret_id("exports/partner-api-key")
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?
        .secret_string()
        .unwrap_or_default()
        .to_string();

    let body = render_report(&principal.tenant_id, &report_id).await?;
    let key = format!("{}/{}.csv", principal.tenant_id, report_id);
    s3.put_object()
        .bucket("tenant-exports")
        .key(&key)
        .body(ByteStream::from(body.clone()))
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;

    let http = reqwest::Client::new(); // expect: client-per-request
    let mut attempts = 0;
    let partner_ref = loop { // expect: retry-without-backoff
        attempts += 1;
        let res = http
            .post(format!("{}/v2/ingest", state.partner_url)) // expect: no-timeout-or-fallback
            .bearer_auth(&partner_key)
            .body(body.clone())
            .send()
            .await;
        match res {
            Ok(r) if r.status().is_success() => break r.text().await.unwrap_or_default(),
            Ok(r) if r.status().is_server_error() && attempts < 5 => continue,
            Err(e) if e.is_connect() && attempts < 5 => continue,
            _ => return Err(StatusCode::BAD_GATEWAY),
        }
    };

    info!(key = %key, attempts, "report exported");
    Ok(Json(ExportResult { key, partner_ref }))
}

async fn render_report(tenant_id: &str, report_id: &str) -> Result<Vec<u8>, StatusCode> {
    let _ = Duration::from_secs(1);
    Ok(format!("tenant,report\n{tenant_id},{report_id}\n").into_bytes())
}
