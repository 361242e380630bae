use actix_web::{middleware::from_fn, web, App, HttpResponse, HttpServer};

mod clients;
mod middleware;

use clients::{CapsuleClient, OperatorClients};
use middleware::{extract_capsule, load_capsule_config, CapsuleConfig, CapsuleContext};

async fn list_jobs(
    operators: web::Data<OperatorClients>,
    capsule: web::ReqData<CapsuleContext>,
    config: web::ReqData<CapsuleConfig>,
) -> actix_web::Result<HttpResponse> {
    let dynamo = operators.client_for(&config.operator_role_arn).await?;
    let client = CapsuleClient::new(dynamo, capsule.code.clone());
    let count = client.count_jobs().await.map_err(actix_web::error::ErrorBadGateway)?;
    Ok(HttpResponse::Ok().json(count))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().json().init();
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let operators = web::Data::new(OperatorClients::new(&sdk));
    let configs = web::Data::new(middleware::ConfigService::new(&sdk));

    HttpServer::new(move || {
        App::new()
            .app_data(operators.clone())
            .app_data(configs.clone())
            .wrap(from_fn(load_capsule_config))
            .wrap(from_fn(extract_capsule))
            .wrap(tracing_actix_web::TracingLogger::default())
            .route("/v1/jobs", web::get().to(list_jobs))
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
