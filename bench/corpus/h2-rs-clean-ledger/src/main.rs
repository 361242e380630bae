use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

mod ledger;
mod mw;
mod partner;
mod state;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().json().with_current_span(true).init();
    let state = web::Data::new(state::AppState::load().await.expect("state"));

    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .service(
                web::scope("/v1")
                    // actix runs the last registered middleware first: authenticate, then tenant, then meter
                    .wrap(from_fn(mw::meter_usage))
                    .wrap(from_fn(mw::tenant_context))
                    .wrap(from_fn(mw::authenticate))
                    .route("/ledger/{account}/entries", web::post().to(ledger::post_entry))
                    .route("/ledger/{account}/balance", web::get().to(ledger::balance)),
            )
            .route("/healthz", web::get().to(|| async { "ok" }))
            .wrap(TracingLogger::default())
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
