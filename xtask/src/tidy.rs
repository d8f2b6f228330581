//! Architecture invariants, checked mechanically as tests (run by `cargo xtask test`).
//!
//! They read the real dependency graph with `cargo tree`, so a dependency added in the wrong
//! place fails CI instead of quietly bending the architecture.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::cargo;

    /// The normal (non-dev) dependencies of `package`, names only, transitively.
    fn dependencies(package: &str) -> BTreeSet<String> {
        let output = cargo()
            .args(["tree", "--package", package, "--edges", "normal", "--prefix", "none", "--format", "{p}"])
            .output()
            .expect("cargo tree runs");
        assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .map(str::to_owned)
            .collect()
    }

    fn assert_absent(package: &str, forbidden: &[&str]) {
        let present = dependencies(package);
        let found: Vec<&&str> = forbidden.iter().filter(|name| present.contains(**name)).collect();
        assert!(found.is_empty(), "{package} must not depend on {found:?}");
    }

    /// Crates that do I/O, run an executor, or speak a protocol.
    const IO: &[&str] = &["tokio", "sqlx", "axum", "hyper", "lettre", "reqwest", "tower", "mio"];

    #[test]
    fn the_domain_is_pure() {
        assert_absent("portico-domain", &[IO, &["async-trait", "futures"]].concat());
    }

    #[test]
    fn ports_name_no_technology() {
        assert_absent("portico-ports", IO);
    }

    #[test]
    fn the_application_knows_only_the_domain_and_the_ports() {
        let adapters =
            ["portico-memory", "portico-argon2", "portico-sqlite", "portico-postgres", "portico-smtp", "portico-http"];
        assert_absent("portico-app", &[IO, &adapters].concat());
    }

    #[test]
    fn the_shared_sql_knows_no_driver() {
        assert_absent("portico-sql", &[IO, &["sqlx", "sqlx-core", "portico-sqlite", "portico-postgres"]].concat());
    }

    #[test]
    fn the_web_edge_knows_the_application_not_the_adapters() {
        let adapters =
            ["portico-memory", "portico-argon2", "portico-sql", "portico-sqlite", "portico-postgres", "portico-smtp"];
        assert_absent("portico-http", &[&adapters[..], &["sqlx", "lettre"]].concat());
    }

    #[test]
    fn mocks_are_never_a_production_dependency() {
        for package in [
            "portico-domain",
            "portico-ports",
            "portico-app",
            "portico-memory",
            "portico-sqlite",
            "portico-postgres",
            "portico-http",
            "portico-server",
        ] {
            assert_absent(package, &["mockall"]);
        }
    }

    #[test]
    fn the_dependency_walk_sees_real_dependencies() {
        // Guards the checks above against a `cargo tree` that silently lists nothing.
        assert!(dependencies("portico-memory").contains("tokio"));
        assert!(dependencies("portico-app").contains("portico-domain"));
    }
}
