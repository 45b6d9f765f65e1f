//! [`RedisRateLimiter`]: one rate budget per API key for a whole fleet,
//! kept in Redis; the type's docs say how it works.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sha2::{Digest, Sha256};

use super::limiter::{InProcessRateLimiter, MAX_PAUSE, RateLimiter};
use crate::error::{Error, Result};

/// Default time allowed for one call to Redis.
pub(crate) const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);
/// Default prefix of the limiter's Redis keys.
pub(crate) const DEFAULT_KEY_PREFIX: &str = "quo-rs:rate";
/// How often an unreachable Redis is asked again.
const PROBE_INTERVAL: Duration = Duration::from_millis(250);
/// How long a limiter counts as part of the fleet after its last request.
const FLEET_WINDOW: Duration = Duration::from_secs(10);
/// Mixed into the key hash, so the hash is of no use for anything else.
const HASH_LABEL: &[u8] = b"quo-rs rate budget v1\0";

/// The budget, the pause and the fleet count, in one atomic script.
///
/// Returns `{paused, wait_us, fleet}`: `paused` is 1 when the budget is
/// paused (come back after `wait_us`, nothing was reserved), else a slot is
/// reserved `wait_us` from now; `fleet` is the number of limiters seen in
/// the window (`acquire` only, else 0).
static SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r#"
-- KEYS: tat, pause end, fleet members. Times in microseconds, server clock.
-- ARGV: op (acquire | peek | pause), interval, burst tolerance, member id,
--       fleet window, pause length.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local op = ARGV[1]
local function num(x) return string.format('%.0f', x) end
local function get(key)
  local v = redis.call('GET', key)
  return (v and tonumber(v)) or 0
end
local function store(key, at)
  redis.call('SET', key, num(at), 'PX', num(math.ceil((at - now) / 1000) + 1))
end
local pause_end = get(KEYS[2])
if op == 'pause' then
  local wanted = now + tonumber(ARGV[6])
  if wanted > pause_end then
    store(KEYS[2], wanted)
    if get(KEYS[1]) < wanted then store(KEYS[1], wanted) end
    pause_end = wanted
  end
  return {1, pause_end - now, 0}
end
if pause_end > now then return {1, pause_end - now, 0} end
if op == 'peek' then return {0, 0, 0} end
local tat = math.max(get(KEYS[1]), now)
local wait = math.max(tat - tonumber(ARGV[3]) - now, 0)
store(KEYS[1], tat + tonumber(ARGV[2]))
local window = tonumber(ARGV[5])
redis.call('ZADD', KEYS[3], num(now), ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', num(now - window))
redis.call('PEXPIRE', KEYS[3], num(math.ceil(window / 1000)))
return {0, wait, redis.call('ZCARD', KEYS[3])}
"#,
    )
});

/// Where the limiter's Redis connection comes from.
#[derive(Clone)]
enum Connection {
    /// A URL, connected lazily with the limiter's own timeouts.
    Url(String),
    /// A connection manager the caller set up (TLS, ACL users...).
    Manager(ConnectionManager),
}

/// Settings of the Redis-backed limiter: where Redis is, the burst, the
/// fallback rate, the timeout and the key prefix. The rate is the client's
/// [`rate_limit`](crate::QuoClientBuilder::rate_limit) (10 per second by
/// default).
///
/// Pass it to
/// [`QuoClientBuilder::redis_rate_limit`](crate::QuoClientBuilder::redis_rate_limit),
/// and every process whose client uses the same API key and the same Redis
/// draws from one budget:
///
/// ```no_run
/// use quo_api_ext::{QuoClient, RedisRateLimit};
///
/// # fn demo() -> quo_api_ext::Result<()> {
/// let client = QuoClient::builder()
///     .api_key("YOUR_API_KEY")
///     .redis_rate_limit(RedisRateLimit::new("redis://127.0.0.1:6379/"))
///     .build()?;
/// # Ok(())
/// # }
/// ```
///
/// [`RedisRateLimiter`] says how the budget is kept and what happens when
/// Redis fails. Its `Debug` output never shows the URL, which may hold a
/// password.
#[derive(Clone)]
pub struct RedisRateLimit {
    connection: Connection,
    burst: u32,
    fallback_rate: Option<u32>,
    timeout: Duration,
    key_prefix: String,
}

