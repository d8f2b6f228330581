//! Payment reminders: on which days the client of an open invoice is reminded of it.
//!
//! A workspace's schedule is a short list of days relative to the due date (`-3` is three
//! days before, `0` the due date, `7` a week after). An invoice keeps the next reminder it
//! is waiting for ([`Reminder`]); when that day comes and money is still owed, one reminder
//! goes out and the invoice waits for the next day of the schedule after today. Reminders
//! whose day passed while nothing ran are not sent in a burst: only the latest of them is.
//! Nothing is scheduled on or before the day the invoice is sent, and nothing after it is
//! paid or void.

use std::fmt;

use time::{Date, Duration};

/// One day of a schedule, fixed to an invoice's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reminder {
    /// The day, relative to the due date (negative before it).
    pub days: i16,
    /// The calendar day it falls on.
    pub on: Date,
}

impl Reminder {
    /// How the reminder speaks of the due date.
    pub const fn timing(self) -> ReminderTiming {
        ReminderTiming::of(self.days)
    }
}

/// Where a reminder falls relative to the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderTiming {
    /// This many days before it.
    Before(u16),
    /// On the due date.
    OnTheDay,
    /// This many days after it: the invoice is overdue.
    After(u16),
}

impl ReminderTiming {
    /// Where a reminder `days` from the due date falls.
    pub const fn of(days: i16) -> Self {
        match days {
            ..0 => Self::Before(days.unsigned_abs()),
            0 => Self::OnTheDay,
            _ => Self::After(days.unsigned_abs()),
        }
    }
}

/// Why a list of days is not a schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A day outside the range a reminder may fall in.
    #[error(
        "each day must be between {} and {} days from the due date",
        ReminderSchedule::EARLIEST,
        ReminderSchedule::LATEST
    )]
    OutOfRange,
    /// More days than anyone should be reminded on.
    #[error("at most {} reminders", ReminderSchedule::MAX_REMINDERS)]
    TooMany,
    /// A day typed twice.
    #[error("each day may be given only once")]
    Repeated,
    /// Text that is not a list of whole numbers.
    #[error("must be days from the due date separated by commas, like -3, 0, 7, 14")]
    NotDays,
}

/// The days a workspace reminds clients of open invoices, relative to the due date; sorted,
/// each once. An empty schedule sends no reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSchedule(Vec<i16>);

impl Default for ReminderSchedule {
    /// Three days before the due date, on it, and one and two weeks after.
    fn default() -> Self {
        Self(vec![-3, 0, 7, 14])
    }
}

impl ReminderSchedule {
    /// The earliest a reminder may come, in days before the due date.
    pub const EARLIEST: i16 = -60;
    /// The latest a reminder may come, in days after the due date.
    pub const LATEST: i16 = 365;
    /// The most reminders one invoice gets.
    pub const MAX_REMINDERS: usize = 10;

    /// A schedule of `days` (in any order; repeats count once).
    ///
    /// # Errors
    /// [`ScheduleError`] for a day out of range or too many days.
    pub fn new(days: impl IntoIterator<Item = i16>) -> Result<Self, ScheduleError> {
        let mut days: Vec<i16> = days.into_iter().collect();
        if days.iter().any(|day| !(Self::EARLIEST..=Self::LATEST).contains(day)) {
            return Err(ScheduleError::OutOfRange);
        }
        days.sort_unstable();
        days.dedup();
        if days.len() > Self::MAX_REMINDERS {
            return Err(ScheduleError::TooMany);
        }
        Ok(Self(days))
    }

    /// Reads days as settings write them: `-3, 0, 7, 14` (commas or spaces between, `+7`
    /// and the typographic minus `−3` accepted), each day once. Blank text is the schedule
    /// with no reminders.
    ///
    /// # Errors
    /// [`ScheduleError`] for text that is not such a list, or not a schedule.
    pub fn parse(input: &str) -> Result<Self, ScheduleError> {
        let days = input
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .map(|part| part.replace('\u{2212}', "-").parse::<i16>().map_err(|_| ScheduleError::NotDays))
            .collect::<Result<Vec<_>, _>>()?;
        let schedule = Self::new(days.iter().copied())?;
        if schedule.0.len() < days.len() {
            return Err(ScheduleError::Repeated);
        }
        Ok(schedule)
    }

    /// No reminders at all.
    pub const fn none() -> Self {
        Self(Vec::new())
    }

    /// The days, earliest first.
    pub fn days(&self) -> &[i16] {
        &self.0
    }

    fn reminders(&self, due_on: Date) -> impl Iterator<Item = Reminder> + '_ {
        self.0
            .iter()
            .filter_map(move |&days| due_on.checked_add(Duration::days(days.into())).map(|on| Reminder { days, on }))
    }

    /// The first reminder of an invoice due on `due_on` that falls after `day`.
    pub fn first_after(&self, due_on: Date, day: Date) -> Option<Reminder> {
        self.reminders(due_on).find(|reminder| reminder.on > day)
    }

    /// The reminder to send on `today` for an invoice due on `due_on` that waits for `next`:
    /// none before `next` falls; then the latest reminder of the schedule that has fallen, not
    /// earlier than `next` (`next` itself when the schedule changed and no longer has it).
    pub fn due_on(&self, due_on: Date, next: Reminder, today: Date) -> Option<Reminder> {
        if next.on > today {
            return None;
        }
        let fallen = self.reminders(due_on).filter(|r| r.days >= next.days && r.on <= today).last();
        Some(fallen.unwrap_or(next))
    }
}

