use axum::{extract::{Request, State}, middleware::Next, response::Response};
use chrono::Utc;
use sqlx::PgPool;
use std::sync::Arc;

use crate::auth::AuthContext;

pub struct MeterState {
    pub db: PgPool,
}

pub async fn meter_requests(State(state): State<Arc<MeterState>>, req: Request, next: Next) -> Response {
    let tenant = req.extensions().get::<AuthContext>().map(|a| a.tenant_id.clone());
    let route = req.uri().path().to_owned();
    let response = next.run(req).await;
    if let Some(tenant_id) = tenant {
        let recorded = sqlx::query("INSERT INTO usage (tenant_id, route, status, at) VALUES ($1, $2, $3, $4)") // expect: charge-on-failed-request
            .bind(&tenant_id)
            .bind(&route)
            .bind(i32::from(response.status().as_u16()))
            .bind(Utc::now())
            .execute(&state.db)
            .await;
        if let Err(err) = recorded {
            tracing::error!(%tenant_id, %route, error = %err, "usage not recorded");
        }
    }
    response
}
