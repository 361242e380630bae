use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;
use warp::{http::StatusCode, Filter, Rejection, Reply};

use crate::auth::{with_principal, Principal};
use crate::store;

pub struct Ctx {
    pub db: aws_sdk_dynamodb::Client,
}

#[derive(Deserialize)]
pub struct PostingRequest {
    pub idempotency_key: String,
    pub account: String,
    pub amount: Decimal,
}

#[derive(Serialize)]
struct Balances {
    accounts: usize,
}

fn request_id() -> impl Filter<Extract = (String,), Error = std::convert::Infallible> + Clone {
    warp::header::optional::<String>("x-request-id").map(|id: Option<String>| id.unwrap_or_else(|| Uuid::new_v4().to_string()))
}

async fn create_posting(principal: Principal, rid: String, body: PostingRequest, ctx: Arc<Ctx>) -> Result<impl Reply, Rejection> {
    let created = store::record_posting(&ctx.db, &principal.tenant_id, &body.idempotency_key, &body.account, body.amount)
        .await
        .map_err(|e| {
            tracing::error!(request_id = %rid, tenant_id = %principal.tenant_id, error = %e, "posting failed");
            warp::reject::reject()
        })?;
    tracing::info!(request_id = %rid, tenant_id = %principal.tenant_id, created, "posting recorded");
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(warp::reply::with_status(warp::reply(), status))
}

async fn balances(principal: Principal, rid: String, ids: Vec<String>, ctx: Arc<Ctx>) -> Result<impl Reply, Rejection> {
    let accounts = store::accounts_by_id(&ctx.db, &principal.tenant_id, &ids).await.map_err(|e| {
        tracing::error!(request_id = %rid, tenant_id = %principal.tenant_id, error = %e, "balance lookup failed");
        warp::reject::reject()
    })?;
    Ok(warp::reply::json(&Balances { accounts: accounts.len() }))
}

pub fn routes(ctx: Arc<Ctx>) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let with_ctx = warp::any().map(move || ctx.clone());
    let post = warp::path!("v1" / "postings")
        .and(warp::post())
        .and(with_principal())
        .and(request_id())
        .and(warp::body::content_length_limit(16 * 1024))
        .and(warp::body::json())
        .and(with_ctx.clone())
        .and_then(create_posting);
    let get = warp::path!("v1" / "balances")
        .and(warp::post())
        .and(with_principal())
        .and(request_id())
        .and(warp::body::content_length_limit(16 * 1024))
        .and(warp::body::json())
        .and(with_ctx)
        .and_then(balances);
    post.or(get)
}
