//! What happens around every request: pacing, retries and tracing.
//!
//! [`Policy`] is installed into the generated client as its
//! [`RequestPolicy`], so every request, whether sent through
//! [`QuoClient::call`](crate::QuoClient::call) or through
//! [`QuoClient::raw`](crate::QuoClient::raw) directly, goes through it:
//!
//! 1. **Rate limit.** Before every attempt (retries included) it waits for a
//!    permit from the client's [`RateLimiter`], shared by all clones of the
//!    client: by default an [`InProcessRateLimiter`] (`n` per second, evenly
//!    spaced), or one shared by a fleet of processes (`RedisRateLimiter`,
//!    feature `redis`). A 429 with `Retry-After` pauses the limiter for that
//!    long (up to `max_retry_after`), so every request drawing on the budget
//!    waits it out, not only the one refused.
//! 2. **Retries.** Idempotent requests (`GET`, `HEAD`, `OPTIONS`, `PUT`,
//!    `DELETE`, `TRACE`) are retried after 429, 502, 503 and 504 (and 500 if
//!    configured), connection errors and timeouts, waiting an exponentially
//!    growing, jittered delay (backon's `ExponentialBackoff`), or the
//!    server's `Retry-After` instead when it sent one. `POST` and `PATCH` are
//!    only retried by a client made with
//!    [`QuoClient::with_non_idempotent_retries`](crate::QuoClient::with_non_idempotent_retries). A `Retry-After`
//!    longer than `max_retry_after` ends the retries: the 429 is returned so
//!    the caller decides. No wait that would end after `overall_deadline`
//!    (counted from when the first attempt is sent) is started, and each
//!    attempt's timeout is shortened to end with it. A request whose body
//!    cannot be cloned is sent once. The policy records whether an attempt
//!    before the last may have been applied (a 5xx, or a connection that
//!    failed after sending), so that a retried `DELETE` meeting 404 is
//!    reported as [`Error::MaybeDeleted`](crate::Error::MaybeDeleted).
//! 3. **Tracing.** One `quo.request` span per request with the operation,
//!    method, path, `attempt` (attempts made), final `status`, `waited_ms`
//!    (between attempts), `paced_ms` (for the rate limiter) and, when the
//!    last attempt failed, `stop` (why no further attempt was made); a debug
//!    event per retry. Headers, query strings and bodies are never recorded,
//!    so the API key cannot leak into logs.
//!
//! The retry loop is written out rather than using backon's `Retryable`:
//! a request is consumed by sending it, so each attempt needs its own
//! clone, and an explicit loop makes "clone failed, so this is the last
//! attempt" plain and panic-free. The delays still come from backon.

mod body;
mod call;
pub(crate) mod limiter;
#[cfg(feature = "redis")]
pub(crate) mod redis_limiter;
mod retry_config;

use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use quo_api::hooks::{ExecFuture, RequestPolicy};
use reqwest::{Method, Response, StatusCode};
use tracing::Instrument;
use tracing::field::Empty;

use crate::error::{BodyTooLarge, Outcome, is_retryable_transport, parse_retry_after};

pub(crate) use call::{CallPolicy, CallState, PageBody, SharedPageBody};
pub use limiter::{InProcessRateLimiter, RateLimiter};
#[cfg(feature = "redis")]
pub use redis_limiter::{RedisRateLimit, RedisRateLimiter};
pub use retry_config::RetryConfig;

/// The shortest timeout an attempt gets, even when the overall deadline is
/// (nearly) reached: long enough to fail cleanly as a timeout.
const MIN_ATTEMPT_TIMEOUT: Duration = Duration::from_millis(1);

/// Stands in for a deadline too far away to represent as an `Instant`.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365);

