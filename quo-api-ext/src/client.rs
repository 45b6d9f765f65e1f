//! [`QuoClient`]: the configured client, and its builder.
//!
//! A `QuoClient` wraps the generated [`quo_api::Client`] with the API key,
//! timeouts, a rate limiter and retries (see [`RetryConfig`]), and turns
//! every failure into an [`Error`] through [`QuoClient::call`]. Clones are
//! cheap and share one connection pool and one rate budget, so clone it
//! freely into tasks rather than building several clients.

mod definition_cache;
mod validate;

use std::fmt;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use quo_api::ClientInfo;
use reqwest::header::{AUTHORIZATION, HeaderMap};
use secrecy::SecretString;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, Timeouts, map_error};
use crate::policy::{
    CallPolicy, CallState, InProcessRateLimiter, PageBody, Policy, RateLimiter, RetryConfig,
    SharedPageBody,
};
#[cfg(feature = "redis")]
use crate::policy::{RedisRateLimit, RedisRateLimiter};
use definition_cache::DefinitionCache;
pub(crate) use definition_cache::DefinitionIndex;

/// The Quo API's production base URL, used unless another one is set.
pub const DEFAULT_BASE_URL: &str = "https://api.quo.com";
/// The environment variable [`QuoClient::from_env`] reads the API key from.
pub const API_KEY_ENV: &str = "QUO_API_KEY";
/// The environment variable [`QuoClient::from_env`] reads an optional base URL from.
pub const BASE_URL_ENV: &str = "QUO_BASE_URL";
/// Default time allowed to open a connection (10 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, response body included (30 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default pace, in requests per second: Quo's documented rate limit.
pub const DEFAULT_RATE_LIMIT: u32 = 10;
/// Default limit on one response body (16 MiB): hundreds of times a full
/// page of contacts, small enough that a runaway answer cannot exhaust
/// memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// A configured client for the Quo public API.
///
/// Build one with [`QuoClient::builder`] or [`QuoClient::from_env`], then
/// use a resource (`client.contacts()`, `client.messages()`, ...) or send any
/// generated operation through [`call`](Self::call) to get this crate's
/// [`Error`]:
///
/// ```no_run
/// # async fn demo() -> quo_api_ext::Result<()> {
/// let client = quo_api_ext::QuoClient::from_env()?;
/// let contact = client.contacts().get("664d0db69fcac7cf2e6ec99e").await?;
/// println!("{:?}", contact.default_fields.first_name);
/// # Ok(())
/// # }
/// ```
///
/// `QuoClient` is `Send + Sync` and cheap to clone: clones share one
/// connection pool and one rate budget. Its `Debug` output never shows the
/// API key.
#[derive(Clone)]
pub struct QuoClient {
    inner: Arc<Inner>,
    /// Set only on the clone a prefetching page walk hands its fetch: the
    /// walk's wish for the page request's body.
    page_body: Option<SharedPageBody>,
}

/// A client's settings. The connection pool and base URL are those of
/// `raw`, and the retries, limiter and size limit those of `policy`, so
/// each is kept once.
struct Inner {
    /// The generated client for requests sent outside [`QuoClient::call`];
    /// each call's own generated client shares its connection pool.
    raw: quo_api::Client,
    /// The policy every request runs through.
    policy: Arc<Policy>,
    timeouts: Timeouts,
    /// The pace of a limiter built here (for `Debug`), if any.
    rate_limit: Option<NonZeroU32>,
    /// The custom-field definitions, read once and shared by clones and
    /// derived clients.
    definitions: Arc<DefinitionCache>,
}

impl Inner {
    /// Settings sending through `policy` with `http` to `base_url`.
    fn new(
        base_url: &str,
        http: reqwest::Client,
        policy: Policy,
        timeouts: Timeouts,
        rate_limit: Option<NonZeroU32>,
        definitions: Arc<DefinitionCache>,
    ) -> Self {
        let policy = Arc::new(policy);
        let hooks = quo_api::hooks::RequestHooks::with_policy(policy.clone());
        Self {
            raw: quo_api::Client::new_with_client(base_url, http, hooks),
            policy,
            timeouts,
            rate_limit,
            definitions,
        }
    }
}

