//! The rate limiter interface, [`RateLimiter`], and the in-process limiter.
//!
//! Quo's budget (10 requests per second) belongs to the API key, so the
//! limiter must be shared wherever the key is shared: by the clones of one
//! client ([`InProcessRateLimiter`], the default) or by every process of a
//! fleet (`RedisRateLimiter`, with the `redis` feature). The policy only
//! needs two things from it, so the interface is two methods, and another
//! store can be plugged in by implementing them.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use governor::{DefaultDirectRateLimiter, Quota};

/// The longest pause a limiter records, whatever the server asked for: a
/// `Retry-After` of days is a server bug, not a reason to stop for days.
pub(crate) const MAX_PAUSE: Duration = Duration::from_secs(3600);

/// Paces the requests that share one rate budget.
///
/// The client calls [`acquire`](Self::acquire) before every attempt
/// (retries included) and sends when it returns. When the server answers
/// `429 Too Many Requests` with a `Retry-After`, the client calls
/// [`pause_for`](Self::pause_for), so that every request drawing on the
/// budget waits the pause out, not only the one that was refused.
///
/// Install one with
/// [`QuoClientBuilder::rate_limiter`](crate::QuoClientBuilder::rate_limiter).
/// Two are provided: [`InProcessRateLimiter`] (the default, for one
/// process) and, with the `redis` feature, `RedisRateLimiter` (one budget
/// for every process using the key). Implement the trait to keep the budget
/// in another store; `Arc<L>` is a limiter whenever `L` is, so one limiter
/// can serve several clients.
///
/// ```
/// use std::num::NonZeroU32;
/// use std::time::Duration;
/// use futures::future::BoxFuture;
/// use quo_api_ext::{InProcessRateLimiter, QuoClient, RateLimiter};
///
/// /// Counts the requests it lets through, then defers to another limiter.
/// #[derive(Debug)]
/// struct Counting {
///     inner: InProcessRateLimiter,
///     sent: std::sync::atomic::AtomicU64,
/// }
///
/// impl RateLimiter for Counting {
///     fn acquire(&self) -> BoxFuture<'_, ()> {
///         self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         self.inner.acquire()
///     }
///     fn pause_for(&self, wait: Duration) -> BoxFuture<'_, ()> {
///         self.inner.pause_for(wait)
///     }
/// }
///
/// let limiter = Counting {
///     inner: InProcessRateLimiter::per_second(NonZeroU32::new(5).unwrap()),
///     sent: Default::default(),
/// };
/// let client = QuoClient::builder().api_key("key").rate_limiter(limiter).build()?;
/// # Ok::<(), quo_api_ext::Error>(())
/// ```
pub trait RateLimiter: fmt::Debug + Send + Sync {
    /// Waits until one more request may be sent, and takes that permit.
    ///
    /// It must not fail: a limiter whose store is unreachable paces
    /// requests some other way (and says so in a log) rather than stopping
    /// them, because a rate limiter that stops all traffic is worse than one
    /// that paces it less exactly.
    fn acquire(&self) -> BoxFuture<'_, ()>;

    /// Records that the server asked to wait `wait` (`429` with
    /// `Retry-After`): permits taken from now on are granted no earlier than
    /// `wait` from now. Returns once the pause is recorded.
    fn pause_for(&self, wait: Duration) -> BoxFuture<'_, ()>;
}

impl<L: RateLimiter + ?Sized> RateLimiter for Arc<L> {
    fn acquire(&self) -> BoxFuture<'_, ()> {
        (**self).acquire()
    }

    fn pause_for(&self, wait: Duration) -> BoxFuture<'_, ()> {
        (**self).pause_for(wait)
    }
}

impl<L: RateLimiter + ?Sized> RateLimiter for Box<L> {
    fn acquire(&self) -> BoxFuture<'_, ()> {
        (**self).acquire()
    }

    fn pause_for(&self, wait: Duration) -> BoxFuture<'_, ()> {
        (**self).pause_for(wait)
    }
}