impl fmt::Display for ReminderSchedule {
    /// `-3, 0, 7, 14`: the form settings read back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&days.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    #[test]
    fn schedules_are_sorted_checked_and_bounded() {
        assert_eq!(ReminderSchedule::new([14, -3, 7, 0, 7]).map(|s| s.to_string()), Ok("-3, 0, 7, 14".to_owned()));
        assert_eq!(ReminderSchedule::new([-61]), Err(ScheduleError::OutOfRange));
        assert_eq!(ReminderSchedule::new([366]), Err(ScheduleError::OutOfRange));
        assert_eq!(ReminderSchedule::new(0..11), Err(ScheduleError::TooMany));
        assert_eq!(ReminderSchedule::parse(" 14,-3  +7;\u{2212}1 "), ReminderSchedule::new([-3, -1, 7, 14]));
        assert_eq!(ReminderSchedule::parse("  "), Ok(ReminderSchedule::none()));
        for wrong in ["3 days", "1.5", "7,,x", "--3"] {
            assert_eq!(ReminderSchedule::parse(wrong), Err(ScheduleError::NotDays), "{wrong:?}");
        }
        assert_eq!(ReminderSchedule::parse("400"), Err(ScheduleError::OutOfRange));
        assert_eq!(ReminderSchedule::parse("7, 0, 7"), Err(ScheduleError::Repeated));
        assert_eq!(ReminderSchedule::default().days(), &[-3, 0, 7, 14]);
    }

    #[test]
    fn the_first_reminder_comes_after_the_day_the_invoice_is_sent() {
        let schedule = ReminderSchedule::default();
        let due = date!(2026 - 12 - 31);
        let first = schedule.first_after(due, date!(2026 - 12 - 01));
        assert_eq!(first, Some(Reminder { days: -3, on: date!(2026 - 12 - 28) }));
        // Sent on the due date itself: no reminder that very day, the next a week later.
        assert_eq!(schedule.first_after(due, due).map(|r| r.days), Some(7));
        assert_eq!(schedule.first_after(due, date!(2027 - 01 - 14)), None);
    }

    #[test]
    fn a_missed_stretch_sends_only_the_latest_reminder() {
        let schedule = ReminderSchedule::default();
        let due = date!(2026 - 12 - 31);
        let next = Reminder { days: -3, on: date!(2026 - 12 - 28) };
        assert_eq!(schedule.due_on(due, next, date!(2026 - 12 - 27)), None);
        assert_eq!(schedule.due_on(due, next, date!(2026 - 12 - 28)), Some(next));
        let late = schedule.due_on(due, next, date!(2027 - 01 - 09));
        assert_eq!(late, Some(Reminder { days: 7, on: date!(2027 - 01 - 07) }));
        assert_eq!(late.map(Reminder::timing), Some(ReminderTiming::After(7)));
    }

    fn schedules() -> impl Strategy<Value = ReminderSchedule> {
        proptest::collection::vec(-20_i16..40, 0..6)
            .prop_map(|days| ReminderSchedule::new(days).expect("in range and few"))
    }

    proptest! {
        #[test]
        fn written_schedules_read_back(schedule in schedules()) {
            prop_assert_eq!(ReminderSchedule::parse(&schedule.to_string()), Ok(schedule));
        }

        /// Checked on every day, an invoice gets exactly the reminders whose day falls after
        /// it was sent and on or before the last day checked, each on its day.
        #[test]
        fn checked_daily_each_reminder_comes_on_its_day(
            schedule in schedules(),
            sent_after_due in -30_i64..30,
            checked_days in 0_i64..80,
        ) {
            let due = date!(2026 - 06 - 15);
            let sent = due + Duration::days(sent_after_due);
            let last = sent + Duration::days(checked_days);
            let mut next = schedule.first_after(due, sent);
            let mut got = Vec::new();
            let mut today = sent + Duration::days(1);
            while today <= last {
                if let Some(reminder) = next.and_then(|n| schedule.due_on(due, n, today)) {
                    prop_assert_eq!(reminder.on, today);
                    got.push(reminder.days);
                    next = schedule.first_after(due, today);
                }
                today += Duration::days(1);
            }
            let expected: Vec<i16> = schedule
                .days()
                .iter()
                .copied()
                .filter(|&d| {
                    let on = due + Duration::days(d.into());
                    on > sent && on <= last
                })
                .collect();
            prop_assert_eq!(got, expected);
        }

        /// However rarely it is checked, no reminder comes twice, early, or out of order.
        #[test]
        fn checked_at_random_reminders_never_repeat_or_come_early(
            schedule in schedules(),
            gaps in proptest::collection::vec(1_i64..20, 1..20),
        ) {
            let due = date!(2026 - 06 - 15);
            let sent = due - Duration::days(25);
            let mut next = schedule.first_after(due, sent);
            let (mut today, mut got) = (sent, Vec::new());
            for gap in gaps {
                today += Duration::days(gap);
                if let Some(reminder) = next.and_then(|n| schedule.due_on(due, n, today)) {
                    prop_assert!(reminder.on <= today && reminder.on > sent);
                    got.push(reminder.days);
                    next = schedule.first_after(due, today);
                }
            }
            let unique: BTreeSet<i16> = got.iter().copied().collect();
            prop_assert_eq!(unique.len(), got.len());
            prop_assert!(got.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