impl fmt::Debug for QuoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("QuoClient")
            .field("base_url", &self.base_url())
            .field("api_key", &"[redacted]")
            .field("connect_timeout", &inner.timeouts.connect)
            .field("timeout", &inner.timeouts.attempt)
            .field("retry", inner.policy.retry())
            .field("rate_limit_per_second", &inner.rate_limit)
            .field("max_response_bytes", &inner.policy.max_response_bytes())
            .field("rate_limiter", inner.policy.limiter())
            .finish()
    }
}

impl QuoClient {
    /// Starts configuring a client; see [`QuoClientBuilder`] for the options
    /// and their defaults.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use quo_api_ext::QuoClient;
    ///
    /// # async fn demo() -> quo_api_ext::Result<()> {
    /// let client = QuoClient::builder()
    ///     .api_key("YOUR_API_KEY")
    ///     .timeout(Duration::from_secs(20))
    ///     .max_attempts(5)
    ///     .user_agent_suffix("my-crm-sync/1.0")
    ///     .build()?;
    /// let page = client
    ///     .call(|raw| async move { raw.list_contacts_v1(
    ///         None,
    ///         std::num::NonZeroU64::new(50).unwrap(),
    ///         None,
    ///         None,
    ///     ).await })
    ///     .await?;
    /// println!("{} contacts on the first page", page.data.len());
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn builder() -> QuoClientBuilder {
        QuoClientBuilder::new()
    }

    /// A client configured from the environment: the key from `QUO_API_KEY`
    /// (required) and the base URL from `QUO_BASE_URL` (optional), every
    /// other option at its default. See [`QuoClientBuilder::from_env`] to
    /// change other options too.
    pub fn from_env() -> Result<QuoClient> {
        QuoClientBuilder::from_env().build()
    }

    /// The generated client, with this client's key, timeouts, rate limit
    /// and retries installed. Prefer [`call`](Self::call), which hands its
    /// closure a generated client of the same kind and turns failures into
    /// this crate's [`Error`]; errors of requests sent here directly are
    /// progenitor's, without the status of a body that did not decode.
    #[must_use]
    pub fn raw(&self) -> &quo_api::Client {
        &self.inner.raw
    }

