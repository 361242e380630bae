/// Implements `Repository` for an entity stored in its own DynamoDB table.
#[macro_export]
macro_rules! impl_repository { // expect: stale-dependents
    ($ty:ty, $table:expr, $key:expr) => {
        impl $crate::repo::Repository for $ty {
            const TABLE: &'static str = $table;
            const KEY: &'static str = $key;

            fn key(&self) -> String {
                self.id.to_string()
            }
        }
    };
}
