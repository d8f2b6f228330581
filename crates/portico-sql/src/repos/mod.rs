//! The repository implementations, one module per group of tables.

mod audit;
mod auth;
mod content;
mod invoices;
mod outbox;
mod people;
mod projects;
mod workspaces;

use portico_ports::{Cursor, Page, PageRequest};
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

/// Cuts the rows of a [`keyset`] query into a page.
pub(crate) fn page_of<T>(items: Vec<T>, page: &PageRequest, cursor: impl Fn(&T) -> (String, Uuid)) -> Page<T> {
    Page::from_ordered(items, page, |item| {
        let (sort_key, id) = cursor(item);
        Cursor { sort_key, id }
    })
}