/// The default limiter: a budget kept in this process, shared by all the
/// clones of a client.
///
/// Requests are spaced evenly (`governor` with a burst of **1**): at 10 per
/// second, one every 100 ms, rather than 10 at once and then a stall. Quo
/// does not say how it counts its 10 per second, and an even pace stays
/// under 10 in any one-second window, whichever window the server uses.
///
/// A pause ([`RateLimiter::pause_for`]) holds back every request of the
/// client until it ends. Each process using the key has its own budget, so
/// `n` processes together send `n` times the rate; use the Redis limiter
/// (feature `redis`) when several share a key.
pub struct InProcessRateLimiter {
    limiter: DefaultDirectRateLimiter,
    interval: Duration,
    paused_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for InProcessRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InProcessRateLimiter")
            .field("interval", &self.interval)
            .field("paused_until", &self.paused_until())
            .finish()
    }
}

impl InProcessRateLimiter {
    /// A limiter letting `rate` requests through per second, evenly spaced.
    #[must_use]
    pub fn per_second(rate: NonZeroU32) -> Self {
        Self::every(Duration::from_secs(1) / rate.get())
    }

    /// A limiter letting one request through every `interval` (at least
    /// 1 ns): for rates that are not a whole number per second, such as the
    /// share of a budget one process falls back to.
    #[must_use]
    pub fn every(interval: Duration) -> Self {
        let interval = interval.max(Duration::from_nanos(1));
        let quota = Quota::with_period(interval)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(NonZeroU32::MIN);
        Self {
            limiter: governor::RateLimiter::direct(quota),
            interval,
            paused_until: Mutex::new(None),
        }
    }

    /// The time between two requests.
    #[must_use]
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Until when requests are held back by a pause, if one is running.
    pub(crate) fn paused_until(&self) -> Option<Instant> {
        let until = *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        until.filter(|&until| until > Instant::now())
    }

    /// Holds requests back until `until` (a later pause already recorded wins).
    pub(crate) fn pause_until(&self, until: Instant) {
        let mut paused = self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }

    /// Uses up the permit available now, if any: a limiter taking over
    /// from another starts one interval after the last permit, instead of
    /// adding one request to those already granted.
    #[cfg(feature = "redis")]
    pub(crate) fn spend_current(&self) {
        let _ = self.limiter.check();
    }

    async fn wait(&self) {
        loop {
            if let Some(until) = self.paused_until() {
                tokio::time::sleep_until(until.into()).await;
            }
            self.limiter.until_ready().await;
            // A pause that began while this request waited for its turn
            // holds it back too; it then queues again, so the requests
            // held back do not all go out at once when the pause ends.
            if self.paused_until().is_none() {
                return;
            }
        }
    }
}

impl RateLimiter for InProcessRateLimiter {
    fn acquire(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.wait())
    }

    fn pause_for(&self, wait: Duration) -> BoxFuture<'_, ()> {
        if let Some(until) = Instant::now().checked_add(wait.min(MAX_PAUSE)) {
            self.pause_until(until);
        }
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn paces_evenly() {
        let limiter = InProcessRateLimiter::per_second(NonZeroU32::new(50).unwrap());
        assert_eq!(limiter.interval(), Duration::from_millis(20));
        let started = Instant::now();
        for _ in 0..6 {
            limiter.acquire().await;
        }
        // The first goes at once, the next five 20 ms apart.
        assert!(started.elapsed() >= Duration::from_millis(95));
    }

    #[tokio::test]
    async fn a_pause_holds_every_request_back() {
        let limiter = Arc::new(InProcessRateLimiter::per_second(
            NonZeroU32::new(1000).unwrap(),
        ));
        limiter.acquire().await;
        limiter.pause_for(Duration::from_millis(150)).await;
        // A shorter pause does not shorten the one running.
        limiter.pause_for(Duration::from_millis(10)).await;
        let started = Instant::now();
        let waiters = (0..3).map(|_| {
            let limiter = limiter.clone();
            tokio::spawn(async move { limiter.acquire().await })
        });
        for waiter in waiters {
            waiter.await.unwrap();
        }
        assert!(started.elapsed() >= Duration::from_millis(140));
        assert!(limiter.paused_until().is_none());
    }

    #[test]
    fn odd_intervals() {
        assert_eq!(
            InProcessRateLimiter::every(Duration::from_millis(400)).interval(),
            Duration::from_millis(400)
        );
        assert_eq!(
            InProcessRateLimiter::every(Duration::ZERO).interval(),
            Duration::from_nanos(1)
        );
    }
}
