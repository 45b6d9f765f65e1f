//! The server's own rate limit, per API key, as Quo enforces one.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A rate limit the [`DemoServer`](super::DemoServer) enforces per API key,
/// so that a client's pacing (or a fleet's) meets the consequence Quo would
/// give it: `429 Too Many Requests` with a `Retry-After` in whole seconds.
///
/// Quo documents 10 requests per second per key without saying how it
/// counts; the server reads that as a token bucket holding `burst` requests
/// and refilled at `per_second` (GCRA), the usual meaning, which tolerates
/// the jitter of a client pacing itself at exactly the rate. A refused
/// request takes nothing from the bucket. Requests are counted by their
/// `Authorization` value, whether or not it is the accepted key; requests
/// without one are not limited.
///
/// ```ignore
/// let config = DemoConfig::default().with_rate_limit(DemoRateLimit::per_second(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DemoRateLimit {
    /// Requests per second allowed over time (at least 1 is used).
    pub per_second: u32,
    /// Requests allowed back to back, the bucket's size (at least 1 is used).
    pub burst: u32,
}

impl Default for DemoRateLimit {
    /// Quo's limit: 10 per second, up to 10 at once.
    fn default() -> Self {
        Self::per_second(10)
    }
}

impl DemoRateLimit {
    /// `per_second` requests per second, up to `per_second` at once.
    pub fn per_second(per_second: u32) -> Self {
        Self {
            per_second,
            burst: per_second,
        }
    }

    /// Allows `burst` requests back to back instead.
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = burst;
        self
    }
}

/// The buckets of every key seen, as theoretical arrival times.
#[derive(Debug)]
pub(crate) struct KeyBudgets {
    interval: Duration,
    tolerance: Duration,
    next: Mutex<HashMap<Box<[u8]>, Instant>>,
}

impl KeyBudgets {
    pub(crate) fn new(limit: DemoRateLimit) -> Self {
        let interval = Duration::from_secs(1) / limit.per_second.max(1);
        Self {
            interval,
            tolerance: interval * (limit.burst.max(1) - 1),
            next: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket at `now`; `Err` holds the
    /// `Retry-After` to answer (whole seconds, at least 1) when it is empty.
    pub(crate) fn take(&self, key: &[u8], now: Instant) -> Result<(), u64> {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let tat = next.get(key).copied().map_or(now, |tat| tat.max(now));
        let allowed_at = tat.checked_sub(self.tolerance).unwrap_or(now);
        if allowed_at > now {
            let wait = allowed_at - now;
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(seconds.max(1));
        }
        next.insert(key.into(), tat + self.interval);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_per_key() {
        let budgets = KeyBudgets::new(DemoRateLimit::per_second(10).with_burst(2));
        let t = Instant::now();
        assert_eq!(budgets.take(b"a", t), Ok(()));
        assert_eq!(budgets.take(b"a", t), Ok(()));
        // Empty: the next token comes in 100 ms, answered as 1 s.
        assert_eq!(budgets.take(b"a", t), Err(1));
        assert_eq!(budgets.take(b"b", t), Ok(()));
        assert_eq!(budgets.take(b"a", t + Duration::from_millis(100)), Ok(()));
        assert_eq!(budgets.take(b"a", t + Duration::from_millis(150)), Err(1));
        // Evenly paced at the rate, nothing is refused.
        let budgets = KeyBudgets::new(DemoRateLimit::per_second(10).with_burst(1));
        for n in 0..50 {
            assert_eq!(
                budgets.take(b"a", t + Duration::from_millis(100 * n)),
                Ok(())
            );
        }
    }

    #[test]
    fn long_waits_round_up_to_seconds() {
        let budgets = KeyBudgets::new(DemoRateLimit::per_second(1).with_burst(1));
        let t = Instant::now();
        assert_eq!(budgets.take(b"a", t), Ok(()));
        assert_eq!(budgets.take(b"a", t + Duration::from_millis(10)), Err(1));
        let budgets = KeyBudgets::new(DemoRateLimit {
            per_second: 0,
            burst: 0,
        });
        assert_eq!(budgets.take(b"a", t), Ok(()));
        assert_eq!(budgets.take(b"a", t), Err(1));
    }
}
