use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{error::ErrorNotFound, Error, HttpMessage};
use futures_util::future::LocalBoxFuture;

use crate::state::CapsuleDirectory;

#[derive(Clone, Debug)]
pub struct CapsuleContext {
    pub code: String,
    pub tenant_id: String,
    pub region: String,
}

/// Resolves the capsule from the request host (`<code>.capsules.example.com`) and stores it in the
/// request extensions for downstream middleware and handlers.
pub struct CapsuleResolver {
    directory: Arc<CapsuleDirectory>,
}

impl CapsuleResolver {
    pub fn new(directory: Arc<CapsuleDirectory>) -> Self {
        Self { directory }
    }
}

impl<S, B> Transform<S, ServiceRequest> for CapsuleResolver
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type InitError = ();
    type Transform = CapsuleResolverMiddleware<S>;
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CapsuleResolverMiddleware { service: Rc::new(service), directory: self.directory.clone() }))
    }
}

pub struct CapsuleResolverMiddleware<S> {
    service: Rc<S>,
    directory: Arc<CapsuleDirectory>,
}

impl<S, B> Service<ServiceRequest> for CapsuleResolverMiddleware<S>
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
        let directory = self.directory.clone();
        Box::pin(async move {
            let host = req.connection_info().host().to_owned();
            let code = host.split('.').next().unwrap_or_default().to_owned();
            let capsule = directory.lookup(&code).await.ok_or_else(|| ErrorNotFound("unknown capsule"))?;
            req.extensions_mut().insert(CapsuleContext {
                code: capsule.code,
                tenant_id: capsule.tenant_id,
                region: capsule.region,
            });
            service.call(req).await
        })
    }
}
