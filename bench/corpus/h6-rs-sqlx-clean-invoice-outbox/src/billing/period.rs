use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BillingPeriod {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl BillingPeriod {
    /// The calendar month before the one containing `now`, in UTC.
    pub fn previous_month(now: DateTime<Utc>) -> Self {
        let first_this = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).expect("valid date");
        let first_prev = (first_this - Duration::days(1)).with_day(1).expect("valid date");
        Self {
            start: Utc.from_utc_datetime(&first_prev.and_hms_opt(0, 0, 0).unwrap()),
            end: Utc.from_utc_datetime(&first_this.and_hms_opt(0, 0, 0).unwrap()),
        }
    }

    pub fn label(&self) -> String {
        self.start.format("%Y-%m").to_string()
    }
}

/// Usage charge for the period: calls times unit price, never more than the contracted cap.
pub fn usage_charge(billable_calls: i64, unit_price: Decimal, monthly_cap: Option<Decimal>) -> Decimal {
    let raw = (Decimal::from(billable_calls) * unit_price).round_dp(2);
    match monthly_cap {
        Some(cap) => raw.min(cap),
        None => raw,
    }
}
