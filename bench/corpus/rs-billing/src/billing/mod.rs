use chrono::{DateTime, Datelike, Local, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

pub struct Plan {
    pub unit_price_cents: i64,
    pub monthly_cap_cents: i64,
}

pub struct LineItem {
    pub description: String,
    pub amount: f64, // expect: float-money
}

pub struct Invoice {
    pub total_cents: i64,
    pub tax: Decimal,
}

pub fn period_start() -> DateTime<Local> {
    let now = Local::now(); // expect: local-time-billing-period
    Local.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).unwrap()
}

pub fn period_start_for(tz: Tz, now: DateTime<Utc>) -> DateTime<Tz> {
    let local = now.with_timezone(&tz);
    tz.with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0).unwrap()
}

pub fn monthly_charge(plan: &Plan, calls: i64) -> i64 {
    let usage = calls * plan.unit_price_cents;
    usage.max(plan.monthly_cap_cents) // expect: missing-or-inverted-cap
}

pub fn monthly_charge_capped(plan: &Plan, calls: i64) -> i64 {
    (calls * plan.unit_price_cents).min(plan.monthly_cap_cents)
}

pub fn retry_delay_ms(attempt: u32) -> u64 {
    let base: f64 = 100.0 * 2f64.powi(attempt as i32);
    base.max(50.0) as u64
}
