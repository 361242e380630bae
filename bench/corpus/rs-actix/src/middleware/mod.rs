use std::future::{ready, Ready};

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{Error, HttpMessage};
use futures_util::future::LocalBoxFuture;

use crate::CapsuleContext;

pub struct Config {
    pub capsule: String,
}

#[derive(Default)]
pub struct RequestId;

pub struct CapsuleExtractor;
impl CapsuleExtractor {
    pub fn new() -> Self {
        CapsuleExtractor
    }
}

pub struct ConfigMiddleware;
impl ConfigMiddleware {
    pub fn new() -> Self {
        ConfigMiddleware
    }
}

pub struct CapsuleExtractorService<S> {
    service: S,
}

impl<S, B> Transform<S, ServiceRequest> for CapsuleExtractor
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CapsuleExtractorService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CapsuleExtractorService { service }))
    }
}

impl<S, B> Service<ServiceRequest> for CapsuleExtractorService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let code = req.headers().get("x-capsule").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        req.extensions_mut().insert(CapsuleContext { code });
        let fut = self.service.call(req);
        Box::pin(async move { fut.await })
    }
}

pub struct ConfigMiddlewareService<S> {
    service: S,
}

impl<S, B> Transform<S, ServiceRequest> for ConfigMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = ConfigMiddlewareService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ConfigMiddlewareService { service }))
    }
}

impl<S, B> Service<ServiceRequest> for ConfigMiddlewareService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let capsule = req.extensions().get::<CapsuleContext>().map(|c| c.code.clone());
        if let Some(code) = capsule {
            req.extensions_mut().insert(Config { capsule: code });
        }
        let fut = self.service.call(req);
        Box::pin(async move { fut.await })
    }
}
