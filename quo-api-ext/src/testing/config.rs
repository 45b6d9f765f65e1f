//! How a [`DemoServer`](super::DemoServer) is set up.

use std::sync::Arc;
use std::time::Duration;

use super::dataset::Dataset;
use super::fault::{Fault, FaultQueue};
use super::messages::DEFAULT_DELIVERY_STEP;
use super::rate_limit::DemoRateLimit;

/// The API key a default server accepts.
pub const DEFAULT_API_KEY: &str = "demo-key";

/// How many requests a default server remembers for [`DemoServer::requests`](super::DemoServer::requests).
pub const DEFAULT_RECORD_LIMIT: usize = 10_000;

/// Settings of a [`DemoServer`](super::DemoServer): what it serves, the key it
/// wants, and which failures it plays.
///
/// Fields are public; the `with_*` methods are a builder over them:
///
/// ```ignore
/// let config = DemoConfig::default()
///     .with_dataset(Dataset::generate(20_000, 7))
///     .with_fail_every(10, Fault::Status(503));
/// ```
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// The contacts served (default: [`Dataset::demo`], shared per process).
    pub dataset: Arc<Dataset>,
    /// The exact `Authorization` header value accepted (raw key, no
    /// `Bearer`); default [`DEFAULT_API_KEY`].
    pub api_key: String,
    /// Faults played one per request, before normal handling (default:
    /// empty). Keep a clone to inject more while the server runs.
    pub faults: FaultQueue,
    /// `Some((n, fault))` plays `fault` on every `n`th request (the `n`th,
    /// `2n`th, ...) that has no queued fault; `n == 0` disables it.
    pub fail_every: Option<(usize, Fault)>,
    /// How many of the latest requests to remember; `0` records none (for
    /// benchmarks). Default [`DEFAULT_RECORD_LIMIT`].
    pub record_limit: usize,
    /// A per-key rate limit answered with 429 and `Retry-After`, like
    /// Quo's (default: none, so tests that do not ask for it never meet it).
    pub rate_limit: Option<DemoRateLimit>,
    /// How long the server waits before answering each request, at least
    /// (default: zero); see [`DemoConfig::with_latency`].
    pub latency: Duration,
    /// The most time added to [`latency`](Self::latency), drawn afresh for
    /// each request (default: zero); see [`DemoConfig::with_latency`].
    pub latency_jitter: Duration,
    /// Sends every boolean and number custom-field value of a contact as a
    /// JSON string (`"false"`, `"424242"`), the way Quo's own examples show
    /// them, though its schema says `boolean` and `number` (default: off,
    /// typed values as the schema says). See
    /// [`DemoConfig::with_string_typed_custom_fields`].
    pub string_typed_custom_fields: bool,
    /// How long a sent message stays at each step of its schedule,
    /// `queued` → `sent` → `delivered` (or `undelivered` for
    /// [`DEMO_UNDELIVERABLE`](super::DEMO_UNDELIVERABLE)); default
    /// [`DEFAULT_DELIVERY_STEP`] (200 ms). Zero delivers at once; a long
    /// step keeps messages `queued`, for a waiter's deadline.
    pub delivery_step: Duration,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            dataset: Dataset::shared_demo(),
            api_key: DEFAULT_API_KEY.to_owned(),
            faults: FaultQueue::new(),
            fail_every: None,
            record_limit: DEFAULT_RECORD_LIMIT,
            rate_limit: None,
            latency: Duration::ZERO,
            latency_jitter: Duration::ZERO,
            string_typed_custom_fields: false,
            delivery_step: DEFAULT_DELIVERY_STEP,
        }
    }
}

impl DemoConfig {
    /// The default settings serving `dataset`.
    pub fn new(dataset: impl Into<Arc<Dataset>>) -> Self {
        Self::default().with_dataset(dataset)
    }

    /// Serves `dataset` (a [`Dataset`] or an `Arc<Dataset>`).
    pub fn with_dataset(mut self, dataset: impl Into<Arc<Dataset>>) -> Self {
        self.dataset = dataset.into();
        self
    }

    /// Accepts `api_key` instead of [`DEFAULT_API_KEY`].
    pub fn with_api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// Queues `fault` for the first request without one.
    pub fn with_fault(self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Uses this (possibly shared) fault queue.
    pub fn with_faults(mut self, faults: FaultQueue) -> Self {
        self.faults = faults;
        self
    }

    /// Plays `fault` on every `every`th request (see [`DemoConfig::fail_every`]).
    pub fn with_fail_every(mut self, every: usize, fault: Fault) -> Self {
        self.fail_every = Some((every, fault));
        self
    }

    /// Enforces `limit` per API key (see [`DemoRateLimit`]).
    pub fn with_rate_limit(mut self, limit: DemoRateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Remembers at most `limit` requests (`0` = none).
    pub fn with_record_limit(mut self, limit: usize) -> Self {
        self.record_limit = limit;
        self
    }

    /// Answers each request after `base` plus a share of `jitter` (uniform
    /// in `0..=jitter`), like a server across a network: for benchmarks and
    /// examples where the time a page spends travelling matters.
    ///
    /// The share is drawn from the server's seeded generator, keyed by the
    /// request's number and the dataset, so two servers over the same
    /// dataset wait the same amounts for their first, second, ... request,
    /// and runs can be compared. The wait comes before any fault and counts
    /// for every request, failed or not. Waits use tokio's timer, which
    /// rounds them up to whole milliseconds.
    ///
    /// ```ignore
    /// // 20 ms to 25 ms per request.
    /// let config = DemoConfig::default()
    ///     .with_latency(Duration::from_millis(20), Duration::from_millis(5));
    /// ```
    pub fn with_latency(mut self, base: Duration, jitter: Duration) -> Self {
        self.latency = base;
        self.latency_jitter = jitter;
        self
    }

    /// Plays Quo's string-typed custom fields (`on`) or not: with it on,
    /// every contact the server sends (lists, reads, and the answers to
    /// creates and updates) carries its boolean and number custom-field
    /// values as JSON strings (`true` -> `"true"`, `42` -> `"42"`), as the
    /// examples in Quo's API reference show them; nulls and the other kinds
    /// are unchanged. Quo's schema types them `boolean` and `number`, so a
    /// validator of the spec (the contract tests' Stoplight Prism) flags
    /// exactly those values. Off by default: the server follows the schema.
    ///
    /// For clients that must cope with both spellings, and for tests of the
    /// decoders that accept them. What the server stores, and the values it
    /// accepts in writes, do not change.
    ///
    /// ```ignore
    /// let config = DemoConfig::default().with_string_typed_custom_fields(true);
    /// ```
    pub fn with_string_typed_custom_fields(mut self, on: bool) -> Self {
        self.string_typed_custom_fields = on;
        self
    }

    /// Moves each sent message one step of its schedule every `step` (see
    /// [`DemoConfig::delivery_step`]): the same steps on every run, so a
    /// test of a waiter knows when `delivered` comes.
    ///
    /// ```ignore
    /// // queued for 50 ms, sent for 50 ms, then delivered.
    /// let config = DemoConfig::default().with_delivery_step(Duration::from_millis(50));
    /// ```
    pub fn with_delivery_step(mut self, step: Duration) -> Self {
        self.delivery_step = step;
        self
    }
}
