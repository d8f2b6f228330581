//! Days as people read them, written one way wherever Portico shows one: the pages, the
//! invoice PDF and mail (`3 December 2026`).

use time::Date;
use time::macros::format_description;

/// `date` in words: the day without padding, the month's English name, the year.
pub fn day_in_words(date: Date) -> String {
    date.format(format_description!("[day padding:none] [month repr:long] [year]")).unwrap_or_else(|_| date.to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn days_read_as_words() {
        assert_eq!(day_in_words(date!(2026 - 12 - 03)), "3 December 2026");
        assert_eq!(day_in_words(date!(2027 - 01 - 14)), "14 January 2027");
    }
}
