mod middleware;
mod support;
mod tenants;

use actix_web::{middleware::from_fn, web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use middleware::{auth::jwt_auth, quota::{admin_audit, quota_guard, QuotaState}, tenant::resolve_tenant};
use tenants::TenantDirectory;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().json().init();
    let directory = web::Data::new(TenantDirectory::from_env().await);
    let quotas = web::Data::new(QuotaState::new());

    HttpServer::new(move || {
        App::new()
            .app_data(directory.clone())
            .app_data(quotas.clone())
            .service(
                web::scope("/admin")
                    .wrap(from_fn(admin_audit))
                    .wrap(from_fn(resolve_tenant))
                    .wrap(from_fn(jwt_auth))
                    .configure(support::admin_routes),
            )
            .service(
                web::scope("/api")
                    .wrap(from_fn(resolve_tenant))
                    .wrap(from_fn(quota_guard)) // expect: actix-middleware-order
                    .wrap(from_fn(jwt_auth))
                    .configure(tenants::api_routes),
            )
            .wrap(TracingLogger::default())
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
