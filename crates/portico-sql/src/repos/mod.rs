//! The repository implementations, one module per group of tables.

mod activity;
mod audit;
mod auth;
mod content;
mod invoice_rows;
mod invoices;
mod outbox;
mod people;
mod projects;
mod workspaces;

use portico_ports::{Cursor, NO_DATE, Page, PageRequest, RepoError, RepoResult};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub use invoices::invoices_for_client_statement;
pub use people::client_search_statement;

use crate::query::Query;

/// Which way a keyset list runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Ascending,
    Descending,
}

/// Adds the keyset condition and the ordering of a list sorted by (`key_column`, `id_column`),
/// fetching one row more than the page so the page knows whether another follows.
pub(crate) fn keyset(query: &mut Query, page: &PageRequest, key_column: &str, id_column: &str, order: Order) {
    if let Some(after) = &page.after {
        let key = query.arg(after.sort_key.clone());
        let id = query.arg(after.id);
        let compare = if order == Order::Ascending { ">" } else { "<" };
        query.push(&format!(" AND ({key_column}, {id_column}) {compare} ({key}, {id})"));
    }
    let direction = if order == Order::Ascending { "ASC" } else { "DESC" };
    let limit = query.arg(i64::try_from(page.limit() + 1).unwrap_or(i64::MAX));
    query.push(&format!(" ORDER BY {key_column} {direction}, {id_column} {direction} LIMIT {limit}"));
}

/// Like [`keyset`], newest first, for a list ordered by the instant in `time_column`: the
/// cursor's sort key is a [`time_key`](portico_ports::time_key), compared as an instant (not
/// as text, which the engines store differently).
///
/// # Errors
/// `InvalidCursor` when the cursor's sort key is not a time key.
pub(crate) fn newest_first(
    query: &mut Query,
    page: &PageRequest,
    time_column: &str,
    id_column: &str,
) -> RepoResult<()> {
    if let Some(after) = &page.after {
        let nanos: i128 = after.sort_key.parse().map_err(|_| RepoError::InvalidCursor)?;
        let at = OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| RepoError::InvalidCursor)?;
        let (at, id) = (query.arg(at), query.arg(after.id));
        query.push(&format!(" AND ({time_column}, {id_column}) < ({at}, {id})"));
    }
    let unpaged = PageRequest::new(None, page.limit());
    keyset(query, &unpaged, time_column, id_column, Order::Descending);
    Ok(())
}

/// Like [`keyset`], the soonest first, for a list ordered by the optional date in
/// `date_column`, the undated last (as [`NO_DATE`]): the cursor's sort key is a
/// [`date_key`](portico_ports::date_key), compared as a date.
///
/// # Errors
/// `InvalidCursor` when the cursor's sort key is not a date key.
pub(crate) fn soonest_first(
    query: &mut Query,
    page: &PageRequest,
    date_column: &str,
    id_column: &str,
) -> RepoResult<()> {
    let undated = query.arg(Some(NO_DATE));
    let key_column = format!("COALESCE({date_column}, {undated})");
    if let Some(after) = &page.after {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = Date::parse(&after.sort_key, format).map_err(|_| RepoError::InvalidCursor)?;
        let (date, id) = (query.arg(Some(date)), query.arg(after.id));
        query.push(&format!(" AND ({key_column}, {id_column}) > ({date}, {id})"));
    }
    let unpaged = PageRequest::new(None, page.limit());
    keyset(query, &unpaged, &key_column, id_column, Order::Ascending);
    Ok(())
}

/// Cuts the rows of a [`keyset`] query into a page.
pub(crate) fn page_of<T>(items: Vec<T>, page: &PageRequest, cursor: impl Fn(&T) -> (String, Uuid)) -> Page<T> {
    Page::from_ordered(items, page, |item| {
        let (sort_key, id) = cursor(item);
        Cursor { sort_key, id }
    })
}
