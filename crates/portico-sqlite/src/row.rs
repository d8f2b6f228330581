//! Reading SQLite rows in the storage types of this adapter.

use portico_ports::{RepoError, RepoResult};
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;
use time::macros::format_description;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A SQLite row.
pub(crate) struct Row(pub(crate) SqliteRow);

fn corrupt(column: &str, error: impl std::fmt::Display) -> RepoError {
    RepoError::Corrupt(format!("{column}: {error}"))
}

/// An instant from integer microseconds since 1970.
pub(crate) fn from_micros(column: &str, micros: i64) -> RepoResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000).map_err(|e| corrupt(column, e))
}

fn parse_uuid(column: &str, text: &str) -> RepoResult<Uuid> {
    Uuid::try_parse(text).map_err(|e| corrupt(column, e))
}

fn parse_date(column: &str, text: &str) -> RepoResult<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|e| corrupt(column, e))
}

impl Row {
    fn get<T>(&self, column: &str) -> RepoResult<T>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    {
        self.0.try_get(column).map_err(|e| corrupt(column, e))
    }
}

impl portico_sql::Row for Row {
    fn uuid(&self, column: &str) -> RepoResult<Uuid> {
        parse_uuid(column, &self.get::<String>(column)?)
    }

    fn opt_uuid(&self, column: &str) -> RepoResult<Option<Uuid>> {
        self.get::<Option<String>>(column)?.map(|text| parse_uuid(column, &text)).transpose()
    }

    fn text(&self, column: &str) -> RepoResult<String> {
        self.get(column)
    }

    fn opt_text(&self, column: &str) -> RepoResult<Option<String>> {
        self.get(column)
    }

    fn int(&self, column: &str) -> RepoResult<i64> {
        self.get(column)
    }

    fn opt_int(&self, column: &str) -> RepoResult<Option<i64>> {
        self.get(column)
    }

    fn bool(&self, column: &str) -> RepoResult<bool> {
        self.get(column)
    }

    fn time(&self, column: &str) -> RepoResult<OffsetDateTime> {
        from_micros(column, self.get(column)?)
    }

    fn opt_time(&self, column: &str) -> RepoResult<Option<OffsetDateTime>> {
        self.get::<Option<i64>>(column)?.map(|micros| from_micros(column, micros)).transpose()
    }

    fn opt_date(&self, column: &str) -> RepoResult<Option<Date>> {
        self.get::<Option<String>>(column)?.map(|text| parse_date(column, &text)).transpose()
    }

    fn bytes(&self, column: &str) -> RepoResult<Vec<u8>> {
        self.get(column)
    }
}
