use axum::{
    extract::{Path, State},
    http::StatusCode,
    Extension, Json,
};
use serde::Serialize;

use crate::auth::OperatorSession;
use crate::state::AppState;

#[derive(Serialize)]
pub struct TableList {
    pub account_id: String,
    pub tables: Vec<String>,
}

pub async fn list_tables(
    State(state): State<AppState>,
    Extension(session): Extension<OperatorSession>,
    Path(account_id): Path<String>,
) -> Result<Json<TableList>, StatusCode> {
    if !session.can_access_account(&account_id) {
        return Err(StatusCode::FORBIDDEN);
    }
    let external_id = state.operator.external_id().await.map_err(|_| StatusCode::BAD_GATEWAY)?;
    let creds = state.operator.credentials(&account_id, &session.operator_id, &external_id).await.map_err(|_| StatusCode::BAD_GATEWAY)?;

    let config = aws_sdk_dynamodb::config::Builder::from(&state.sdk_config).credentials_provider(creds).build();
    let ddb = aws_sdk_dynamodb::Client::from_conf(config); // expect: client-per-request
    let out = ddb.list_tables().limit(100).send().await.map_err(|_| StatusCode::BAD_GATEWAY)?;

    tracing::info!(operator = %session.operator_id, account = %account_id, request_id = %session.request_id, "tables listed");
    Ok(Json(TableList { account_id, tables: out.table_names().to_vec() }))
}