/// Rate limiting, retries and tracing for every request of one client (and
/// its clones, which share it through an `Arc`).
///
/// Cloning it is cheap and the clone shares the rate limiter, so a request
/// can be moved to a task of its own (see [`RequestPolicy::execute`]).
#[derive(Clone)]
pub(crate) struct Policy {
    limiter: Option<Arc<dyn RateLimiter>>,
    retry: RetryConfig,
    attempt_timeout: Duration,
    max_response_bytes: usize,
    /// Whether `POST` and `PATCH` are retried like idempotent requests.
    retry_non_idempotent: bool,
    /// Headers every request carries unless it has them already: the API
    /// key and user agent, when the HTTP client is the caller's own (whose
    /// default headers are not ours to set).
    headers: reqwest::header::HeaderMap,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("limiter", &self.limiter)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .finish()
    }
}

/// Why the retry loop stopped with a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The request may not be retried (method, or body not clonable).
    NotRetryable,
    /// `max_attempts` reached.
    Exhausted,
    /// The server's `Retry-After` is longer than `max_retry_after`.
    RetryAfterOverCap,
    /// The next wait would end after the overall deadline.
    Deadline,
}

impl Stop {
    fn as_str(self) -> &'static str {
        match self {
            Stop::NotRetryable => "not_retryable",
            Stop::Exhausted => "attempts_exhausted",
            Stop::RetryAfterOverCap => "retry_after_over_cap",
            Stop::Deadline => "deadline",
        }
    }
}

/// How far one request has got, across its attempts.
#[derive(Debug, Default)]
struct Attempts {
    /// Attempts started so far.
    attempts: u32,
    /// When the overall deadline ends; set when the first attempt is sent.
    deadline: Option<Instant>,
    /// Whether the last attempt's timeout was shortened by the deadline.
    deadline_limited: bool,
    /// The status of the last attempt's response, once its headers have
    /// arrived (its body may still fail).
    received_status: Option<u16>,
    /// Time spent waiting between attempts (backoff or `Retry-After`).
    backoff_wait: Duration,
    /// Time spent waiting for the rate limiter.
    pacing_wait: Duration,
    /// Why an attempt before the last one may have been applied by Quo
    /// (see [`Retryable::may_have_applied`]); the first such reason.
    earlier_may_have_applied: Option<String>,
}

/// What to do with an attempt's result.
enum Verdict {
    /// Hand it back as is (success, or a failure a retry cannot fix).
    Done(reqwest::Result<Response>),
    /// A failure a retry may fix.
    Retry(Retryable),
}

/// An attempt that failed in a way a retry may fix.
struct Retryable {
    result: reqwest::Result<Response>,
    retry_after: Option<Duration>,
    reason: String,
}

impl Retryable {
    /// Whether Quo may have applied the request although this attempt
    /// failed: it answered 5xx (a gateway's 502/503/504 says nothing about
    /// the server behind it), or the connection failed after the request
    /// was sent. A 429 and a failed connect were never acted on.
    fn may_have_applied(&self) -> bool {
        match &self.result {
            Ok(response) => response.status().is_server_error(),
            Err(e) => !e.is_connect(),
        }
    }
}

impl Policy {
    /// A policy that paces requests with `limiter` (none if `None`) and
    /// retries as `retry` says, each attempt timing out after
    /// `attempt_timeout` and reading at most `max_response_bytes` of body.
    pub(crate) fn new(
        retry: RetryConfig,
        attempt_timeout: Duration,
        limiter: Option<Arc<dyn RateLimiter>>,
        max_response_bytes: usize,
    ) -> Self {
        Self {
            limiter,
            retry,
            attempt_timeout,
            max_response_bytes,
            retry_non_idempotent: false,
            headers: reqwest::header::HeaderMap::new(),
        }
    }

    /// The retries it makes.
    pub(crate) fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The limiter that paces its requests, if any.
    pub(crate) fn limiter(&self) -> &Option<Arc<dyn RateLimiter>> {
        &self.limiter
    }

    /// The largest response body it reads, in bytes.
    pub(crate) fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The same policy, adding `headers` to every request that lacks them.
    pub(crate) fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// The same policy, each attempt timing out after `attempt_timeout`.
    pub(crate) fn with_attempt_timeout(mut self, attempt_timeout: Duration) -> Self {
        self.attempt_timeout = attempt_timeout;
        self
    }