    /// The base URL requests go to, without a trailing `/`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        self.inner.raw.baseurl()
    }

    /// The retry configuration in use.
    #[must_use]
    pub fn retry_config(&self) -> &RetryConfig {
        self.inner.policy.retry()
    }

    /// A client like this one whose attempts time out after `timeout`
    /// instead: for one slow call (an export) or one that must fail fast,
    /// without a second connection pool. It shares this client's
    /// connections, rate budget, retries and caches.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::time::Duration;
    ///
    /// let quick = client.with_timeout(Duration::from_secs(2));
    /// let contact = quick.contacts().get("664d0db69fcac7cf2e6ec99e").await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_timeout(&self, timeout: Duration) -> QuoClient {
        let policy = Policy::clone(&self.inner.policy).with_attempt_timeout(timeout);
        self.with_policy(policy, |timeouts| Timeouts {
            attempt: timeout,
            ..timeouts
        })
    }

    /// A client like this one that also retries `POST` and `PATCH` requests
    /// after the failures that are retried for idempotent ones, for every
    /// request sent through it (resources, [`call`](Self::call) and
    /// [`raw`](Self::raw)). It shares this client's connections, rate
    /// budget and caches.
    ///
    /// They are not retried by default because a request that timed out or
    /// got a 502 may still have been carried out: retrying a create could
    /// create twice. Use this only for operations that are safe to repeat.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let retrying = client.with_non_idempotent_retries();
    /// retrying.contacts().delete("664d0db69fcac7cf2e6ec99e").await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_non_idempotent_retries(&self) -> QuoClient {
        let policy = Policy::clone(&self.inner.policy).with_non_idempotent_retries(true);
        self.with_policy(policy, |timeouts| timeouts)
    }

    /// A client sharing this one's connections, rate budget and caches,
    /// sending through `policy` instead, with its timeouts as `timeouts`
    /// says.
    fn with_policy(&self, policy: Policy, timeouts: impl FnOnce(Timeouts) -> Timeouts) -> Self {
        let inner = &self.inner;
        QuoClient {
            inner: Arc::new(Inner::new(
                inner.raw.baseurl(),
                inner.raw.client().clone(),
                policy,
                timeouts(inner.timeouts),
                inner.rate_limit,
                Arc::clone(&inner.definitions),
            )),
            // A page request's client stays one when derived inside the
            // walk's fetch closure.
            page_body: self.page_body.clone(),
        }
    }

    /// This client, without a walk's wish for the body.
    pub(crate) fn without_page_body(&self) -> Self {
        QuoClient {
            inner: Arc::clone(&self.inner),
            page_body: None,
        }
    }

    /// This client for one page request of a prefetching walk: the first
    /// successful body of the calls made with it goes to `wish`.
    pub(crate) fn for_page(&self, wish: PageBody) -> Self {
        QuoClient {
            inner: Arc::clone(&self.inner),
            page_body: Some(Arc::new(std::sync::Mutex::new(Some(wish)))),
        }
    }

    /// The cache behind [`QuoClient::custom_field_definitions`].
    pub(crate) fn definition_cache(&self) -> &DefinitionCache {
        &self.inner.definitions
    }

    /// The largest response body this client reads, in bytes (see
    /// [`QuoClientBuilder::max_response_bytes`]).
    #[must_use]
    pub fn max_response_bytes(&self) -> usize {
        self.inner.policy.max_response_bytes()
    }

    /// Runs one generated operation and returns its decoded value, turning
    /// every failure into an [`Error`]. `request` receives a generated
    /// client of this call's own (with this client's key, pacing and
    /// retries) and sends the operation with it:
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let contact = client
    ///     .call(|raw| async move { raw.get_contact_by_id_v1("abc").await })
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// The generated client is the call's own so that what the policy
    /// learns about the request (the final status, `Retry-After`, the
    /// attempts) reaches the error without a channel shared between calls.
    /// Error bodies are decoded in both shapes Quo uses (see
    /// [`ServiceError`](crate::ServiceError)); a 429 becomes
    /// [`Error::RateLimited`]; a success body that does not match the
    /// expected type becomes [`Error::Decode`] naming the failing field.
    pub async fn call<T, F, Fut>(&self, request: F) -> Result<T>
    where
        F: FnOnce(quo_api::Client) -> Fut,
        Fut: Future<
            Output = std::result::Result<
                quo_api::ResponseValue<T>,
                quo_api::Error<quo_api::types::ApiError>,
            >,
        >,
        T: DeserializeOwned,
    {
        let inner = &self.inner;
        let state = Arc::new(CallState::new(self.page_body.clone()));
        let policy = CallPolicy::new(Arc::clone(&inner.policy), Arc::clone(&state));
        let hooks = quo_api::hooks::RequestHooks::with_policy(Arc::new(policy));
        let raw = quo_api::Client::new_with_client(
            inner.raw.baseurl(),
            inner.raw.client().clone(),
            hooks,
        );
        match request(raw).await {
            Ok(value) => Ok(value.into_inner()),
            Err(error) => Err(map_error::<T>(error, &state.outcome(), &inner.timeouts).await),
        }
    }
}

