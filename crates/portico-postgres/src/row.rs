//! Reading PostgreSQL rows.

use portico_ports::{RepoError, RepoResult};
use sqlx::Row as _;
use sqlx::postgres::PgRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A PostgreSQL row.
pub(crate) struct Row(pub(crate) PgRow);

impl Row {
    fn get<T>(&self, column: &str) -> RepoResult<T>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    {
        self.0.try_get(column).map_err(|e| RepoError::Corrupt(format!("{column}: {e}")))
    }
}

impl portico_sql::Row for Row {
    fn uuid(&self, column: &str) -> RepoResult<Uuid> {
        self.get(column)
    }

    fn opt_uuid(&self, column: &str) -> RepoResult<Option<Uuid>> {
        self.get(column)
    }

    fn text(&self, column: &str) -> RepoResult<String> {
        self.get(column)
    }

    fn opt_text(&self, column: &str) -> RepoResult<Option<String>> {
        self.get(column)
    }

    fn int(&self, column: &str) -> RepoResult<i64> {
        // Counters and positions are `integer`, sizes and amounts `bigint`.
        self.get::<i64>(column).or_else(|_| self.get::<i32>(column).map(i64::from))
    }

    fn opt_int(&self, column: &str) -> RepoResult<Option<i64>> {
        self.get::<Option<i64>>(column).or_else(|_| self.get::<Option<i32>>(column).map(|n| n.map(i64::from)))
    }

    fn bool(&self, column: &str) -> RepoResult<bool> {
        self.get(column)
    }

    fn time(&self, column: &str) -> RepoResult<OffsetDateTime> {
        self.get(column)
    }

    fn opt_time(&self, column: &str) -> RepoResult<Option<OffsetDateTime>> {
        self.get(column)
    }

    fn opt_date(&self, column: &str) -> RepoResult<Option<Date>> {
        self.get(column)
    }

    fn bytes(&self, column: &str) -> RepoResult<Vec<u8>> {
        self.get(column)
    }
}
