use axum::{extract::{Request, State}, http::StatusCode, middleware::Next, response::Response};

use crate::AppState;

#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: String,
    pub tenant_id: String,
    pub is_staff: bool,
}

pub async fn require_session(State(state): State<AppState>, mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let cookie = req
        .headers()
        .get(axum::http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split("; ").find_map(|kv| kv.strip_prefix("sid=")))
        .ok_or(StatusCode::UNAUTHORIZED)?
        .to_string();
    let session = state.sessions.get(&cookie).await.ok_or(StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(session);
    Ok(next.run(req).await)
}
