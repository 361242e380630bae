use std::sync::Arc;

use actix_web::{middleware::from_fn, web, App, HttpServer};
use tracing_actix_web::TracingLogger;

mod middleware;
mod routes;
mod state;
mod telemetry;

use middleware::capsule::CapsuleResolver;
use middleware::config::load_capsule_config;
use middleware::operator::{load_operator, require_operator};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    telemetry::init("capsule-api");
    let state = web::Data::new(state::AppState::from_env().await.expect("state"));
    let capsules = Arc::new(state.capsule_directory.clone());

    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .service(
                web::scope("/admin")
                    .wrap(from_fn(require_operator))
                    .wrap(from_fn(load_operator))
                    .configure(routes::admin::configure),
            )
            .service(web::scope("/v1").configure(routes::settings::configure))
            .wrap(CapsuleResolver::new(capsules.clone()))
            .wrap(from_fn(load_capsule_config)) // expect: actix-middleware-order
            .wrap(TracingLogger::default())
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
