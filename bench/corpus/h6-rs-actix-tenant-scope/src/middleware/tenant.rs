use std::future::{ready, Ready};
use std::rc::Rc;

use actix_web::body::EitherBody;
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{Error, HttpMessage, HttpResponse};
use futures_util::future::LocalBoxFuture;
use sqlx::PgPool;
use uuid::Uuid;

use crate::middleware::auth::Claims;

#[derive(Clone, Debug)]
pub struct TenantCtx {
    pub id: Uuid,
    pub plan: String,
    pub region: String,
}

pub struct TenantScope {
    pool: PgPool,
}

impl TenantScope {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

impl<S, B> Transform<S, ServiceRequest> for TenantScope
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = TenantScopeMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(TenantScopeMiddleware { service: Rc::new(service), pool: self.pool.clone() }))
    }
}

pub struct TenantScopeMiddleware<S> {
    service: Rc<S>,
    pool: PgPool,
}

impl<S, B> Service<ServiceRequest> for TenantScopeMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let pool = self.pool.clone();

        Box::pin(async move {
            if req.path() == "/healthz" {
                return service.call(req).await.map(ServiceResponse::map_into_left_body);
            }

            let claimed_tenant = req.extensions().get::<Claims>().map(|claims| claims.tenant_id);
            let Some(tenant_id) = claimed_tenant else {
                let res = HttpResponse::Unauthorized().finish();
                return Ok(req.into_response(res).map_into_right_body());
            };

            let row = sqlx::query_as::<_, (Uuid, String, String)>(
                "SELECT id, plan, region FROM tenants WHERE id = $1 AND status = 'active'",
            )
            .bind(tenant_id)
            .fetch_optional(&pool)
            .await
            .map_err(actix_web::error::ErrorServiceUnavailable)?;

            let Some((id, plan, region)) = row else {
                let res = HttpResponse::Forbidden().finish();
                return Ok(req.into_response(res).map_into_right_body());
            };

            req.extensions_mut().insert(TenantCtx { id, plan, region });
            service.call(req).await.map(ServiceResponse::map_into_left_body)
        })
    }
}
