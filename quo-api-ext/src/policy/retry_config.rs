//! How requests are retried: [`RetryConfig`].

use std::time::Duration;

/// How failed requests are retried.
///
/// Retries apply to idempotent requests (`GET`, `HEAD`, `OPTIONS`, `PUT`,
/// `DELETE`) that failed with 429, 502, 503 or 504 (and 500 when
/// [`retry_500`](Self::retry_500) is set), a connection error or a timeout.
/// The wait between attempts grows exponentially with jitter from
/// [`initial_backoff`](Self::initial_backoff) up to
/// [`max_backoff`](Self::max_backoff); a `Retry-After` sent by the server
/// replaces it, up to [`max_retry_after`](Self::max_retry_after).
///
/// ```
/// use std::time::Duration;
/// use quo_api_ext::RetryConfig;
///
/// let retry = RetryConfig::default()
///     .with_max_attempts(5)
///     .with_max_backoff(Duration::from_secs(2));
/// assert_eq!(retry.max_attempts, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Total attempts, the first one included (default 3). 1 disables retries.
    pub max_attempts: u32,
    /// Wait before the first retry, before jitter (default 200 ms).
    pub initial_backoff: Duration,
    /// Longest wait between two attempts when the server gave no
    /// `Retry-After` (default 5 s).
    pub max_backoff: Duration,
    /// Longest `Retry-After` honoured (default 30 s). When the server asks
    /// for a longer wait, the SDK stops retrying and returns
    /// [`Error::RateLimited`](crate::Error::RateLimited) with that wait, so
    /// the caller decides.
    pub max_retry_after: Duration,
    /// Time budget for one request, all attempts and waits included
    /// (default 60 s), counted from when the first attempt is sent (time
    /// queued behind the rate limiter before it does not count). No wait
    /// that would end after it is started, and an attempt's timeout is
    /// shortened to end with it.
    pub overall_deadline: Duration,
    /// Whether a 500 is retried too (default `false`: Quo answers 500 for
    /// errors that are not known to be transient).
    pub retry_500: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            overall_deadline: Duration::from_secs(60),
            retry_500: false,
        }
    }
}

impl RetryConfig {
    /// A configuration that never retries (one attempt).
    #[must_use]
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets [`max_attempts`](Self::max_attempts) (total, first attempt included).
    #[must_use]
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff).
    #[must_use]
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff).
    #[must_use]
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    #[must_use]
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Sets [`overall_deadline`](Self::overall_deadline).
    #[must_use]
    pub fn with_overall_deadline(mut self, overall_deadline: Duration) -> Self {
        self.overall_deadline = overall_deadline;
        self
    }

    /// Sets [`retry_500`](Self::retry_500).
    #[must_use]
    pub fn with_retry_500(mut self, retry_500: bool) -> Self {
        self.retry_500 = retry_500;
        self
    }

    /// Checks the values, for the client builder.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.max_attempts == 0 {
            return Err("retry max_attempts must be at least 1 (1 disables retries)".into());
        }
        if self.overall_deadline.is_zero() {
            return Err("retry overall_deadline must be greater than zero".into());
        }
        if self.initial_backoff > self.max_backoff {
            return Err("retry initial_backoff must not exceed max_backoff".into());
        }
        Ok(())
    }
}
