//! Previous and next for the pages' lists, with how many there are in all.
//!
//! Lists are paged by keyset cursors, which only run forward (see `portico_ports::page`).
//! A page's address carries its own cursor and, in `back`, the cursors of the pages before
//! it, so "previous" is a plain link too and the position ("51–100 of 240") is known. The
//! API keeps its forward-only `next_cursor`.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use portico_ports::{Cursor, PageRequest};
use serde::Deserialize;

/// Where in a list a page starts, as its address says.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PageAt {
    /// The cursor this page starts after (blank: the first page).
    #[serde(default)]
    pub(crate) cursor: String,
    /// The cursors of the earlier pages, oldest first, joined by `.` (the first page's
    /// blank cursor is `-`).
    #[serde(default)]
    pub(crate) back: String,
}

impl PageAt {
    /// The request for this page, `limit` long. A cursor that cannot be read starts the list
    /// over, as a stale bookmark should.
    pub(crate) fn request(&self, limit: usize) -> PageRequest {
        PageRequest::new(Cursor::decode(&self.cursor).ok(), limit)
    }

    fn earlier(&self) -> Vec<&str> {
        self.back.split('.').filter(|c| !c.is_empty()).collect()
    }
}

/// The pager under a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pager {
    /// Which items are shown, in words: "51–100 of 240".
    pub(crate) shown: String,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

impl Pager {
    /// The pager of a page of `count` items, `limit` per page, out of `total` (when known),
    /// at `at`, with the `next` cursor the list answered. `filters` are the list's own
    /// query parameters, kept on every link.
    pub(crate) fn new(
        path: &str,
        filters: &[(&str, &str)],
        at: &PageAt,
        limit: usize,
        count: usize,
        total: Option<u64>,
        next: Option<&Cursor>,
    ) -> Self {
        let earlier = at.earlier();
        let first = earlier.len() * limit + 1;
        let last = first + count - 1;
        let shown = match (count, total) {
            (0, _) => String::new(),
            (_, Some(total)) if first == 1 && next.is_none() => plural(total),
            (_, Some(total)) => format!("{first}–{last} of {total}"),
            (_, None) => format!("{first}–{last}"),
        };
        let link = |cursor: &str, back: &[&str]| {
            let mut pairs: Vec<(&str, &str)> = filters.iter().copied().filter(|(_, v)| !v.trim().is_empty()).collect();
            let back = back.join(".");
            if !cursor.is_empty() && cursor != "-" {
                pairs.push(("cursor", cursor));
            }
            if !back.is_empty() {
                pairs.push(("back", &back));
            }
            let query: Vec<String> =
                pairs.iter().map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC))).collect();
            if query.is_empty() { path.to_owned() } else { format!("{path}?{}", query.join("&")) }
        };
        let previous = earlier.split_last().map(|(cursor, before)| link(cursor, before));
        let next = next.map(|cursor| {
            let here = if at.cursor.is_empty() { "-" } else { at.cursor.as_str() };
            let mut back = earlier.clone();
            back.push(here);
            link(&cursor.encode(), &back)
        });
        Self { shown, previous, next }
    }
}

fn plural(total: u64) -> String {
    if total == 1 { "1 in all".to_owned() } else { format!("{total} in all") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn cursor(n: u128) -> Cursor {
        Cursor { sort_key: format!("key {n}"), id: Uuid::from_u128(n) }
    }

    fn at(link: &str) -> PageAt {
        let query = link.split_once('?').map_or("", |(_, q)| q);
        serde_urlencoded::from_str(query).expect("a page address")
    }

    #[test]
    fn next_then_previous_lead_back_to_the_same_pages_with_the_filters_kept() {
        let filters = [("q", "acme corp"), ("status", "")];
        let first = PageAt::default();
        let pager = Pager::new("/admin/clients", &filters, &first, 50, 50, Some(120), Some(&cursor(1)));
        assert_eq!((pager.shown.as_str(), pager.previous.as_deref()), ("1–50 of 120", None));
        let next = pager.next.expect("a next page");
        assert!(next.starts_with("/admin/clients?q=acme%20corp&cursor="), "{next}");
        assert!(!next.contains("status="), "blank filters are left out");

        let second = at(&next);
        let pager = Pager::new("/admin/clients", &filters, &second, 50, 50, Some(120), Some(&cursor(2)));
        assert_eq!(pager.shown, "51–100 of 120");
        assert_eq!(pager.previous.as_deref(), Some("/admin/clients?q=acme%20corp"), "back to the first page");

        let third = at(&pager.next.expect("a third page"));
        let pager = Pager::new("/admin/clients", &filters, &third, 50, 20, Some(120), None);
        assert_eq!((pager.shown.as_str(), pager.next), ("101–120 of 120", None));
        let back = at(&pager.previous.expect("a previous page"));
        assert_eq!((back.cursor, back.back), (second.cursor, second.back));
    }

    #[test]
    fn a_single_page_says_how_many_and_an_empty_one_nothing() {
        let pager = Pager::new("/admin/projects", &[], &PageAt::default(), 50, 3, Some(3), None);
        assert_eq!((pager.shown.as_str(), pager.previous, pager.next), ("3 in all", None, None));
        let empty = Pager::new("/admin/projects", &[], &PageAt::default(), 50, 0, Some(0), None);
        assert_eq!(empty.shown, "");
        let unknown = Pager::new("/admin/outbox", &[], &PageAt::default(), 50, 50, None, Some(&cursor(1)));
        assert_eq!(unknown.shown, "1–50");
    }
}