    /// The same policy, retrying `POST` and `PATCH` too (or not).
    pub(crate) fn with_non_idempotent_retries(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Sends `request` with its missing policy headers added, recording the
    /// outcome into `call`.
    async fn send(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
        call: &CallState,
    ) -> reqwest::Result<Response> {
        for (name, value) in &self.headers {
            if !request.headers().contains_key(name) {
                request.headers_mut().insert(name, value.clone());
            }
        }
        self.send_traced(http, request, operation_id, call).await
    }

    /// Sends `request`, retrying as configured, inside a `quo.request` span.
    async fn send_traced(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
        call: &CallState,
    ) -> reqwest::Result<Response> {
        let span = tracing::info_span!(
            "quo.request",
            operation = operation_id,
            method = %request.method(),
            path = request.url().path(),
            attempt = Empty,
            status = Empty,
            waited_ms = Empty,
            paced_ms = Empty,
            stop = Empty,
        );
        self.send_with_retries(http, request, &span, call)
            .instrument(span.clone())
            .await
    }

    async fn send_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        span: &tracing::Span,
        call: &CallState,
    ) -> reqwest::Result<Response> {
        let may_retry = is_idempotent(request.method()) || self.retry_non_idempotent;
        let mut backoff = ExponentialBuilder::default()
            .with_jitter()
            .with_min_delay(self.retry.initial_backoff)
            .with_max_delay(self.retry.max_backoff)
            .with_max_times(self.retry.max_attempts.saturating_sub(1) as usize)
            .build();
        let mut attempts = Attempts::default();
        let method = request.method().clone();
        loop {
            attempts.attempts += 1;
            // Keep a copy for the next attempt before this one consumes the request.
            let next = if may_retry && attempts.attempts < self.retry.max_attempts {
                request.try_clone()
            } else {
                None
            };
            let result = self.attempt(http, request, &mut attempts, call).await;
            let failure = match self.classify(result) {
                Verdict::Done(done) => {
                    return finish(span, call, &method, done, &attempts, None, None);
                }
                Verdict::Retry(failure) => failure,
            };
            self.pause_limiter_on_429(&failure).await;
            let deadline = attempts.deadline.unwrap_or_else(Instant::now);
            let stop = match next {
                None if may_retry && attempts.attempts >= self.retry.max_attempts => {
                    Err(Stop::Exhausted)
                }
                // A non-idempotent method, or a body that cannot be cloned.
                None => Err(Stop::NotRetryable),
                Some(next) => self
                    .next_delay(failure.retry_after, backoff.next(), deadline)
                    .map(|delay| (next, delay)),
            };
            let (next, delay) = match stop {
                Ok(go) => go,
                Err(stop) => {
                    let Retryable {
                        result,
                        retry_after,
                        ..
                    } = failure;
                    return finish(
                        span,
                        call,
                        &method,
                        result,
                        &attempts,
                        retry_after,
                        Some(stop),
                    );
                }
            };
            tracing::debug!(
                attempt = attempts.attempts,
                reason = %failure.reason,
                wait_ms = millis(delay),
                retry_after_ms = failure.retry_after.map(millis),
                "retrying request"
            );
            if attempts.earlier_may_have_applied.is_none() && failure.may_have_applied() {
                attempts.earlier_may_have_applied = Some(failure.reason.clone());
            }
            // Drop the failed response (and its connection) before waiting.
            drop(failure);
            tokio::time::sleep(delay).await;
            attempts.backoff_wait += delay;
            request = next;
        }
    }

    /// One attempt: waits for the rate limiter, then sends with a timeout
    /// that ends no later than the overall deadline, which starts when the
    /// first attempt is sent (time queued behind the rate limiter before it
    /// does not count, so a busy client does not fail requests it has not
    /// sent yet).
    async fn attempt(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        attempts: &mut Attempts,
        call: &CallState,
    ) -> reqwest::Result<Response> {
        if let Some(limiter) = &self.limiter {
            let queued = Instant::now();
            limiter.acquire().await;
            attempts.pacing_wait += queued.elapsed();
        }
        let now = Instant::now();
        let deadline = *attempts.deadline.get_or_insert_with(|| {
            now.checked_add(self.retry.overall_deadline)
                .or_else(|| now.checked_add(FAR_FUTURE))
                .unwrap_or(now)
        });
        let remaining = deadline.saturating_duration_since(now);
        let own = request.timeout().copied().unwrap_or(self.attempt_timeout);
        attempts.deadline_limited = remaining < own;
        *request.timeout_mut() = Some(own.min(remaining).max(MIN_ATTEMPT_TIMEOUT));
        tracing::trace!(attempt = attempts.attempts, "sending request");
        attempts.received_status = None;
        let response = http.execute(request).await?;
        attempts.received_status = Some(response.status().as_u16());
        read_whole_body(response, self.max_response_bytes, call).await
    }

