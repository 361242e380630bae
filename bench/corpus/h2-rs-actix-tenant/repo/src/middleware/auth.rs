use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::ErrorUnauthorized;
use actix_web::{Error, HttpMessage};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub tenant_id: String,
    pub roles: Vec<String>,
    pub exp: usize,
}

pub struct JwtAuth {
    key: Arc<DecodingKey>,
}

impl JwtAuth {
    pub fn new(key: Arc<DecodingKey>) -> Self {
        JwtAuth { key }
    }
}

impl<S, B> Transform<S, ServiceRequest> for JwtAuth
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = JwtAuthService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(JwtAuthService { service: Rc::new(service), key: self.key.clone() }))
    }
}

pub struct JwtAuthService<S> {
    service: Rc<S>,
    key: Arc<DecodingKey>,
}

impl<S, B> Service<ServiceRequest> for JwtAuthService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        let key = self.key.clone();
        Box::pin(async move {
            let token = req
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| ErrorUnauthorized("missing bearer token"))?;
            let mut validation = Validation::new(Algorithm::RS256);
            validation.set_audience(&["projects-api"]);
            let data = decode::<Claims>(token, &key, &validation).map_err(|_| ErrorUnauthorized("invalid token"))?;
            req.extensions_mut().insert(data.claims);
            service.call(req).await
        })
    }
}