/// Configures a [`QuoClient`]. Created by [`QuoClient::builder`].
///
/// | option | default |
/// | --- | --- |
/// | [`api_key`](Self::api_key) | required |
/// | [`base_url`](Self::base_url) | `https://api.quo.com` |
/// | [`connect_timeout`](Self::connect_timeout) | 10 s |
/// | [`timeout`](Self::timeout) (per attempt) | 30 s |
/// | [`retry`](Self::retry) | [`RetryConfig::default`]: 3 attempts |
/// | [`rate_limit`](Self::rate_limit) | 10 requests per second |
/// | [`max_response_bytes`](Self::max_response_bytes) | 16 MiB |
/// | [`rate_limiter`](Self::rate_limiter) / `redis_rate_limit` | in this process ([`InProcessRateLimiter`]) |
/// | [`user_agent_suffix`](Self::user_agent_suffix) | none: `quo-api-ext/<version>` |
///
/// Redirects are never followed (see [`Error::Redirect`]).
///
/// Its `Debug` output never shows the API key.
#[derive(Clone)]
pub struct QuoClientBuilder {
    api_key: Option<SecretString>,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryConfig,
    rate_limit: u32,
    pacing: Pacing,
    max_response_bytes: usize,
    http_client: Option<reqwest::Client>,
    user_agent_suffix: Option<String>,
    /// A problem found before `build` (e.g. an unreadable variable), reported by it.
    pending: Option<String>,
}

impl fmt::Debug for QuoClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = if self.api_key.is_some() {
            "[redacted]"
        } else {
            "[not set]"
        };
        f.debug_struct("QuoClientBuilder")
            .field("api_key", &key)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("rate_limit_per_second", &self.rate_limit)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limiter", &self.pacing)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .finish()
    }
}

/// Which limiter the built client paces its requests with.
#[derive(Clone)]
enum Pacing {
    /// None: requests go out as they come.
    Off,
    /// An [`InProcessRateLimiter`] at the builder's rate.
    InProcess,
    /// One the caller supplied.
    Custom(Arc<dyn RateLimiter>),
    /// A [`RedisRateLimiter`] at the builder's rate, for the client's key.
    #[cfg(feature = "redis")]
    Redis(RedisRateLimit),
}

impl fmt::Debug for Pacing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pacing::Off => f.write_str("Off"),
            Pacing::InProcess => f.write_str("InProcess"),
            Pacing::Custom(limiter) => f.debug_tuple("Custom").field(limiter).finish(),
            #[cfg(feature = "redis")]
            Pacing::Redis(settings) => f.debug_tuple("Redis").field(settings).finish(),
        }
    }
}

impl Default for QuoClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl QuoClientBuilder {
    /// A builder with every option at its default and no API key.
    #[must_use]
    pub fn new() -> Self {
        Self {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryConfig::default(),
            rate_limit: DEFAULT_RATE_LIMIT,
            pacing: Pacing::InProcess,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
            user_agent_suffix: None,
            pending: None,
        }
    }