    /// Whether `result` is final or worth another attempt.
    fn classify(&self, result: reqwest::Result<Response>) -> Verdict {
        match result {
            Ok(response) if self.is_retryable_status(response.status()) => {
                let retry_after = parse_retry_after(response.headers());
                let reason = format!("status {}", response.status().as_u16());
                Verdict::Retry(Retryable {
                    result: Ok(response),
                    retry_after,
                    reason,
                })
            }
            Err(e) if is_retryable_transport(&e) => {
                let reason = if e.is_timeout() {
                    "timeout"
                } else if e.is_connect() {
                    "connect error"
                } else if e.is_body() || e.is_decode() {
                    "body read error"
                } else {
                    "request error"
                };
                Verdict::Retry(Retryable {
                    result: Err(e),
                    retry_after: None,
                    reason: reason.to_owned(),
                })
            }
            other => Verdict::Done(other),
        }
    }

    /// A 429 with `Retry-After` is about the key's budget, not this request:
    /// the limiter holds back every request drawing on it (with a shared
    /// limiter, in every process) for that long, capped at
    /// `max_retry_after` like the retry wait itself.
    async fn pause_limiter_on_429(&self, failure: &Retryable) {
        if let (Some(limiter), Some(wait), Ok(response)) =
            (&self.limiter, failure.retry_after, &failure.result)
            && response.status() == StatusCode::TOO_MANY_REQUESTS
            && !wait.is_zero()
        {
            limiter
                .pause_for(wait.min(self.retry.max_retry_after))
                .await;
        }
    }

    fn is_retryable_status(&self, status: StatusCode) -> bool {
        match status.as_u16() {
            429 | 502 | 503 | 504 => true,
            500 => self.retry.retry_500,
            _ => false,
        }
    }

    /// The wait before the next attempt: the server's `Retry-After` if it
    /// sent one (within the cap), else the backoff delay capped at
    /// `max_backoff` (jitter may push backon's delay past it). `Err` when
    /// retrying must stop.
    fn next_delay(
        &self,
        retry_after: Option<Duration>,
        backoff: Option<Duration>,
        deadline: Instant,
    ) -> Result<Duration, Stop> {
        let backoff = backoff.ok_or(Stop::Exhausted)?;
        let delay = match retry_after {
            Some(wait) if wait > self.retry.max_retry_after => return Err(Stop::RetryAfterOverCap),
            Some(wait) => wait,
            None => backoff.min(self.retry.max_backoff),
        };
        match Instant::now().checked_add(delay) {
            Some(end) if end < deadline => Ok(delay),
            _ => Err(Stop::Deadline),
        }
    }
}

impl RequestPolicy for Policy {
    /// Sends `request` as the policy says, for a request sent through
    /// [`QuoClient::raw`](crate::QuoClient::raw) outside any call: the
    /// outcome is recorded nowhere.
    fn execute<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecFuture<'a> {
        Box::pin(async move {
            let call = CallState::default();
            self.send(http, request, operation_id, &call).await
        })
    }
}