impl fmt::Debug for RedisRateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connection = match self.connection {
            Connection::Url(_) => "url [redacted]",
            Connection::Manager(_) => "connection manager",
        };
        f.debug_struct("RedisRateLimit")
            .field("connection", &connection)
            .field("burst", &self.burst)
            .field("fallback_rate", &self.fallback_rate)
            .field("timeout", &self.timeout)
            .field("key_prefix", &self.key_prefix)
            .finish()
    }
}

impl RedisRateLimit {
    /// The Redis at `url` (`redis://[user:password@]host:port[/db]` or
    /// `unix:///path`), with a burst of 1, the fleet-share fallback, a
    /// 250 ms timeout and the prefix `quo-rs:rate`. The URL is checked by
    /// the client builder's `build`; nothing connects before the first
    /// request.
    ///
    /// TLS (`rediss://`) needs a TLS feature of the `redis` crate, which
    /// this crate does not enable: build a [`ConnectionManager`] with it and
    /// use [`with_connection_manager`](Self::with_connection_manager).
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self::with(Connection::Url(url.into()))
    }

    /// Uses `manager`, set up by the caller (TLS, ACL users, a database
    /// number...). The limiter still bounds every call with its own
    /// [`timeout`](Self::timeout).
    #[must_use]
    pub fn with_connection_manager(manager: ConnectionManager) -> Self {
        Self::with(Connection::Manager(manager))
    }

    fn with(connection: Connection) -> Self {
        Self {
            connection,
            burst: 1,
            fallback_rate: None,
            timeout: DEFAULT_REDIS_TIMEOUT,
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
        }
    }

    /// How many requests may go out back to back before the pace applies
    /// (default 1: evenly spaced, like the in-process limiter). Must be at
    /// least 1.
    #[must_use]
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst;
        self
    }

    /// The rate, per second, this process paces itself to while Redis is
    /// unreachable. Unset (the default), it is the budget's rate divided by
    /// the number of limiters that used the budget in the last 10 s, as last
    /// seen in Redis, so the fleet stays near the budget without Redis; the
    /// whole rate when Redis was never reached. Must be at least 1.
    #[must_use]
    pub fn fallback_rate(mut self, per_second: u32) -> Self {
        self.fallback_rate = Some(per_second);
        self
    }

    /// Time allowed for one call to Redis, connecting included (default
    /// 250 ms). A call that takes longer counts as Redis being unreachable.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Prefix of the limiter's Redis keys (default `quo-rs:rate`), to keep
    /// them apart from other data or other deployments.
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }
}

/// A [`RateLimiter`] whose budget lives in Redis, shared by every process
/// that uses the same API key and Redis: the answer to Quo's limit being per
/// key, not per process.
///
/// Usually built for you by
/// [`QuoClientBuilder::redis_rate_limit`](crate::QuoClientBuilder::redis_rate_limit);
/// build one with [`new`](Self::new) to share it between clients yourself
/// or to wrap it. Clones share everything.
///
/// # The algorithm
///
/// GCRA (the generic cell rate algorithm), run by one Lua script so each
/// step is atomic, on the Redis server's clock (`TIME`) so the clocks of the
/// processes never matter. The budget keeps one number, the *theoretical
/// arrival time* (TAT) of the next request. A request reserves the slot
/// `max(TAT, now)`, moves the TAT one interval (`1 s / rate`) later, and is
/// told how long to wait for its slot (0 while the burst allows it); it
/// sleeps that long in its own process and sends. One round trip per
/// request, and the waiting requests of every process form one queue.
///
/// A `429` with `Retry-After` records a pause in the same script: a key
/// holding when the pause ends (expiring with it) and the TAT moved past it.
/// Requests asking during the pause are told to come back when it ends; a
/// request that got its slot before the pause and slept through its start
/// checks once more before sending (a second, cheap call made only after
/// a wait), so nothing is sent during a pause from the moment it is
/// recorded.
///
/// # Keys
///
/// `{prefix}:{<hash>}:tat`, `:pause` and `:fleet`, where `<hash>` is the
/// first 128 bits, in hex, of SHA-256 over a fixed label and the API key:
/// the key itself never reaches Redis. Every key expires by itself once
/// idle.
///
/// # When Redis fails
///
/// Each call to Redis has its own timeout (250 ms by default). When one
/// fails or times out, the limiter logs **one** warning and paces this
/// process alone with an [`InProcessRateLimiter`], starting after the last
/// slot Redis granted it (those requests still go out), at the fallback rate:
/// unless set with [`RedisRateLimit::fallback_rate`], the budget's rate
/// divided by the number of limiters that drew on it in the last 10 s (the
/// `:fleet` key, as last seen), so the fleet as a whole stays near the
/// budget; the whole rate if none was seen yet. Every 250 ms a background
/// probe asks Redis again, and once it answers the shared budget is used
/// again (logged at info level). For the time the other processes may need
/// to notice (a probe interval and two timeouts), requests keep to the
/// fallback pace as well, so the fleet stays within the budget while some
/// processes are back and others not yet. No call to Redis is waited for
/// longer than the timeout, and no request fails because of Redis.
#[derive(Clone)]
pub struct RedisRateLimiter {
    shared: Arc<Shared>,
}

