use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[derive(Debug, Clone)]
pub struct StoragePlan {
    pub price_per_gb_month: Decimal,
    pub included_gb: Decimal,
    pub monthly_cap: Decimal,
}

/// Start and end (exclusive) of the customer's billing month containing `at`, in UTC.
pub fn billing_month(at: DateTime<Utc>, customer_tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let local = at.with_timezone(&customer_tz);
    let (y, m) = (local.year(), local.month());
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let start = customer_tz.with_ymd_and_hms(y, m, 1, 0, 0, 0).earliest().expect("month start exists");
    let end = customer_tz.with_ymd_and_hms(ny, nm, 1, 0, 0, 0).earliest().expect("month start exists");
    (start.with_timezone(&Utc), end.with_timezone(&Utc))
}

pub fn storage_charge(plan: &StoragePlan, gb_hours: Decimal, hours_in_month: u32) -> Decimal {
    let gb_months = gb_hours / Decimal::from(hours_in_month);
    let billable = (gb_months - plan.included_gb).max(Decimal::ZERO);
    let charge = (billable * plan.price_per_gb_month).round_dp(2);
    charge.min(plan.monthly_cap)
}

pub fn vat(amount: Decimal, rate_percent: Decimal) -> Decimal {
    (amount * rate_percent / dec!(100)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

pub fn hours_in(start: DateTime<Utc>, end: DateTime<Utc>) -> u32 {
    u32::try_from((end - start).num_hours()).unwrap_or(0)
}