/// Records the outcome in the span and the call's state, and returns `result`.
fn finish(
    span: &tracing::Span,
    call: &CallState,
    method: &Method,
    result: reqwest::Result<Response>,
    attempts: &Attempts,
    retry_after: Option<Duration>,
    stop: Option<Stop>,
) -> reqwest::Result<Response> {
    // A body that failed still had a status.
    let status = match &result {
        Ok(response) => Some(response.status().as_u16()),
        Err(_) => attempts.received_status,
    };
    let retry_after = match &result {
        Ok(response) => retry_after.or_else(|| parse_retry_after(response.headers())),
        Err(_) => None,
    };
    let count = attempts.attempts;
    span.record("attempt", count);
    span.record("waited_ms", millis(attempts.backoff_wait));
    span.record("paced_ms", millis(attempts.pacing_wait));
    if let Some(status) = status {
        span.record("status", status);
    }
    if let Some(stop) = stop {
        span.record("stop", stop.as_str());
    }
    match &result {
        Ok(_) => tracing::debug!(attempts = count, status, "request finished"),
        Err(e) => tracing::debug!(
            attempts = count,
            timeout = e.is_timeout(),
            connect = e.is_connect(),
            too_large = BodyTooLarge::find(e).is_some(),
            "request failed"
        ),
    }
    call.record(Outcome {
        status,
        retry_after,
        attempts: count,
        deadline_limited: attempts.deadline_limited,
        method: Some(method.clone()),
        earlier_may_have_applied: attempts.earlier_may_have_applied.clone(),
    });
    result
}

/// Reads the whole body of `response` within the attempt (so its timeout
/// covers it, and a connection that fails mid-body is an attempt that failed
/// and can be retried like any other), up to `limit` bytes (see
/// [`body`]), and returns an equivalent response that holds the body in
/// memory.
///
/// Every Quo response is a JSON document that the generated code reads
/// whole anyway, so nothing is lost by reading it here; the bytes are
/// reference-counted, not copied. A successful body is also offered to a
/// prefetching page walk, if the call has one waiting for it (see
/// [`PageBody`]).
async fn read_whole_body(
    response: Response,
    limit: usize,
    call: &CallState,
) -> reqwest::Result<Response> {
    use reqwest::ResponseBuilderExt;

    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let headers = response.headers().clone();
    let body = body::read_limited(response, limit).await?;
    // A prefetching walk can request the next page now.
    if status.is_success() {
        call.offer_body(&body);
    }
    let mut buffered = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body));
    *buffered.status_mut() = status;
    *buffered.headers_mut() = headers;
    Ok(Response::from(buffered))
}

/// Methods that may be sent twice without changing the outcome (RFC 9110 §9.2.2).
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::DELETE,
        Method::TRACE,
    ]
    .contains(method)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(retry: RetryConfig) -> Policy {
        Policy::new(retry, Duration::from_secs(1), None, 1024)
    }

    #[test]
    fn idempotent_methods() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::DELETE));
        assert!(is_idempotent(&Method::PUT));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }

    #[test]
    fn retryable_statuses() {
        let p = policy(RetryConfig::default());
        for s in [429, 502, 503, 504] {
            assert!(p.is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
        for s in [200, 400, 401, 404, 409, 500, 501] {
            assert!(!p.is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
        let p = policy(RetryConfig::default().with_retry_500(true));
        assert!(p.is_retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
    }

    #[test]
    fn delays() {
        let p = policy(RetryConfig::default());
        let far = Instant::now() + Duration::from_secs(3600);
        let backoff = Some(Duration::from_secs(9));
        // Backoff capped at max_backoff.
        assert_eq!(p.next_delay(None, backoff, far), Ok(Duration::from_secs(5)));
        // Retry-After replaces the backoff.
        assert_eq!(
            p.next_delay(Some(Duration::from_secs(7)), backoff, far),
            Ok(Duration::from_secs(7))
        );
        // Over the cap: stop.
        assert_eq!(
            p.next_delay(Some(Duration::from_secs(31)), backoff, far),
            Err(Stop::RetryAfterOverCap)
        );
        // Exhausted backoff: stop, even with a Retry-After.
        assert_eq!(
            p.next_delay(Some(Duration::from_secs(1)), None, far),
            Err(Stop::Exhausted)
        );
        // Would cross the deadline: stop.
        let near = Instant::now() + Duration::from_secs(2);
        assert_eq!(
            p.next_delay(Some(Duration::from_secs(3)), backoff, near),
            Err(Stop::Deadline)
        );
    }
}