struct Shared {
    connection: Connection,
    /// Made on first use, inside the caller's runtime.
    manager: OnceLock<Option<ConnectionManager>>,
    keys: Keys,
    /// This limiter's name in the fleet set: random, nothing to do with the key.
    member: String,
    interval: Duration,
    tolerance: Duration,
    timeout: Duration,
    fallback_rate: Option<NonZeroU32>,
    /// Limiters seen on the budget, as of the last answer.
    fleet: AtomicU32,
    /// Whether Redis is considered unreachable.
    down: AtomicBool,
    /// Bumped on every change of `down`, so a call that started before a
    /// change cannot undo it.
    generation: AtomicU64,
    probing: AtomicBool,
    next_probe: Mutex<Instant>,
    /// When Redis last answered again after an outage.
    rejoined_at: Mutex<Option<Instant>>,
    /// The latest slot the shared budget granted this process.
    granted_until: Mutex<Option<Instant>>,
    /// The local limiter used while Redis is unreachable.
    fallback: Mutex<Arc<InProcessRateLimiter>>,
}

struct Keys {
    base: String,
    tat: String,
    pause: String,
    fleet: String,
}

/// What the script answered.
#[derive(Debug, Clone, Copy)]
struct Answer {
    paused: bool,
    wait: Duration,
    fleet: u32,
}

