// Cases of the actix adapter, moved from the retired rule with the same expectations.
import type { RuleCase } from "../../../src/engine/rule.js";

export function actixCases(): RuleCase[] {
  const capsuleMw = `use std::future::{ready, Ready};
use actix_web::{dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform}, Error, HttpMessage};
use futures_util::future::LocalBoxFuture;

pub struct CapsuleExtractor;

impl<S, B> Transform<S, ServiceRequest> for CapsuleExtractor
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CapsuleExtractorMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CapsuleExtractorMiddleware { service }))
    }
}

pub struct CapsuleExtractorMiddleware<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for CapsuleExtractorMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let code = req.headers().get("x-capsule").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        req.extensions_mut().insert(CapsuleContext { code });
        let fut = self.service.call(req);
        Box::pin(async move { fut.await })
    }
}
`;
  const configMw = `use actix_web::{body::MessageBody, dev::{ServiceRequest, ServiceResponse}, error, middleware::Next, Error, HttpMessage};

pub async fn config_middleware(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let capsule = req
        .extensions()
        .get::<CapsuleContext>()
        .cloned()
        .ok_or_else(|| error::ErrorInternalServerError("no capsule context"))?;
    let config = load_config(&capsule.code).await?;
    req.extensions_mut().insert(config);
    next.call(req).await
}
`;
  const main = (order: string) => `use actix_web::{middleware::{self, Logger}, web, App, HttpServer};
use crate::middleware::capsule::CapsuleExtractor;
use crate::middleware::config::config_middleware;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(move || {
        App::new()
${order}
            .wrap(Logger::default())
            .service(web::scope("/api").configure(routes::configure))
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
`;
  const files = (order: string) => [
    { path: "src/middleware/capsule.rs", code: capsuleMw },
    { path: "src/middleware/config.rs", code: configMw },
    { path: "src/main.rs", code: main(order) },
  ];
  return [
    {
      name: "extractor registered last runs first, so the config middleware sees the capsule (correct under actix)",
      files: files("            .wrap(middleware::from_fn(config_middleware))\n            .wrap(CapsuleExtractor)"),
      expect: [],
    },
    {
      name: "extractor registered first runs last: config middleware finds no capsule",
      files: files("            .wrap(CapsuleExtractor)\n            .wrap(middleware::from_fn(config_middleware))"),
      expect: ["src/main.rs:10"],
    },
    {
      name: "single file: from_fn producer registered before its consumer",
      language: "rust" as const,
      code: `use actix_web::{body::MessageBody, dev::{ServiceRequest, ServiceResponse}, middleware::{from_fn, Next}, web, App, Error, HttpMessage};

#[derive(Clone)]
struct AuthUser { id: String, tenant_id: String }

async fn authenticate(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let user = verify_bearer(&req).await?;
    req.extensions_mut().insert(AuthUser { id: user.sub, tenant_id: user.tenant });
    next.call(req).await
}

async fn require_tenant(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let tenant = req.extensions().get::<AuthUser>().map(|u| u.tenant_id.clone());
    match tenant {
        Some(_) => next.call(req).await,
        None => Err(actix_web::error::ErrorForbidden("no tenant")),
    }
}

pub fn app() -> App<impl actix_web::dev::ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap(from_fn(authenticate))
        .wrap(from_fn(require_tenant))
        .service(web::resource("/orders").to(list_orders))
}
`,
      expect: [23],
    },
    {
      name: "ReqData extractor in from_fn middleware, producer in a wrap_fn closure registered earlier",
      language: "rust" as const,
      code: `use actix_web::{dev::Service as _, middleware::{from_fn, Next}, web::{self, ReqData}, App, HttpMessage};

#[derive(Clone)]
pub struct RequestId(pub String);

async fn audit(request_id: ReqData<RequestId>, req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    tracing::info!(request_id = %request_id.0, path = %req.path(), "audit");
    next.call(req).await
}

pub fn build() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap_fn(|req, srv| {
            req.extensions_mut().insert(RequestId(uuid::Uuid::new_v4().to_string()));
            srv.call(req)
        })
        .wrap(from_fn(audit))
}
`,
      expect: [17],
    },
    {
      name: "consumer on the App, producer only on the nested scope",
      language: "rust" as const,
      code: `use actix_web::{middleware::from_fn, web, App};

async fn tenant_ctx(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = TenantId(req.match_info().query("tenant").to_string());
    req.extensions_mut().insert(id);
    next.call(req).await
}

async fn rate_limit(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let tenant = req.extensions().get::<TenantId>().cloned();
    LIMITER.check(tenant.as_ref().map(|t| t.0.as_str()).unwrap_or("anon"))?;
    next.call(req).await
}

pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap(from_fn(rate_limit))
        .service(
            web::scope("/t/{tenant}")
                .wrap(from_fn(tenant_ctx))
                .route("/orders", web::get().to(list_orders)),
        )
}
`,
      expect: [17],
    },
    {
      name: "actix-web-httpauth validator inserts the principal; admin check registered after it on the scope",
      language: "rust" as const,
      code: `use actix_web::{dev::ServiceRequest, middleware::{from_fn, Next}, web, App, Error, HttpMessage};
use actix_web_httpauth::{extractors::bearer::BearerAuth, middleware::HttpAuthentication};

async fn validator(req: ServiceRequest, credentials: BearerAuth) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    match jwt::verify(credentials.token()) {
        Ok(claims) => {
            req.extensions_mut().insert(Principal { sub: claims.sub, roles: claims.roles });
            Ok(req)
        }
        Err(e) => Err((actix_web::error::ErrorUnauthorized(e), req)),
    }
}

async fn require_admin(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let is_admin = req.extensions().get::<Principal>().map(|p| p.roles.iter().any(|r| r == "admin")).unwrap_or(false);
    if !is_admin { return Err(actix_web::error::ErrorForbidden("admin only")); }
    next.call(req).await
}

pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    let auth = HttpAuthentication::bearer(validator);
    App::new().service(
        web::scope("/admin")
            .wrap(auth)
            .wrap(from_fn(require_admin))
            .route("/tenants", web::get().to(list_tenants)),
    )
}
`,
      expect: [25],
    },
    {
      name: "Transform middleware reads the extensions through a local guard; registered after its producer",
      files: [
        {
          path: "src/middleware/quota.rs",
          code: `impl<S, B> Transform<S, ServiceRequest> for QuotaGuard where S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static {
    type Transform = QuotaGuardMiddleware<S>;
    fn new_transform(&self, service: S) -> Self::Future { ready(Ok(QuotaGuardMiddleware { service: Rc::new(service) })) }
}

impl<S, B> Service<ServiceRequest> for QuotaGuardMiddleware<S> where S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static {
    fn call(&self, req: ServiceRequest) -> Self::Future {
        let svc = self.service.clone();
        Box::pin(async move {
            let tenant_id = {
                let ext = req.extensions();
                let ctx = ext.get::<TenantContext>().ok_or_else(|| ErrorInternalServerError("tenant context missing"))?;
                ctx.tenant_id.clone()
            };
            quota::check(&tenant_id).await?;
            svc.call(req).await
        })
    }
}
`,
        },
        {
          path: "src/middleware/tenant.rs",
          code: `impl<S, B> Transform<S, ServiceRequest> for TenantResolver where S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static {
    type Transform = TenantResolverMiddleware<S>;
    fn new_transform(&self, service: S) -> Self::Future { ready(Ok(TenantResolverMiddleware { service: Rc::new(service), pool: self.pool.clone() })) }
}

impl<S, B> Service<ServiceRequest> for TenantResolverMiddleware<S> where S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static {
    fn call(&self, req: ServiceRequest) -> Self::Future {
        let svc = self.service.clone();
        let pool = self.pool.clone();
        Box::pin(async move {
            let tenant = lookup_tenant(&pool, req.connection_info().host()).await?;
            req.extensions_mut().insert(TenantContext { tenant_id: tenant.id });
            svc.call(req).await
        })
    }
}
`,
        },
        {
          path: "src/routes.rs",
          code: `use actix_web::web;
use crate::middleware::{quota::QuotaGuard, tenant::TenantResolver};

pub fn configure_api(cfg: &mut web::ServiceConfig, pool: sqlx::PgPool) {
    cfg.service(
        web::scope("/api/v1")
            .wrap(TenantResolver::new(pool.clone()))
            .wrap(QuotaGuard)
            .service(orders::routes()),
    );
}
`,
        },
      ],
      expect: ["src/routes.rs:8"],
    },
    {
      name: "Transform inserts the claims of a jsonwebtoken decode::<T>(); admin guard registered after it on a scope",
      files: [
        { path: "src/auth.rs", code: ACTIX_JWT() },
        {
          path: "src/main.rs",
          code: `use actix_web::{middleware::from_fn, web, App};
use crate::auth::{admin_only, BearerAuth};

pub fn app() -> App<impl actix_web::dev::ServiceFactory<actix_web::dev::ServiceRequest>> {
    App::new().service(
        web::scope("/ops")
            .wrap(BearerAuth)
            .wrap(from_fn(admin_only))
            .route("/tenants", web::get().to(list_tenants)),
    )
}
`,
        },
      ],
      expect: ["src/main.rs:8"],
    },
    {
      name: "decode::<T>() claims producer registered last on the scope: runs before the guard",
      files: [
        { path: "src/auth.rs", code: ACTIX_JWT() },
        {
          path: "src/main.rs",
          code: `use actix_web::{middleware::from_fn, web, App};
use crate::auth::{admin_only, BearerAuth};

pub fn app() -> App<impl actix_web::dev::ServiceFactory<actix_web::dev::ServiceRequest>> {
    App::new().service(
        web::scope("/ops")
            .wrap(from_fn(admin_only))
            .wrap(BearerAuth)
            .route("/tenants", web::get().to(list_tenants)),
    )
}
`,
        },
      ],
      expect: [],
    },
    {
      name: "correct order: consumer registered first, producer last",
      language: "rust" as const,
      code: `use actix_web::{middleware::{from_fn, Logger}, web, App};

async fn authenticate(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let claims = verify(&req).await?;
    req.extensions_mut().insert(Claims { sub: claims.sub, tenant: claims.tenant });
    next.call(req).await
}

async fn require_tenant(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    // runs after authenticate because it is registered before it (actix reverses the order)
    let ok = req.extensions().get::<Claims>().is_some();
    if !ok { return Err(actix_web::error::ErrorForbidden("missing claims")); }
    next.call(req).await
}

pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap(from_fn(require_tenant))
        .wrap(from_fn(authenticate))
        .wrap(Logger::default())
}
`,
      expect: [],
    },
    {
      name: "producer on the App, consumer on a nested scope",
      language: "rust" as const,
      code: `use actix_web::{middleware::from_fn, web, App};

async fn session(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let s = load_session(&req).await?;
    req.extensions_mut().insert(Session { user: s.user });
    next.call(req).await
}

async fn admin_only(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let is_admin = req.extensions().get::<Session>().map(|s| s.user.is_admin).unwrap_or(false);
    if !is_admin { return Err(actix_web::error::ErrorForbidden("admin")); }
    next.call(req).await
}

pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .service(web::scope("/admin").wrap(from_fn(admin_only)).service(admin::routes()))
        .wrap(from_fn(session))
}
`,
      expect: [],
    },
    {
      name: "unrelated middleware and a comment that mentions extensions().get::<T>()",
      language: "rust" as const,
      code: `use actix_web::{middleware::{Compress, DefaultHeaders, Logger}, App};

// Note: handlers read extensions().get::<Claims>() after the auth middleware.
pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap(Compress::default())
        .wrap(DefaultHeaders::new().add(("X-Version", "1")))
        .wrap(Logger::new("%a %r %s"))
}
`,
      expect: [],
    },
    {
      name: "consumer whose producer is not in the PR is left alone",
      language: "rust" as const,
      code: `use actix_web::middleware::from_fn;

async fn require_claims(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    req.extensions().get::<Claims>().ok_or_else(|| ErrorUnauthorized("no claims"))?;
    next.call(req).await
}

pub fn app() -> App<impl ServiceFactory<ServiceRequest>> {
    App::new()
        .wrap(from_fn(require_claims))
        .wrap(shared_auth::JwtAuth::new(keys()))
}
`,
      expect: [],
    },
  ];
}

function ACTIX_JWT(): string {
  return `use std::future::{ready, Ready};
use std::rc::Rc;
use actix_web::{body::MessageBody, dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform}, middleware::Next, Error, HttpMessage};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{decode, Validation};

#[derive(Clone, serde::Deserialize)]
pub struct StaffClaims { pub sub: String, pub staff: bool }

pub struct BearerAuth;

impl<S, B> Transform<S, ServiceRequest> for BearerAuth
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = BearerAuthService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(BearerAuthService { service: Rc::new(service) }))
    }
}

pub struct BearerAuthService<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for BearerAuthService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        Box::pin(async move {
            let token = bearer(&req)?;
            let token_data = decode::<StaffClaims>(&token, &KEY, &Validation::default())
                .map_err(actix_web::error::ErrorUnauthorized)?;
            req.extensions_mut().insert(token_data.claims);
            service.call(req).await
        })
    }
}

pub async fn admin_only(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let staff = req
        .extensions()
        .get::<StaffClaims>()
        .map(|c| c.staff)
        .unwrap_or(false);
    if !staff {
        return Err(actix_web::error::ErrorForbidden("staff only"));
    }
    next.call(req).await
}
`;
}
