/// Declares a DynamoDB-backed entity: table name, the key attribute and the error type its repository returns.
#[macro_export]
macro_rules! dynamo_entity { // expect: stale-dependents
    ($name:ident, $table:expr, $err:ty) => {
        impl $crate::store::Entity for $name {
            const TABLE: &'static str = $table;
            type Error = $err;
            fn pk(&self) -> String {
                format!("{}#{}#{}", stringify!($name).to_uppercase(), self.tenant_id, self.id)
            }
        }
    };
}
