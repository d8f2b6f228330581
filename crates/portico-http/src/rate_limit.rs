//! Sliding-window attempt counters for logins and reset requests.
//!
//! A counter remembers when each attempt under a key (an IP address, an account) happened and
//! refuses once `max` attempts fall inside the window, saying how long until the oldest one
//! leaves it. Counters live in memory: a restart forgets them, and several server processes
//! each count on their own (see docs/operations.md).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many attempts a key may make in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts allowed inside one window.
    pub max: u32,
    /// The window.
    pub window: Duration,
}

impl Limit {
    /// `max` attempts per `window`.
    pub const fn new(max: u32, window: Duration) -> Self {
        Self { max, window }
    }
}

/// Beyond this many keys, stale ones are swept before a new key is added, so a flood of
/// distinct keys cannot grow memory without bound for longer than one window.
const SWEEP_ABOVE: usize = 10_000;

/// Counts attempts per key.
#[derive(Debug)]
pub struct RateLimiter {
    limit: Limit,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// A limiter enforcing `limit`.
    pub fn new(limit: Limit) -> Self {
        Self { limit, attempts: Mutex::new(HashMap::new()) }
    }

    /// Whether `key` may make another attempt at `now`; when not, the whole seconds to wait.
    ///
    /// # Errors
    /// The seconds until the oldest counted attempt leaves the window (at least 1).
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(times) = attempts.get_mut(key) else {
            return if self.limit.max == 0 { Err(self.limit.window.as_secs().max(1)) } else { Ok(()) };
        };
        forget_before(times, now, self.limit.window);
        if times.len() < self.limit.max as usize {
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now);
        let wait = (oldest + self.limit.window).saturating_duration_since(now);
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Err(seconds.max(1))
    }

    /// Counts an attempt by `key` at `now`.
    pub fn record(&self, key: &str, now: Instant) {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        if attempts.len() >= SWEEP_ABOVE && !attempts.contains_key(key) {
            let window = self.limit.window;
            attempts.retain(|_, times| {
                forget_before(times, now, window);
                !times.is_empty()
            });
        }
        attempts.entry(key.to_owned()).or_default().push_back(now);
    }

    /// Checks and, when allowed, counts in one step: for requests that are attempts whatever
    /// their outcome (reset requests).
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn hit(&self, key: &str, now: Instant) -> Result<(), u64> {
        self.check(key, now)?;
        self.record(key, now);
        Ok(())
    }

    /// Forgets `key`'s attempts (after a successful login).
    pub fn clear(&self, key: &str) {
        self.attempts.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
    }
}

fn forget_before(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_mins(1);

    #[test]
    fn the_attempt_after_the_limit_is_refused_until_the_window_moves_on() {
        let limiter = RateLimiter::new(Limit::new(3, MINUTE));
        let start = Instant::now();
        for second in 0..3 {
            let at = start + Duration::from_secs(second * 10);
            assert_eq!(limiter.check("1.2.3.4", at), Ok(()));
            limiter.record("1.2.3.4", at);
        }
        assert_eq!(limiter.check("1.2.3.4", start + Duration::from_secs(30)), Err(30));
        assert_eq!(limiter.check("5.6.7.8", start + Duration::from_secs(30)), Ok(()), "keys are separate");
        assert_eq!(limiter.check("1.2.3.4", start + MINUTE), Ok(()), "the first attempt has left the window");
    }

    #[test]
    fn waits_round_up_to_whole_seconds() {
        let limiter = RateLimiter::new(Limit::new(1, MINUTE));
        let start = Instant::now();
        limiter.record("k", start);
        assert_eq!(limiter.check("k", start + Duration::from_millis(59_500)), Err(1));
    }

    #[test]
    fn hits_count_every_request_and_clear_forgets() {
        let limiter = RateLimiter::new(Limit::new(2, MINUTE));
        let now = Instant::now();
        assert_eq!(limiter.hit("k", now), Ok(()));
        assert_eq!(limiter.hit("k", now), Ok(()));
        assert!(limiter.hit("k", now).is_err());
        limiter.clear("k");
        assert_eq!(limiter.hit("k", now), Ok(()));
    }

    #[test]
    fn stale_keys_are_swept_when_many() {
        let limiter = RateLimiter::new(Limit::new(1, MINUTE));
        let start = Instant::now();
        for i in 0..SWEEP_ABOVE {
            limiter.record(&i.to_string(), start);
        }
        limiter.record("late", start + MINUTE);
        let kept = limiter.attempts.lock().map(|a| a.len()).unwrap_or_default();
        assert_eq!(kept, 1, "only the fresh key survives a sweep");
    }
}
