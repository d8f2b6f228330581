//! The operating system's clock.

use portico_ports::Clock;
use time::OffsetDateTime;

/// The real clock, in UTC.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        // Storage keeps microseconds; reading back must give exactly what was written.
        #[allow(clippy::disallowed_methods)] // The one place that asks the operating system.
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now)
    }
}
