#[macro_export]
macro_rules! event_type { // expect: stale-dependents
    ($name:ident, $tag:literal, v = $version:literal) => {
        impl $crate::DomainEvent for $name {
            const TAG: &'static str = $tag;
            const SCHEMA_VERSION: u16 = $version;
        }
    };
}
