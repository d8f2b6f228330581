//! Keyset pagination: a page of items and the cursor to the next one.
//!
//! A cursor names the last item of a page by its sort key and id; the next page starts strictly
//! after it. Unlike offsets, this stays fast at any depth and never skips or repeats an item
//! when rows are added in between.

use std::fmt;

use uuid::Uuid;

use crate::error::RepoError;

/// The position after which a page starts: the sort key and id of the last item seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key of the last item (for clients: the lower-cased name).
    pub sort_key: String,
    /// The id of the last item, breaking ties between equal sort keys.
    pub id: Uuid,
}

impl Cursor {
    /// Opaque text for the cursor (hex of `id:sort_key`), safe in a URL.
    pub fn encode(&self) -> String {
        hex::encode(format!("{}:{}", self.id.simple(), self.sort_key))
    }

    /// Decodes text made by [`Cursor::encode`].
    ///
    /// # Errors
    /// [`RepoError::InvalidCursor`] for anything else.
    pub fn decode(text: &str) -> Result<Self, RepoError> {
        if text.len() > 4096 {
            return Err(RepoError::InvalidCursor);
        }
        let bytes = hex::decode(text).map_err(|_| RepoError::InvalidCursor)?;
        let raw = String::from_utf8(bytes).map_err(|_| RepoError::InvalidCursor)?;
        let (id, sort_key) = raw.split_once(':').ok_or(RepoError::InvalidCursor)?;
        let id = Uuid::try_parse(id).map_err(|_| RepoError::InvalidCursor)?;
        Ok(Self { sort_key: sort_key.to_owned(), id })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// A sort key for instants that orders as text the way the instants order in time
/// (nanoseconds since 1970, zero-padded), for cursors of time-ordered lists.
pub fn time_key(at: time::OffsetDateTime) -> String {
    format!("{:024}", at.unix_timestamp_nanos())
}

/// A sort key for an optional date that orders as text the way the dates order, a missing
/// date after every real one ([`NO_DATE`]): lists by deadline or due date put the undated
/// last.
pub fn date_key(date: Option<time::Date>) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.unwrap_or(NO_DATE).format(format).unwrap_or_default()
}

/// The date a missing date sorts as: after every date a form accepts.
pub const NO_DATE: time::Date = time::macros::date!(9999 - 12 - 31);

/// The order of a list, as its filter names it (`?sort=`) and a page offers it.
pub trait ListOrder: Copy + PartialEq + Sized + 'static {
    /// Every order, the default first.
    const ALL: &'static [Self];

    /// The stable name a filter gives.
    fn as_str(self) -> &'static str;

    /// How the order reads in a page's choice of order.
    fn label(self) -> &'static str;

    /// The order named `name`, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|order| order.as_str() == name)
    }

    /// Every order's name, for a field error and the API's description.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|order| order.as_str()).collect()
    }
}

/// Which page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Start after this item; `None` for the first page.
    pub after: Option<Cursor>,
    /// At most this many items, between 1 and [`PageRequest::MAX_LIMIT`].
    limit: usize,
}

impl PageRequest {
    /// The largest page.
    pub const MAX_LIMIT: usize = 200;
    /// The page size when none is asked for.
    pub const DEFAULT_LIMIT: usize = 50;

    /// A request for `limit` items (clamped to 1..=[`MAX_LIMIT`](Self::MAX_LIMIT)) after `after`.
    pub fn new(after: Option<Cursor>, limit: usize) -> Self {
        Self { after, limit: limit.clamp(1, Self::MAX_LIMIT) }
    }

    /// The first page of the default size.
    pub fn first() -> Self {
        Self::new(None, Self::DEFAULT_LIMIT)
    }

    /// The number of items asked for.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first()
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in list order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// Cuts an ordered list that holds every item from the request's position on (or at least
    /// `limit + 1` of them) into a page. Adapters that fetch `limit + 1` rows use this to learn
    /// whether a next page exists without a second query.
    pub fn from_ordered(mut items: Vec<T>, request: &PageRequest, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let next = if items.len() > request.limit() {
            items.truncate(request.limit());
            items.last().map(cursor_of)
        } else {
            None
        };
        Self { items, next }
    }

    /// Converts the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next: self.next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = Cursor { sort_key: "sarah chen: ünïcode".into(), id: Uuid::from_u128(42) };
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
        for bad in ["", "abc", "zz", "00", &"41".repeat(10)] {
            assert!(matches!(Cursor::decode(bad), Err(RepoError::InvalidCursor)), "{bad}");
        }
    }

    #[test]
    fn time_keys_sort_like_time() {
        use time::macros::datetime;
        let earlier = time_key(datetime!(2026-01-01 0:00:00.5 UTC));
        let later = time_key(datetime!(2026-01-01 0:00:01 UTC));
        assert!(earlier < later);
        assert_eq!(earlier.len(), later.len());
    }

    #[test]
    fn date_keys_sort_like_dates_with_the_undated_last() {
        use time::macros::date;
        let keys = [Some(date!(2026 - 01 - 31)), Some(date!(2026 - 12 - 01)), None].map(date_key);
        assert!(keys.is_sorted(), "{keys:?}");
        assert_eq!(keys[0], "2026-01-31");
    }

    #[test]
    fn limits_are_clamped() {
        assert_eq!(PageRequest::new(None, 0).limit(), 1);
        assert_eq!(PageRequest::new(None, 10_000).limit(), PageRequest::MAX_LIMIT);
    }

    #[test]
    fn a_page_knows_whether_more_follow() {
        let cursor_of = |n: &u32| Cursor { sort_key: n.to_string(), id: Uuid::from_u128(u128::from(*n)) };
        let request = PageRequest::new(None, 2);
        let page = Page::from_ordered(vec![1, 2, 3], &request, cursor_of);
        assert_eq!(page.items, [1, 2]);
        assert_eq!(page.next.map(|c| c.sort_key), Some("2".into()));
        let last = Page::from_ordered(vec![3], &request, cursor_of);
        assert_eq!((last.items, last.next), (vec![3], None));
    }
}
