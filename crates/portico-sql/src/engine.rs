//! What an engine adapter provides: statements, rows, and the SQL it spells its own way.

use async_trait::async_trait;
use portico_ports::RepoResult;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A value bound to a statement parameter. Optional variants bind SQL `NULL` for `None`.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)] // Each variant carries the Rust type its name says.
pub enum Value {
    Uuid(Uuid),
    OptUuid(Option<Uuid>),
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
    Time(OffsetDateTime),
    OptTime(Option<OffsetDateTime>),
    OptDate(Option<Date>),
    Bytes(Vec<u8>),
    /// A list of ids, for the dialect's list fragment ([`Dialect::in_list`]).
    Uuids(Vec<Uuid>),
    /// A list of texts, for the dialect's list fragment ([`Dialect::in_list`]).
    Texts(Vec<String>),
}

macro_rules! value_from {
    ($($type:ty => $variant:ident),* $(,)?) => {
        $(impl From<$type> for Value {
            fn from(value: $type) -> Self {
                Self::$variant(value)
            }
        })*
    };
}

value_from! {
    Uuid => Uuid,
    Option<Uuid> => OptUuid,
    String => Text,
    Option<String> => OptText,
    i64 => Int,
    Option<i64> => OptInt,
    bool => Bool,
    OffsetDateTime => Time,
    Option<OffsetDateTime> => OptTime,
    Option<Date> => OptDate,
    Vec<u8> => Bytes,
    Vec<Uuid> => Uuids,
    Vec<String> => Texts,
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Self {
        Self::OptText(value.map(str::to_owned))
    }
}

/// One result row, read by column name. A value that cannot be read as asked is
/// `RepoError::Corrupt`.
pub trait Row: Send + Sync {
    /// A non-null id.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing, null or not an id.
    fn uuid(&self, column: &str) -> RepoResult<Uuid>;
    /// A nullable id.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing or not an id.
    fn opt_uuid(&self, column: &str) -> RepoResult<Option<Uuid>>;
    /// Non-null text.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing, null or not text.
    fn text(&self, column: &str) -> RepoResult<String>;
    /// Nullable text.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing or not text.
    fn opt_text(&self, column: &str) -> RepoResult<Option<String>>;
    /// A non-null integer.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing, null or not an integer.
    fn int(&self, column: &str) -> RepoResult<i64>;
    /// A nullable integer.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing or not an integer.
    fn opt_int(&self, column: &str) -> RepoResult<Option<i64>>;
    /// A non-null boolean.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing, null or not a boolean.
    fn bool(&self, column: &str) -> RepoResult<bool>;
    /// A non-null instant (UTC).
    ///
    /// # Errors
    /// `Corrupt` when the column is missing, null or not an instant.
    fn time(&self, column: &str) -> RepoResult<OffsetDateTime>;
    /// A nullable instant (UTC).
    ///
    /// # Errors
    /// `Corrupt` when the column is missing or not an instant.
    fn opt_time(&self, column: &str) -> RepoResult<Option<OffsetDateTime>>;
    /// A nullable calendar date.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing or not a date.
    fn opt_date(&self, column: &str) -> RepoResult<Option<Date>>;
    /// Non-null bytes.
    ///
    /// # Errors
    /// `Corrupt` when the column is missing, null or not bytes.
    fn bytes(&self, column: &str) -> RepoResult<Vec<u8>>;
}

/// The SQL the engines spell differently.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// `column IN (…)` for the [`Value::Uuids`] or [`Value::Texts`] list bound as parameter `param`.
    pub in_list: fn(column: &str, param: usize) -> String,
    /// Whether the text `column` contains the text bound as parameter `param`, taken
    /// literally (no wildcards).
    pub contains: fn(column: &str, param: usize) -> String,
    /// How to find the clients whose `search_text` contains the text bound as parameter
    /// `param` (lower-cased, taken literally) through the engine's search index.
    pub client_search: fn(param: usize) -> ClientSearch,
    /// Appended to the `SELECT` that picks rows for a worker to claim, so concurrent workers
    /// skip each other's rows (` FOR UPDATE SKIP LOCKED`), or empty for an engine with one
    /// writer.
    pub claim_lock: &'static str,
    /// The join that reads its left side first: SQLite's `CROSS JOIN` (its planner keeps that
    /// order), PostgreSQL's `JOIN` (its planner chooses by statistics). For a few ids found
    /// through indexes that must not turn into a walk over a whole table in sort order.
    pub join_left_first: &'static str,
}

/// The parts of a client search an engine decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSearch {
    /// The table expression that yields the clients as `c` (it may start from the index).
    pub from: String,
    /// The condition that keeps exactly the matching clients.
    pub condition: String,
}

/// A transaction on one engine: the adapter's side of a unit of work.
///
/// Implementations MUST map constraint violations by name: unique keys to the matching
/// `Conflict` (`users_email_key` → `EmailTaken`, `invoices_number_key` →
/// `InvoiceNumberTaken`, `assignments_current_key`/`memberships_current_key` →
/// `AlreadyAssigned`, primary keys and other unique keys → `DuplicateId`), and foreign-key
/// violations to `NotFound` (a record the write refers to does not exist).
#[async_trait]
pub trait Transaction: Send + 'static {
    /// The engine's row.
    type Row: Row;

    /// Runs a statement; returns the number of rows it changed.
    ///
    /// # Errors
    /// Constraint violations as above; anything else is `Unavailable`.
    async fn execute(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<u64>;

    /// Runs a query and returns every row.
    ///
    /// # Errors
    /// `Unavailable` when the engine fails.
    async fn fetch_all(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<Vec<Self::Row>>;

    /// Runs a query expected to return at most one row.
    ///
    /// # Errors
    /// `Unavailable` when the engine fails.
    async fn fetch_optional(&mut self, sql: &str, args: Vec<Value>) -> RepoResult<Option<Self::Row>>;

    /// Commits the transaction.
    ///
    /// # Errors
    /// `Unavailable` (nothing was written) or a constraint checked at commit time.
    async fn commit(self) -> RepoResult<()>;

    /// The engine's spelling of the SQL that differs.
    fn dialect(&self) -> Dialect;
}