/// A script operation.
#[derive(Debug, Clone, Copy)]
enum Op {
    Acquire,
    Peek,
    Pause(Duration),
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        f.debug_struct("RedisRateLimiter")
            .field("budget", &s.keys.base)
            .field("interval", &s.interval)
            .field("tolerance", &s.tolerance)
            .field("timeout", &s.timeout)
            .field("fallback_rate", &s.fallback_rate)
            .field("fleet", &s.fleet.load(Ordering::Relaxed))
            .field("redis_down", &s.down.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// A limiter drawing on the budget of `api_key` (only a hash of it is
    /// sent to Redis), `per_second` requests per second, with `settings`.
    ///
    /// Fails with [`Error::Config`] when the URL is not a Redis URL, or the
    /// burst, the fallback rate or the timeout is zero. Nothing connects
    /// yet: the first [`acquire`](RateLimiter::acquire) does, so this works
    /// outside a runtime and with Redis down.
    pub fn new(settings: RedisRateLimit, api_key: &str, per_second: NonZeroU32) -> Result<Self> {
        let burst = NonZeroU32::new(settings.burst)
            .ok_or_else(|| Error::Config("redis rate limit: burst must be at least 1".into()))?;
        let fallback_rate = match settings.fallback_rate {
            None => None,
            Some(rate) => Some(NonZeroU32::new(rate).ok_or_else(|| {
                Error::Config("redis rate limit: fallback_rate must be at least 1".into())
            })?),
        };
        if settings.timeout.is_zero() {
            return Err(Error::Config(
                "redis rate limit: timeout must be greater than zero".into(),
            ));
        }
        if let Connection::Url(url) = &settings.connection {
            // Checked now so a typo is reported by `build`, not as an outage;
            // the message never repeats the URL, which may hold a password.
            redis::Client::open(url.as_str()).map_err(|e| {
                Error::Config(format!(
                    "redis rate limit: not a usable Redis URL ({:?})",
                    e.kind()
                ))
            })?;
        }
        let interval = Duration::from_secs(1) / per_second.get();
        let base = format!("{}:{{{}}}", settings.key_prefix, budget_hash(api_key));
        Ok(Self {
            shared: Arc::new(Shared {
                connection: settings.connection,
                manager: OnceLock::new(),
                keys: Keys {
                    tat: format!("{base}:tat"),
                    pause: format!("{base}:pause"),
                    fleet: format!("{base}:fleet"),
                    base,
                },
                member: format!("{:016x}", rand::random::<u64>()),
                interval,
                tolerance: interval * (burst.get() - 1),
                timeout: settings.timeout,
                fallback_rate,
                fleet: AtomicU32::new(0),
                down: AtomicBool::new(false),
                generation: AtomicU64::new(0),
                probing: AtomicBool::new(false),
                next_probe: Mutex::new(Instant::now()),
                rejoined_at: Mutex::new(None),
                granted_until: Mutex::new(None),
                fallback: Mutex::new(Arc::new(InProcessRateLimiter::every(interval))),
            }),
        })
    }

    /// The common prefix of this budget's Redis keys,
    /// `{prefix}:{<hash of the API key>}`, for operators looking at Redis.
    #[must_use]
    pub fn budget_key(&self) -> &str {
        &self.shared.keys.base
    }

    /// Whether the limiter is pacing locally because Redis did not answer.
    #[must_use]
    pub fn is_falling_back(&self) -> bool {
        self.shared.down.load(Ordering::SeqCst)
    }

    async fn acquire_permit(&self) {
        let shared = &self.shared;
        loop {
            if !self.redis_usable() {
                return shared.fallback().acquire().await;
            }
            shared.rejoining().await;
            let generation = shared.generation.load(Ordering::SeqCst);
            let answer = match shared.call(Op::Acquire).await {
                Ok(answer) => answer,
                Err(reason) => {
                    shared.outage(generation, &reason);
                    continue;
                }
            };
            shared.recovered(generation);
            if answer.fleet > 0 {
                shared.fleet.store(answer.fleet, Ordering::Relaxed);
            }
            if !answer.paused {
                shared.granted(answer.wait);
            }
            if answer.wait.is_zero() && !answer.paused {
                return;
            }
            tokio::time::sleep(answer.wait).await;
            if answer.paused {
                continue;
            }
            // A pause recorded while this request slept (a 429 elsewhere)
            // wins over its slot: check before sending.
            let generation = shared.generation.load(Ordering::SeqCst);
            match shared.call(Op::Peek).await {
                Ok(peek) if peek.paused => continue,
                Ok(_) => return,
                Err(reason) => {
                    // The slot was granted by the shared budget: use it.
                    shared.outage(generation, &reason);
                    return;
                }
            }
        }
    }

    async fn record_pause(&self, wait: Duration) {
        let shared = &self.shared;
        let wait = wait.min(MAX_PAUSE);
        // Locally too, so this process waits it out even if Redis fails now.
        shared.fallback().pause_for(wait).await;
        if !self.redis_usable() {
            return;
        }
        let generation = shared.generation.load(Ordering::SeqCst);
        match shared.call(Op::Pause(wait)).await {
            Ok(_) => shared.recovered(generation),
            Err(reason) => shared.outage(generation, &reason),
        }
    }

    /// Whether to ask Redis now; while it is down, starts a background
    /// probe when one is due.
    fn redis_usable(&self) -> bool {
        let shared = &self.shared;
        if !shared.down.load(Ordering::SeqCst) {
            return true;
        }
        let now = Instant::now();
        {
            let mut next = lock(&shared.next_probe);
            if now < *next || shared.probing.swap(true, Ordering::SeqCst) {
                return false;
            }
            *next = now + PROBE_INTERVAL;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            shared.probing.store(false, Ordering::SeqCst);
            return false;
        };
        let probe = self.shared.clone();
        runtime.spawn(async move {
            let generation = probe.generation.load(Ordering::SeqCst);
            // Twice: a failed call makes the connection manager reconnect,
            // and the second call waits for that reconnection.
            for _ in 0..2 {
                if probe.call(Op::Peek).await.is_ok() {
                    probe.recovered(generation);
                    break;
                }
            }
            probe.probing.store(false, Ordering::SeqCst);
        });
        false
    }
}

impl Shared {
    /// Just after Redis is back, a request first waits for the fallback
    /// pace, then for its slot in the shared budget. The other processes
    /// are still pacing themselves alone until their next probe, and Redis
    /// does not count their requests; keeping to this process's share
    /// meanwhile keeps the fleet within the budget during the switch. (In
    /// that order, so the slot Redis records is when the request goes.) The
    /// grace lasts as long as the others may take to notice: a probe
    /// interval and two timeouts.
    async fn rejoining(&self) {
        let grace = PROBE_INTERVAL + self.timeout * 2;
        let rejoined = *lock(&self.rejoined_at);
        if rejoined.is_some_and(|at| at.elapsed() < grace) {
            self.fallback().acquire().await;
        }
    }

