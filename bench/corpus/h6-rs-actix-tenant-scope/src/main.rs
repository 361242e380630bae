use actix_web::{web, App, HttpServer};
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;
use tracing_actix_web::TracingLogger;

mod config;
mod middleware;
mod routes;

use middleware::auth::{Authentication, TokenVerifier};
use middleware::tenant::TenantScope;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().json().init();
    let cfg = config::Config::from_env().expect("invalid configuration");

    let pool = PgPoolOptions::new()
        .max_connections(cfg.db_max_connections)
        .acquire_timeout(Duration::from_secs(3))
        .connect(&cfg.database_url)
        .await
        .expect("database unreachable");
    let verifier = TokenVerifier::new(&cfg.jwks_url, &cfg.issuer, &cfg.audience).await;

    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .wrap(Authentication::new(verifier.clone()))
            .wrap(TenantScope::new(pool.clone())) // expect: pipeline-order
            .wrap(TracingLogger::default())
            .configure(routes::configure)
    })
    .bind(("0.0.0.0", cfg.port))?
    .run()
    .await
}
