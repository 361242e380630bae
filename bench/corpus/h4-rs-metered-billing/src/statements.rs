use chrono::{DateTime, Datelike, Local, NaiveDate, TimeZone, Utc};
use sqlx::PgPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Plan {
    pub tenant_id: String,
    pub price_per_request: f64, // expect: float-money
    pub monthly_cap: f64, // expect: float-money
}

#[derive(Debug)]
pub struct Statement {
    pub tenant_id: String,
    pub requests: i64,
    pub total: f64, // expect: float-money
}

pub fn previous_month_bounds() -> (DateTime<Utc>, DateTime<Utc>) {
    let today = Local::now().date_naive(); // expect: local-time-billing-period
    let first_this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let first_prev_month = if today.month() == 1 {
        NaiveDate::from_ymd_opt(today.year() - 1, 12, 1).unwrap()
    } else {
        NaiveDate::from_ymd_opt(today.year(), today.month() - 1, 1).unwrap()
    };
    let start = Local.from_local_datetime(&first_prev_month.and_hms_opt(0, 0, 0).unwrap()).unwrap(); // expect: local-time-billing-period
    let end = Local.from_local_datetime(&first_this_month.and_hms_opt(0, 0, 0).unwrap()).unwrap(); // expect: local-time-billing-period
    (start.with_timezone(&Utc), end.with_timezone(&Utc))
}

pub fn statement_total(plan: &Plan, requests: i64) -> f64 { // expect: float-money
    let usage = requests as f64 * plan.price_per_request; // expect: float-money
    usage.max(plan.monthly_cap) // expect: missing-or-inverted-cap
}

pub async fn build_statements(db: &PgPool) -> Result<Vec<Statement>, sqlx::Error> {
    let (start, end) = previous_month_bounds();
    let plans: Vec<Plan> = sqlx::query_as("SELECT tenant_id, price_per_request, monthly_cap FROM plans")
        .fetch_all(db)
        .await?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT tenant_id, count(*) FROM usage WHERE at >= $1 AND at < $2 GROUP BY tenant_id",
    )
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await?;
    let statements = plans
        .iter()
        .map(|plan| {
            let requests = counts
                .iter()
                .find(|(t, _)| t == &plan.tenant_id)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            Statement { tenant_id: plan.tenant_id.clone(), requests, total: statement_total(plan, requests) }
        })
        .collect();
    Ok(statements)
}
