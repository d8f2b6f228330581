//! Sliding-window attempt counters for logins and reset requests.
//!
//! A counter remembers when each attempt under a key (an IP address, an account) happened and
//! refuses once `max` attempts fall inside the window, saying how long until the oldest one
//! leaves it. An attempt takes its slot before it is tried, atomically, so the limit holds
//! whatever the concurrency. Counters live in memory: a restart forgets them, and several server processes
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

    /// Takes a slot for an attempt by `key` at `now`, in one step under one lock: however many
    /// requests arrive together, at most `max` of them get a slot inside a window. The slot is
    /// taken *before* the attempt's work, so slow work (password verification) cannot let a
    /// burst slip through; give it back with [`give_back`](Self::give_back) when the attempt
    /// should not count after all.
    ///
    /// # Errors
    /// The whole seconds until the oldest counted attempt leaves the window (at least 1).
    pub fn take(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        if attempts.len() >= SWEEP_ABOVE && !attempts.contains_key(key) {
            let window = self.limit.window;
            attempts.retain(|_, times| {
                forget_before(times, now, window);
                !times.is_empty()
            });
        }
        let times = attempts.entry(key.to_owned()).or_default();
        forget_before(times, now, self.limit.window);
        if times.len() < self.limit.max as usize {
            times.push_back(now);
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now);
        let wait = (oldest + self.limit.window).saturating_duration_since(now);
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        if times.is_empty() {
            attempts.remove(key);
        }
        Err(seconds.max(1))
    }

    /// Gives back the slot `key` took at `at` (an attempt that did not count: it succeeded, or
    /// another limit refused it).
    pub fn give_back(&self, key: &str, at: Instant) {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(times) = attempts.get_mut(key) {
            if let Some(position) = times.iter().rposition(|t| *t == at) {
                times.remove(position);
            }
            if times.is_empty() {
                attempts.remove(key);
            }
        }
    }

    /// Forgets `key`'s attempts (after a successful login, or when its owner proved who they
    /// are through a reset or invitation link).
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
    use std::sync::Arc;

    use super::*;

    const MINUTE: Duration = Duration::from_mins(1);

    #[test]
    fn the_attempt_after_the_limit_is_refused_until_the_window_moves_on() {
        let limiter = RateLimiter::new(Limit::new(3, MINUTE));
        let start = Instant::now();
        for second in 0..3 {
            assert_eq!(limiter.take("1.2.3.4", start + Duration::from_secs(second * 10)), Ok(()));
        }
        assert_eq!(limiter.take("1.2.3.4", start + Duration::from_secs(30)), Err(30));
        assert_eq!(limiter.take("5.6.7.8", start + Duration::from_secs(30)), Ok(()), "keys are separate");
        assert_eq!(limiter.take("1.2.3.4", start + MINUTE), Ok(()), "the first attempt has left the window");
    }

    #[test]
    fn waits_round_up_to_whole_seconds() {
        let limiter = RateLimiter::new(Limit::new(1, MINUTE));
        let start = Instant::now();
        assert_eq!(limiter.take("k", start), Ok(()));
        assert_eq!(limiter.take("k", start + Duration::from_millis(59_500)), Err(1));
    }

    #[test]
    fn a_limit_of_zero_refuses_everything() {
        let limiter = RateLimiter::new(Limit::new(0, MINUTE));
        assert_eq!(limiter.take("k", Instant::now()), Err(60));
    }

    #[test]
    fn given_back_slots_and_cleared_keys_count_no_more() {
        let limiter = RateLimiter::new(Limit::new(2, MINUTE));
        let now = Instant::now();
        let later = now + Duration::from_secs(1);
        assert_eq!(limiter.take("k", now), Ok(()));
        assert_eq!(limiter.take("k", later), Ok(()));
        assert!(limiter.take("k", later).is_err());
        limiter.give_back("k", now);
        assert_eq!(limiter.take("k", later), Ok(()), "the slot given back is free again");
        assert!(limiter.take("k", later).is_err());
        limiter.clear("k");
        assert_eq!(limiter.take("k", later), Ok(()));
    }

    #[test]
    fn concurrent_takes_never_exceed_the_limit() {
        let limiter = Arc::new(RateLimiter::new(Limit::new(5, MINUTE)));
        let now = Instant::now();
        let threads: Vec<_> = (0..40)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                std::thread::spawn(move || limiter.take("account", now).is_ok())
            })
            .collect();
        let granted = threads.into_iter().map(std::thread::JoinHandle::join).filter(|t| matches!(t, Ok(true))).count();
        assert_eq!(granted, 5);
    }

    #[test]
    fn stale_keys_are_swept_when_many() {
        let limiter = RateLimiter::new(Limit::new(1, MINUTE));
        let start = Instant::now();
        for i in 0..SWEEP_ABOVE {
            assert_eq!(limiter.take(&i.to_string(), start), Ok(()));
        }
        assert_eq!(limiter.take("late", start + MINUTE), Ok(()));
        let kept = limiter.attempts.lock().map(|a| a.len()).unwrap_or_default();
        assert_eq!(kept, 1, "only the fresh key survives a sweep");
    }
}
