use actix_web::{middleware::from_fn, web, App, HttpResponse, HttpServer};
use std::sync::Arc;

mod clients;
mod middleware;

use clients::{ClientFactory, Scope};
use middleware::{extract_capsule, load_capsule_config, CapsuleConfig, CapsuleContext};

async fn list_jobs(
    factory: web::Data<ClientFactory>,
    capsule: web::ReqData<CapsuleContext>,
    config: web::ReqData<CapsuleConfig>,
) -> actix_web::Result<HttpResponse> {
    let scope = Scope::Capsule(capsule.code.clone());
    let client = factory.operator_client(&config.operator_role_arn).await?;
    let out = client
        .query()
        .table_name(factory.table_name(&scope, "jobs"))
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S(capsule.code.clone()))
        .limit(100)
        .send()
        .await
        .map_err(actix_web::error::ErrorBadGateway)?;
    Ok(HttpResponse::Ok().json(out.count()))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt().json().init();
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let factory = web::Data::new(ClientFactory::new(&sdk));
    let configs = web::Data::new(middleware::ConfigService::new(&sdk));

    HttpServer::new(move || {
        App::new()
            .app_data(factory.clone())
            .app_data(configs.clone())
            .wrap(from_fn(extract_capsule))
            .wrap(from_fn(load_capsule_config)) // expect: pipeline-order
            .wrap(tracing_actix_web::TracingLogger::default())
            .route("/v1/jobs", web::get().to(list_jobs))
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
