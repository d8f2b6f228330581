//! A PostgreSQL transaction as a `portico-sql` `Transaction`.

use async_trait::async_trait;
use portico_ports::RepoResult;
use portico_sql::{ClientSearch, Dialect, Transaction, Value};
use sqlx::postgres::{PgArguments, Postgres};
use sqlx::{AssertSqlSafe, Transaction as SqlxTransaction};

use crate::errors::map;
use crate::row::Row;

/// A transaction.
pub(crate) struct PgTransaction {
    tx: SqlxTransaction<'static, Postgres>,
}

impl PgTransaction {
    pub(crate) fn new(tx: SqlxTransaction<'static, Postgres>) -> Self {
        Self { tx }
    }
}

pub(crate) fn query(sql: &str, args: Vec<Value>) -> sqlx::query::Query<'static, Postgres, PgArguments> {
    let mut query = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for arg in args {
        query = match arg {
            Value::Uuid(id) => query.bind(id),
            Value::OptUuid(id) => query.bind(id),
            Value::Text(text) => query.bind(text),
            Value::OptText(text) => query.bind(text),
            Value::Int(n) => query.bind(n),
            Value::OptInt(n) => query.bind(n),
            Value::Bool(b) => query.bind(b),
            Value::Time(at) => query.bind(at),
            Value::OptTime(at) => query.bind(at),
            Value::OptDate(date) => query.bind(date),
            Value::Bytes(bytes) => query.bind(bytes),
            Value::Uuids(ids) => query.bind(ids),
            Value::Texts(texts) => query.bind(texts),
        };
    }
    query
}

/// This engine's spelling of the SQL that differs.
pub(crate) const DIALECT: Dialect =
    Dialect { in_list, contains, client_search, claim_lock: " FOR UPDATE SKIP LOCKED", join_left_first: "JOIN" };

fn in_list(column: &str, param: usize) -> String {
    format!("{column} = ANY(${param})")
}

fn contains(column: &str, param: usize) -> String {
    format!("strpos({column}, ${param}) > 0")
}

fn client_search(param: usize) -> ClientSearch {
    // `LIKE` lets the trigram index find candidates (with no escape character, wildcards in
    // the needle can only widen them); `strpos` keeps exactly the clients that contain it.
    ClientSearch {
        from: "clients c".to_owned(),
        condition: format!(
            "c.search_text LIKE '%' || ${param} || '%' ESCAPE '' AND strpos(c.search_text, ${param}) > 0"
        ),
    }
}

#[async_trait]
impl Transaction for PgTransaction {
    type Row = Row;

    async fn execute(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<u64> {
        let done = query(sql, args).execute(&mut *self.tx).await.map_err(map)?;
        Ok(done.rows_affected())
    }

    async fn fetch_all(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<Vec<Row>> {
        let rows = query(sql, args).fetch_all(&mut *self.tx).await.map_err(map)?;
        Ok(rows.into_iter().map(Row).collect())
    }

    async fn fetch_optional(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<Option<Row>> {
        Ok(query(sql, args).fetch_optional(&mut *self.tx).await.map_err(map)?.map(Row))
    }

    async fn commit(self) -> RepoResult<()> {
        self.tx.commit().await.map_err(map)
    }

    fn dialect(&self) -> Dialect {
        DIALECT
    }
}
