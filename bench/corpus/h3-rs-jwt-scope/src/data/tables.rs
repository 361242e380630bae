/// Physical table name for a logical table. Platform tables are shared; tenant and capsule tables
/// are prefixed so that IAM policies can restrict access by prefix.
pub fn table_name(scope: &str, base: &str, owner: Option<&str>) -> String {
    match scope { // expect: runtime-scope-validation
        "platform" => base.to_owned(),
        "tenant" => format!("t_{}_{}", owner.expect("tenant scope needs a tenant id"), base),
        "capsule" => format!("{}_{}", owner.expect("capsule scope needs a capsule code"), base),
        other => panic!("invalid table scope: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_tenant_tables() {
        assert_eq!(table_name("tenant", "devices", Some("acme")), "t_acme_devices");
        assert_eq!(table_name("platform", "plans", None), "plans");
    }
}
