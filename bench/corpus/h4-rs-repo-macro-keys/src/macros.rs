/// Generates a small repository type over one table, keyed by a typed id.
#[macro_export]
macro_rules! define_repo { // expect: stale-dependents
    ($name:ident, $table:literal, $key:ty) => {
        pub struct $name {
            pool: sqlx::PgPool,
            table: String,
        }

        impl $name {
            pub fn new(pool: sqlx::PgPool, env: &str) -> Self {
                Self { pool, table: $crate::physical_table(env, $table) }
            }

            pub async fn find<T>(&self, id: &$key) -> Result<Option<T>, sqlx::Error>
            where
                T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
                $key: AsRef<str>,
            {
                sqlx::query_as(&format!("SELECT * FROM {} WHERE id = $1", self.table))
                    .bind(id.as_ref())
                    .fetch_optional(&self.pool)
                    .await
            }
        }
    };
}
