// axum: `Router::layer` wraps only the routes added before it.
import type { RuleCase } from "../../../src/engine/rule.js";

const auth = `use axum::{extract::Request, http::StatusCode, middleware::{self, Next}, response::Response, routing::{get, post}, Extension, Router};

#[derive(Clone)]
pub struct CurrentUser { pub id: String, pub tenant_id: String }

async fn authenticate(mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let user = verify(req.headers()).await.map_err(|_| StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(CurrentUser { id: user.sub, tenant_id: user.tenant });
    Ok(next.run(req).await)
}
`;

export function axumRouteCases(): RuleCase[] {
  return [
    {
      name: "route added after the auth layer is not authenticated",
      language: "rust",
      code: `${auth}
pub fn app() -> Router {
    Router::new()
        .route("/orders", get(list_orders))
        .layer(middleware::from_fn(authenticate))
        .route("/admin/tenants", post(create_tenant))
}
`,
      expect: [16],
    },
    {
      name: "handler extracts an Extension that a layer added before its route never inserts",
      language: "rust",
      code: `use axum::{routing::get, Extension, Json, Router};

#[derive(Clone)]
pub struct Db(sqlx::PgPool);

async fn list_invoices(Extension(db): Extension<Db>) -> Json<Vec<Invoice>> {
    Json(invoices::all(&db.0).await)
}

pub fn app(pool: sqlx::PgPool) -> Router {
    let db = Db(pool);
    Router::new()
        .layer(Extension(db))
        .route("/invoices", get(list_invoices))
}
`,
      expect: [14],
    },
    {
      name: "every route added before the auth layer",
      language: "rust",
      code: `${auth}
pub fn app() -> Router {
    Router::new()
        .route("/orders", get(list_orders))
        .route("/admin/tenants", post(create_tenant))
        .layer(middleware::from_fn(authenticate))
}
`,
      expect: [],
    },
    {
      name: "health route added after the auth layer stays public on purpose",
      language: "rust",
      code: `${auth}
pub fn app() -> Router {
    Router::new()
        .route("/orders", get(list_orders))
        .layer(middleware::from_fn(authenticate))
        .route("/healthz", get(|| async { "ok" }))
}
`,
      expect: [],
    },
  ];
}
