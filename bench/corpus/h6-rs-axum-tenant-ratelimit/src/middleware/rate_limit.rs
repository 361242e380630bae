use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dashmap::DashMap;
use uuid::Uuid;

use crate::middleware::auth::Claims;
use crate::state::AppState;

#[derive(Debug)]
pub struct Bucket {
    tokens: f64,
    last_refill: Instant,
}

pub struct RateLimiter {
    buckets: DashMap<Uuid, Bucket>,
    capacity: f64,
    refill_per_sec: f64,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_per_sec: u32) -> Self {
        Self { buckets: DashMap::new(), capacity: capacity as f64, refill_per_sec: refill_per_sec as f64 }
    }

    /// Takes one token; returns how long to wait when the bucket is empty.
    fn try_acquire(&self, tenant: Uuid) -> Result<(), Duration> {
        let now = Instant::now();
        let mut bucket = self
            .buckets
            .entry(tenant)
            .or_insert_with(|| Bucket { tokens: self.capacity, last_refill: now });
        let elapsed = now.duration_since(bucket.last_refill).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.refill_per_sec).min(self.capacity);
        bucket.last_refill = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.refill_per_sec))
        }
    }
}

pub async fn tenant_rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(tenant_id) = req.extensions().get::<Claims>().map(|c| c.tenant_id) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };

    match state.rate_limiter.try_acquire(tenant_id) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let mut res = StatusCode::TOO_MANY_REQUESTS.into_response();
            let secs = wait.as_secs().max(1).to_string();
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_str(&secs).unwrap());
            res
        }
    }
}
