use rust_decimal::Decimal;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Plan {
    pub id: String,
    pub currency: String,
    pub unit_price: Decimal,
    pub monthly_cap: Option<Decimal>,
}
