use actix_web::{web, App, HttpMessage, HttpRequest, HttpResponse, HttpServer};
use tracing::info;

mod middleware;
use middleware::{CapsuleExtractor, ConfigMiddleware, RequestId};

pub struct CapsuleContext {
    pub code: String,
}

async fn list_tables(req: HttpRequest) -> HttpResponse {
    let ext = req.extensions();
    let capsule = ext.get::<CapsuleContext>().expect("capsule");
    info!(capsule = %capsule.code, "listing tables");
    HttpResponse::Ok().finish()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .wrap(CapsuleExtractor::new())
            .wrap(ConfigMiddleware::new()) // expect: actix-middleware-order
            .wrap(RequestId::default())
            .route("/tables", web::get().to(list_tables))
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
