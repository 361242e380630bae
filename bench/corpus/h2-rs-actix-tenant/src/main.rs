use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

mod handlers;
mod middleware;
mod state;

use middleware::auth::JwtAuth;
use middleware::tenant::{require_admin, resolve_tenant};
use state::AppState;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().json().with_current_span(true).init();
    let state = web::Data::new(AppState::from_env().await.expect("config"));
    let keys = state.jwt_keys.clone();

    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(Compress::default())
            .wrap(TracingLogger::default())
            .route("/healthz", web::get().to(handlers::health))
            .service(
                web::scope("/api")
                    .wrap(from_fn(resolve_tenant))
                    .wrap(JwtAuth::new(keys.clone()))
                    .route("/projects", web::get().to(handlers::list_projects))
                    .route("/tenants/{tenant_id}/projects/{id}", web::get().to(handlers::get_project))
                    .route("/switch-tenant", web::post().to(handlers::switch_tenant)),
            )
            .service(
                web::scope("/admin")
                    .wrap(JwtAuth::new(keys.clone()))
                    .wrap(from_fn(require_admin)) // expect: actix-middleware-order
                    .route("/tenants", web::get().to(handlers::list_tenants)),
            )
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
