//! Architecture invariants, checked mechanically as tests (run by `cargo xtask test`).
//!
//! They read the real dependency graph with `cargo tree`, so a dependency added in the wrong
//! place fails CI instead of quietly bending the architecture; and they read the source tree
//! for the invariants that would otherwise only be written down: both engines migrate to the
//! same schema versions and tables, every contract case runs on every adapter, and every
//! source file says what it holds.

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
        let adapters = [
            "portico-memory",
            "portico-os",
            "portico-argon2",
            "portico-sqlite",
            "portico-postgres",
            "portico-smtp",
            "portico-http",
        ];
        assert_absent("portico-app", &[IO, &adapters].concat());
    }

    #[test]
    fn the_shared_sql_knows_no_driver() {
        assert_absent("portico-sql", &[IO, &["sqlx", "sqlx-core", "portico-sqlite", "portico-postgres"]].concat());
    }

    #[test]
    fn the_web_edge_knows_the_application_not_the_adapters() {
        let adapters = [
            "portico-memory",
            "portico-os",
            "portico-argon2",
            "portico-sql",
            "portico-sqlite",
            "portico-postgres",
            "portico-smtp",
        ];
        assert_absent("portico-http", &[&adapters[..], &["sqlx", "lettre"]].concat());
    }

    #[test]
    fn the_program_runs_on_no_test_adapter() {
        // The real clock, randomness and files come from `portico-os`; the in-memory store
        // is for tests and embedding.
        assert_absent("portico-server", &["portico-memory", "portico-testkit", "portico-testdb"]);
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

    /// Every file below `dir` whose name ends in `.{ext}`.
    fn files_below(dir: &std::path::Path, ext: &str, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files_below(&path, ext, found);
            } else if path.extension().is_some_and(|extension| extension == ext) {
                found.push(path);
            }
        }
    }

    fn read(path: &std::path::Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    }

    #[test]
    fn every_source_file_opens_with_a_module_doc() {
        let root = crate::root();
        let mut files = Vec::new();
        files_below(&root.join("crates"), "rs", &mut files);
        files_below(&root.join("xtask/src"), "rs", &mut files);
        let undocumented: Vec<String> = (files.iter())
            .filter(|path| !read(path).starts_with("//!"))
            .map(|path| path.strip_prefix(&root).unwrap_or(path).display().to_string())
            .collect();
        assert!(!files.is_empty(), "the source files are found");
        assert!(undocumented.is_empty(), "files without a module doc (`//!` first): {undocumented:?}");
    }

    #[test]
    fn no_template_compares_a_string() {
        // A page shows what the domain answers (a client's actions, an item's visibility
        // switch); a comparison with a name in a template would be the rule written again.
        let mut templates = Vec::new();
        files_below(&crate::root().join("crates/portico-http/templates"), "html", &mut templates);
        assert!(templates.len() > 10, "the templates are found: {templates:?}");
        let mut found = Vec::new();
        for path in &templates {
            for (number, line) in read(path).lines().enumerate() {
                let compact: String = line.split_whitespace().collect();
                if ["==\"", "!=\"", "=='", "!='", "ui::same("].iter().any(|pattern| compact.contains(pattern)) {
                    found.push(format!("{}:{}: {}", path.display(), number + 1, line.trim()));
                }
            }
        }
        assert!(found.is_empty(), "templates comparing strings:\n{}", found.join("\n"));
    }

    #[test]
    fn pages_are_drawn_from_domain_values_not_the_api_views() {
        // The API's JSON views are strings (RFC 3339 instants, status names); a page drawn from
        // them would parse them back or compare names. Pages take the domain's values.
        let mut pages = Vec::new();
        files_below(&crate::root().join("crates/portico-http/src/ui"), "rs", &mut pages);
        assert!(pages.len() > 10, "the page modules are found: {pages:?}");
        let using: Vec<String> = (pages.iter())
            .filter(|path| read(path).contains("crate::views"))
            .map(|path| path.display().to_string())
            .collect();
        assert!(using.is_empty(), "page modules using the API's views: {using:?}");
    }

    /// The migration files of `engine`, and the tables they leave, lower-cased: every table
    /// created, less those dropped, with renamed ones under their new name (a table rebuilt
    /// under a temporary name counts once, as what it becomes).
    fn migrations(engine: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let folder = crate::root().join("migrations").join(engine);
        let name_after = |text: &str| -> String {
            let text = text.trim_start().trim_start_matches("if not exists").trim_start();
            text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        };
        let (mut files, mut tables, mut dropped, mut renamed) =
            (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), Vec::new());
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|_| panic!("{} exists", folder.display())).flatten() {
            files.insert(entry.file_name().to_string_lossy().into_owned());
            let sql = read(&entry.path()).to_lowercase();
            tables.extend(sql.split("create table").skip(1).map(name_after));
            dropped.extend(sql.split("drop table").skip(1).map(name_after));
            for statement in sql.split("alter table").skip(1) {
                if let Some((_, to)) = statement.split_once(';').map_or(statement, |(s, _)| s).split_once(" rename to ")
                {
                    renamed.push((name_after(statement), name_after(to)));
                }
            }
        }
        tables.retain(|t| !dropped.contains(t));
        for (from, to) in renamed {
            tables.remove(&from);
            tables.insert(to);
        }
        (files, tables)
    }

    #[test]
    fn both_engines_migrate_to_the_same_versions_and_tables() {
        let (sqlite_files, sqlite_tables) = migrations("sqlite");
        let (postgres_files, postgres_tables) = migrations("postgres");
        assert!(sqlite_tables.contains("clients"), "tables are found: {sqlite_tables:?}");
        assert_eq!(sqlite_files, postgres_files, "the same migration versions, by file name");
        assert_eq!(sqlite_tables, postgres_tables, "the same tables");
    }

    #[test]
    fn every_contract_case_runs_on_every_adapter() {
        let root = crate::root();
        let cases = read(&root.join("crates/portico-testkit/src/contract/cases.rs"));
        let defined: BTreeSet<String> = (cases.lines())
            .filter_map(|line| line.trim_start().strip_prefix("pub async fn "))
            .map(|rest| rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect())
            .collect();
        let suite = read(&root.join("crates/portico-testkit/src/contract.rs"));
        let listed = suite.split("@cases $fresh;").nth(1).unwrap_or_default();
        let listed = listed.split(')').next().unwrap_or_default();
        let listed: BTreeSet<String> =
            listed.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect();
        assert!(defined.len() > 10, "the cases are found: {defined:?}");
        assert_eq!(defined, listed, "every case in cases.rs is in contract_tests!, and only those");
        for adapter in [
            "crates/portico-testkit/tests/memory_contract.rs",
            "crates/portico-sqlite/tests/contract.rs",
            "crates/portico-postgres/tests/contract.rs",
        ] {
            assert!(read(&root.join(adapter)).contains("contract_tests!("), "{adapter} runs the contract suite");
        }
    }
}