    /// Remembers a slot granted `wait` from now.
    fn granted(&self, wait: Duration) {
        let at = Instant::now() + wait;
        let mut until = lock(&self.granted_until);
        if until.is_none_or(|until| until < at) {
            *until = Some(at);
        }
    }

    fn fallback(&self) -> Arc<InProcessRateLimiter> {
        lock(&self.fallback).clone()
    }

    /// The connection manager, made on first use.
    fn manager(&self) -> Option<ConnectionManager> {
        match &self.connection {
            Connection::Manager(manager) => Some(manager.clone()),
            Connection::Url(url) => self
                .manager
                .get_or_init(|| {
                    let client = redis::Client::open(url.as_str()).ok()?;
                    // Short timeouts and one quick retry: the limiter has its
                    // own fallback, and a reconnection stuck in a long backoff
                    // would only delay the return to the shared budget.
                    let config = ConnectionManagerConfig::new()
                        .set_connection_timeout(Some(self.timeout))
                        .set_response_timeout(Some(self.timeout))
                        .set_number_of_retries(1)
                        .set_min_delay(Duration::from_millis(50))
                        .set_max_delay(self.timeout);
                    ConnectionManager::new_lazy_with_config(client, config).ok()
                })
                .clone(),
        }
    }

    /// Runs the script once, within the timeout. `Err` says why it failed.
    async fn call(&self, op: Op) -> std::result::Result<Answer, String> {
        let Some(mut manager) = self.manager() else {
            return Err("could not set up a Redis connection".into());
        };
        let (name, pause) = match op {
            Op::Acquire => ("acquire", Duration::ZERO),
            Op::Peek => ("peek", Duration::ZERO),
            Op::Pause(wait) => ("pause", wait),
        };
        let mut invocation = SCRIPT.prepare_invoke();
        invocation
            .key(&self.keys.tat)
            .key(&self.keys.pause)
            .key(&self.keys.fleet)
            .arg(name)
            .arg(micros(self.interval))
            .arg(micros(self.tolerance))
            .arg(&self.member)
            .arg(micros(FLEET_WINDOW))
            .arg(micros(pause));
        let call = invocation.invoke_async::<(i64, i64, i64)>(&mut manager);
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok((paused, wait, fleet))) => Ok(Answer {
                paused: paused != 0,
                wait: Duration::from_micros(u64::try_from(wait).unwrap_or(0)).min(MAX_PAUSE),
                fleet: u32::try_from(fleet).unwrap_or(0),
            }),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {:?}", self.timeout)),
        }
    }

    /// Redis failed: switch to the local fallback, warning once per outage.
    fn outage(&self, generation: u64, reason: &str) {
        *lock(&self.next_probe) = Instant::now() + PROBE_INTERVAL;
        if self.generation.load(Ordering::SeqCst) != generation
            || self.down.swap(true, Ordering::SeqCst)
        {
            return;
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        let fleet = self.fleet.load(Ordering::Relaxed).max(1);
        let interval = match self.fallback_rate {
            Some(rate) => Duration::from_secs(1) / rate.get(),
            None => self.interval * fleet,
        };
        {
            let mut fallback = lock(&self.fallback);
            if fallback.interval() != interval {
                let replacement = InProcessRateLimiter::every(interval);
                if let Some(until) = fallback.paused_until() {
                    replacement.pause_until(until);
                }
                *fallback = Arc::new(replacement);
            }
            // Requests granted by Redis before it failed are still going out,
            // until the last slot it granted: local permits start after it.
            fallback.spend_current();
            if let Some(until) = *lock(&self.granted_until) {
                fallback.pause_until(until);
            }
        }
        tracing::warn!(
            budget = %self.keys.base,
            error = reason,
            fallback_per_second = 1.0 / interval.as_secs_f64(),
            fleet,
            "Redis rate limiter unreachable: pacing this process alone at the fallback \
             rate until Redis answers again"
        );
    }

    /// Redis answered: back on the shared budget if it was down.
    fn recovered(&self, generation: u64) {
        if self.generation.load(Ordering::SeqCst) == generation
            && self.down.swap(false, Ordering::SeqCst)
        {
            self.generation.fetch_add(1, Ordering::SeqCst);
            *lock(&self.rejoined_at) = Some(Instant::now());
            tracing::info!(
                budget = %self.keys.base,
                "Redis rate limiter reachable again: back on the shared budget"
            );
        }
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire(&self) -> BoxFuture<'_, ()> {
        Box::pin(self.acquire_permit())
    }

    fn pause_for(&self, wait: Duration) -> BoxFuture<'_, ()> {
        Box::pin(self.record_pause(wait))
    }
}