    /// A builder with the API key from `QUO_API_KEY` and, if set, the base
    /// URL from `QUO_BASE_URL`; every other option at its default, to be
    /// changed before [`build`](Self::build), which reports a missing key.
    ///
    /// ```no_run
    /// # fn demo() -> quo_api_ext::Result<()> {
    /// let client = quo_api_ext::QuoClientBuilder::from_env()
    ///     .max_attempts(5)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn from_env() -> Self {
        let mut builder = Self::new();
        match std::env::var(API_KEY_ENV) {
            Ok(key) => builder.api_key = Some(SecretString::from(key)),
            Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                builder.pending = Some(format!("{API_KEY_ENV} is not valid UTF-8"));
            }
        }
        match std::env::var(BASE_URL_ENV) {
            Ok(url) if !url.trim().is_empty() => builder.base_url = url,
            Ok(_) | Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                builder.pending = Some(format!("{BASE_URL_ENV} is not valid UTF-8"));
            }
        }
        builder
    }

    /// The API key, sent as is in the `Authorization` header (Quo expects
    /// the raw key, no `Bearer`). Surrounding whitespace is trimmed; a key
    /// with whitespace or control characters inside is refused by
    /// [`build`](Self::build).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The API's base URL (default `https://api.quo.com`). Must be `https`,
    /// except for loopback hosts (`localhost`, `127.0.0.1`, `[::1]`), which
    /// may use plain `http` for local test servers.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Time allowed to open a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending until the whole response
    /// body has arrived (default 30 s). Retries get their own.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the whole retry configuration.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Total attempts per request, the first included (default 3).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts;
        self
    }

    /// Sends every request once, never retrying.
    #[must_use]
    pub fn no_retries(self) -> Self {
        self.max_attempts(1)
    }

    /// Whether a 500 is retried like a 502/503/504 (default `false`).
    #[must_use]
    pub fn retry_on_500(mut self, retry: bool) -> Self {
        self.retry.retry_500 = retry;
        self
    }

    /// Paces requests to at most `per_second`, spaced evenly, across this
    /// client and all its clones (default 10, Quo's documented limit), or
    /// across the fleet with `redis_rate_limit` (feature `redis`).
    /// Turns pacing back on after [`no_rate_limit`](Self::no_rate_limit);
    /// a limiter given to [`rate_limiter`](Self::rate_limiter) keeps its own
    /// rate. Must be at least 1.
    #[must_use]
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = per_second;
        if matches!(self.pacing, Pacing::Off) {
            self.pacing = Pacing::InProcess;
        }
        self
    }

    /// Sends requests as fast as they come, without pacing (the server may
    /// then answer 429, which is retried).
    #[must_use]
    pub fn no_rate_limit(mut self) -> Self {
        self.pacing = Pacing::Off;
        self
    }

    /// Paces requests with `limiter` instead of the built-in one: your own
    /// [`RateLimiter`] (a budget kept elsewhere), or an `Arc` of one shared
    /// with other clients. Its rate is its own; [`rate_limit`](Self::rate_limit)
    /// does not change it.
    #[must_use]
    pub fn rate_limiter(mut self, limiter: impl RateLimiter + 'static) -> Self {
        self.pacing = Pacing::Custom(Arc::new(limiter));
        self
    }

    /// Draws on one budget kept in Redis, shared by every process whose
    /// client uses the same API key and Redis, at the
    /// [`rate_limit`](Self::rate_limit) rate (feature `redis`).
    ///
    /// Use it when several processes (workers, hosts, cron jobs) use one
    /// key: each paced alone at 10 per second, together they would exceed
    /// Quo's limit and meet 429s. A 429 with `Retry-After` seen by any of
    /// them pauses them all. If Redis is unreachable, requests still go out,
    /// paced in this process (see [`RedisRateLimit`]).
    ///
    /// ```no_run
    /// use quo_api_ext::{QuoClient, RedisRateLimit};
    ///
    /// # fn demo() -> quo_api_ext::Result<()> {
    /// let client = QuoClient::builder()
    ///     .api_key("YOUR_API_KEY")
    ///     .redis_rate_limit(RedisRateLimit::new("redis://10.0.0.5:6379/").burst(2))
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "redis")]
    #[must_use]
    pub fn redis_rate_limit(mut self, settings: RedisRateLimit) -> Self {
        self.pacing = Pacing::Redis(settings);
        self
    }

    /// The largest response body read, in bytes (default 16 MiB); must be
    /// at least 1.
    ///
    /// Bodies are read as they arrive, and the read stops as soon as it
    /// would pass this limit (at once when `Content-Length` announces more),
    /// failing the request with [`Error::ResponseTooLarge`], which is not
    /// retried. So a response never takes much more memory than this,
    /// however large or endless the server's answer. The default is far
    /// above any real Quo answer (a full page of 50 contacts is about
    /// 70 KB); lower it to bound memory more tightly.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends requests with this HTTP client (proxies, custom TLS, your own
    /// connection pool) instead of one built here.
    ///
    /// The policy still applies: the API key and user agent are added to
    /// every request, and pacing, retries, per-attempt timeouts and the
    /// response size limit work as with the built-in client. What stays
    /// the client's own: its connect timeout and its redirect policy. The
    /// built-in client follows no redirect; if yours does, note that
    /// `reqwest` drops the `Authorization` header on a redirect to another
    /// host, and prefer `reqwest::redirect::Policy::none()`.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Text appended to the `User-Agent` (`quo-api-ext/<version> <suffix>`),
    /// to identify your application in Quo's logs.
    #[must_use]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] when the key is missing, empty or has
    /// whitespace or control characters inside (the message never repeats
    /// the key), when the base URL is not a valid `https` URL (or `http` to
    /// a loopback host), or when a number is out of range (a rate or
    /// response limit of 0, a zero timeout, no attempts).
    pub fn build(self) -> Result<QuoClient> {
        if let Some(problem) = self.pending {
            return Err(Error::Config(problem));
        }
        let key = self.api_key.ok_or_else(|| {
            Error::Config(format!(
                "no API key: call `.api_key(..)` or set {API_KEY_ENV}"
            ))
        })?;
        let authorization = validate::authorization(&key).map_err(Error::Config)?;
        let base_url = validate::base_url(&self.base_url).map_err(Error::Config)?;
        let user_agent =
            validate::user_agent(self.user_agent_suffix.as_deref()).map_err(Error::Config)?;
        self.retry.validate().map_err(Error::Config)?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be greater than zero".into()));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::Config(
                "max_response_bytes must be at least 1".into(),
            ));
        }
        let rate = || {
            NonZeroU32::new(self.rate_limit).ok_or_else(|| {
                Error::Config(
                    "rate_limit must be at least 1 per second (use no_rate_limit() to disable)"
                        .into(),
                )
            })
        };
        let (rate_limit, limiter): (_, Option<Arc<dyn RateLimiter>>) = match self.pacing {
            Pacing::Off => (None, None),
            Pacing::InProcess => {
                let rate = rate()?;
                let limiter = InProcessRateLimiter::per_second(rate);
                (Some(rate), Some(Arc::new(limiter)))
            }
            Pacing::Custom(limiter) => (None, Some(limiter)),
            #[cfg(feature = "redis")]
            Pacing::Redis(settings) => {
                let rate = rate()?;
                // The key as sent (trimmed), so spacing does not split a budget.
                let key = secrecy::ExposeSecret::expose_secret(&key).trim();
                let limiter = RedisRateLimiter::new(settings, key, rate)?;
                (Some(rate), Some(Arc::new(limiter)))
            }
        };

        let timeouts = Timeouts {
            connect: self.connect_timeout,
            attempt: self.timeout,
            deadline: self.retry.overall_deadline,
        };
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        let policy = Policy::new(self.retry, self.timeout, limiter, self.max_response_bytes);
        let (http, policy) = match self.http_client {
            // The caller's client: our headers travel with each request.
            Some(http) => {
                headers.insert(reqwest::header::USER_AGENT, user_agent);
                (http, policy.with_headers(headers))
            }
            None => {
                let http = reqwest::Client::builder()
                    .default_headers(headers)
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    // Quo's API does not redirect; a redirect is reported, never
                    // followed, so the key cannot travel elsewhere or in clear text.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?;
                (http, policy)
            }
        };
        Ok(QuoClient {
            inner: Arc::new(Inner::new(
                &base_url,
                http,
                policy,
                timeouts,
                rate_limit,
                Arc::default(),
            )),
            page_body: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn client_is_send_sync_clone() {
        assert_send_sync::<QuoClient>();
    }

    #[test]
    fn defaults() {
        let client = QuoClient::builder().api_key("k").build().unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert_eq!(client.retry_config(), &RetryConfig::default());
        let debug = format!("{client:?}");
        assert!(debug.contains("rate_limit_per_second: Some(10)"), "{debug}");
        assert_eq!(client.max_response_bytes(), DEFAULT_MAX_RESPONSE_BYTES);
    }

    #[test]
    fn refuses_bad_numbers() {
        for builder in [
            QuoClient::builder().api_key("k").rate_limit(0),
            QuoClient::builder().api_key("k").max_attempts(0),
            QuoClient::builder().api_key("k").timeout(Duration::ZERO),
            QuoClient::builder().api_key("k").max_response_bytes(0),
        ] {
            assert!(matches!(builder.build(), Err(Error::Config(_))));
        }
        assert!(matches!(
            QuoClient::builder().build(),
            Err(Error::Config(_))
        ));
    }
}
