//! The templates' own filters: `{{ value|when }}` writes an instant or a date as people read
//! it, and `{{ amount|money }}` an amount, the same way on every page. Instants are shown in
//! UTC and amounts in the default locale (`en-US`: `€1,234.50`) until workspaces have time
//! zone and locale settings; these filters are the one place that will change.
//!
//! Every module with a template that shows a time or an amount has `use crate::ui::filters;`
//! in scope, as askama looks custom filters up there.

use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// A point in time or a calendar day that a page shows.
pub(crate) trait Moment {
    /// The value in words: `2 March 2026, 09:05 UTC`, `31 March 2026`.
    fn words(&self) -> String;
}

impl Moment for OffsetDateTime {
    fn words(&self) -> String {
        let utc = self.to_offset(time::UtcOffset::UTC);
        utc.format(format_description!("[day padding:none] [month repr:long] [year], [hour]:[minute] UTC"))
            .unwrap_or_else(|_| utc.to_string())
    }
}

impl Moment for Date {
    fn words(&self) -> String {
        portico_domain::calendar::day_in_words(*self)
    }
}

impl<T: Moment + ?Sized> Moment for &T {
    fn words(&self) -> String {
        (**self).words()
    }
}

pub(crate) use filter::{money, when};

/// The filter itself, apart: askama's `filter_fn` generates `pub` items with an always-inlined
/// method whose `self` is unused, and filters must answer a `Result`.
#[allow(
    unreachable_pub,
    clippy::inline_always,
    clippy::unused_self,
    clippy::unnecessary_wraps,
    reason = "the shape askama's filter_fn generates"
)]
mod filter {
    use std::borrow::Borrow;

    use portico_domain::money::{Locale, Money};

    use super::Moment;

    /// `{{ value|when }}`: an instant or a date in words.
    #[askama::filter_fn]
    pub fn when(value: impl Moment, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(value.words())
    }

    /// `{{ amount|money(layout.locale) }}`: an amount as the workspace's locale writes it
    /// (`€1,234.50`, `1.234,50 €`).
    #[askama::filter_fn]
    pub fn money(value: impl Borrow<Money>, _: &dyn askama::Values, locale: &Locale) -> askama::Result<String> {
        Ok(value.borrow().display_in(*locale).to_string())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn instants_read_in_utc_and_dates_in_words() {
        let at = datetime!(2026-03-02 10:05:07.25 +01:00);
        assert_eq!(at.words(), "2 March 2026, 09:05 UTC");
        assert_eq!(date!(2026 - 03 - 31).words(), "31 March 2026");
        assert_eq!(date!(2026 - 12 - 01).words(), "1 December 2026");
    }
}