/// The budget's name in Redis: a hash of the key, never the key.
fn budget_hash(api_key: &str) -> String {
    let digest = Sha256::new()
        .chain_update(HASH_LABEL)
        .chain_update(api_key.as_bytes())
        .finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_hashed_not_stored() {
        let limiter =
            RedisRateLimiter::new(RedisRateLimit::new("redis://127.0.0.1:1/"), "secret-key", {
                NonZeroU32::new(10).unwrap()
            })
            .unwrap();
        let key = limiter.budget_key();
        assert!(key.starts_with("quo-rs:rate:{"), "{key}");
        assert_eq!(key.len(), "quo-rs:rate:{}".len() + 32);
        assert!(!key.contains("secret"));
        assert_eq!(budget_hash("secret-key"), budget_hash("secret-key"));
        assert_ne!(budget_hash("secret-key"), budget_hash("secret-kez"));
        let debug = format!("{limiter:?} {:?}", RedisRateLimit::new("redis://:pw@h/"));
        assert!(
            !debug.contains("pw") && !debug.contains("secret"),
            "{debug}"
        );
    }

    #[test]
    fn refuses_bad_settings() {
        let rate = NonZeroU32::new(10).unwrap();
        let url = "redis://127.0.0.1/";
        for settings in [
            RedisRateLimit::new(url).burst(0),
            RedisRateLimit::new(url).fallback_rate(0),
            RedisRateLimit::new(url).timeout(Duration::ZERO),
            RedisRateLimit::new("http://127.0.0.1/"),
        ] {
            assert!(matches!(
                RedisRateLimiter::new(settings, "k", rate),
                Err(Error::Config(_))
            ));
        }
    }

    #[tokio::test]
    async fn an_unreachable_redis_falls_back_without_failing() {
        // Port 1 on loopback: refused at once.
        let settings = RedisRateLimit::new("redis://127.0.0.1:1/").fallback_rate(20);
        let limiter = RedisRateLimiter::new(settings, "k", NonZeroU32::new(10).unwrap()).unwrap();
        let started = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        assert!(limiter.is_falling_back());
        // Four gaps of 50 ms at the fallback rate, and no long wait on Redis.
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(190), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
        limiter.pause_for(Duration::from_millis(100)).await;
        let paused = Instant::now();
        limiter.acquire().await;
        assert!(paused.elapsed() >= Duration::from_millis(90));
    }
}
