//! A SQLite transaction as a `portico-sql` `Transaction`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use portico_ports::RepoResult;
use portico_sql::{ClientSearch, Dialect, Transaction, Value};
use sqlx::sqlite::{Sqlite, SqliteArguments};
use sqlx::{AssertSqlSafe, Transaction as SqlxTransaction};
use time::OffsetDateTime;
use time::macros::format_description;
use tokio::sync::OwnedMutexGuard;

use crate::errors::map;
use crate::row::Row;

/// A transaction, holding the writer lock when it may write.
pub(crate) struct SqliteTransaction {
    tx: SqlxTransaction<'static, Sqlite>,
    _writer: Option<OwnedMutexGuard<()>>,
    statements: Arc<AtomicU64>,
}

impl SqliteTransaction {
    pub(crate) fn new(
        tx: SqlxTransaction<'static, Sqlite>,
        writer: Option<OwnedMutexGuard<()>>,
        statements: Arc<AtomicU64>,
    ) -> Self {
        Self { tx, _writer: writer, statements }
    }

    fn query(&self, sql: &str, args: Vec<Value>) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        query(sql, args)
    }
}

/// Integer microseconds since 1970: how this adapter stores instants.
fn micros(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

pub(crate) fn query(sql: &str, args: Vec<Value>) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
    let mut query = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for arg in args {
        query = match arg {
            Value::Uuid(id) => query.bind(id.hyphenated().to_string()),
            Value::OptUuid(id) => query.bind(id.map(|id| id.hyphenated().to_string())),
            Value::Text(text) => query.bind(text),
            Value::OptText(text) => query.bind(text),
            Value::Int(n) => query.bind(n),
            Value::OptInt(n) => query.bind(n),
            Value::Bool(b) => query.bind(b),
            Value::Time(at) => query.bind(micros(at)),
            Value::OptTime(at) => query.bind(at.map(micros)),
            Value::OptDate(date) => {
                let iso = date.and_then(|d| d.format(format_description!("[year]-[month]-[day]")).ok());
                query.bind(iso)
            }
            Value::Bytes(bytes) => query.bind(bytes),
            Value::Uuids(ids) => {
                let json: Vec<String> = ids.iter().map(|id| format!("\"{}\"", id.hyphenated())).collect();
                query.bind(format!("[{}]", json.join(",")))
            }
            Value::Texts(texts) => query.bind(json_array(&texts)),
        };
    }
    query
}

/// A JSON array of strings, for `json_each`.
fn json_array(texts: &[String]) -> String {
    use std::fmt::Write as _;

    let mut json = String::from("[");
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        for c in text.chars() {
            match c {
                '"' => json.push_str("\\\""),
                '\\' => json.push_str("\\\\"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(json, "\\u{:04x}", u32::from(c));
                }
                c => json.push(c),
            }
        }
        json.push('"');
    }
    json.push(']');
    json
}

/// This engine's spelling of the SQL that differs.
pub(crate) const DIALECT: Dialect =
    Dialect { in_list, contains, client_search, claim_lock: "", join_left_first: "CROSS JOIN" };

fn contains(column: &str, param: usize) -> String {
    format!("instr({column}, ${param}) > 0")
}

fn in_list(column: &str, param: usize) -> String {
    format!("{column} IN (SELECT value FROM json_each(${param}))")
}

fn client_search(param: usize) -> ClientSearch {
    // Start from the trigram index (CROSS JOIN fixes the join order in SQLite), so a search
    // costs the matches, not the clients. Wildcards in the needle can only widen the index's
    // candidates; `instr` then keeps exactly the clients whose text contains the needle.
    ClientSearch {
        from: "client_search s CROSS JOIN clients c ON c.search_rowid = s.rowid".to_owned(),
        condition: format!("s.search_text LIKE '%' || ${param} || '%' AND instr(c.search_text, ${param}) > 0"),
    }
}

#[async_trait]
impl Transaction for SqliteTransaction {
    type Row = Row;

    async fn execute(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<u64> {
        let done = self.query(sql, args).execute(&mut *self.tx).await.map_err(map)?;
        Ok(done.rows_affected())
    }

    async fn fetch_all(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<Vec<Row>> {
        let rows = self.query(sql, args).fetch_all(&mut *self.tx).await.map_err(map)?;
        Ok(rows.into_iter().map(Row).collect())
    }

    async fn fetch_optional(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<Option<Row>> {
        Ok(self.query(sql, args).fetch_optional(&mut *self.tx).await.map_err(map)?.map(Row))
    }

    async fn commit(self) -> RepoResult<()> {
        self.tx.commit().await.map_err(map)
    }

    fn dialect(&self) -> Dialect {
        DIALECT
    }
}

#[cfg(test)]
mod tests {
    use super::json_array;

    #[test]
    fn text_lists_are_valid_json_whatever_they_hold() {
        let texts = ["plain@x.example".to_owned(), "quote\"back\\slash".to_owned(), "tab\there".to_owned()];
        assert_eq!(json_array(&texts), r#"["plain@x.example","quote\"back\\slash","tab\u0009here"]"#);
        assert_eq!(json_array(&[]), "[]");
    }
}
