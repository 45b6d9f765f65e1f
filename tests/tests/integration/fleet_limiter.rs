//! One rate budget for a fleet: OS processes sharing an API key through the
//! Redis limiter, against the demo server enforcing Quo's 10 requests/s per
//! key, with a real `redis-server` (see `quo_tests::fleet`).
//!
//! The tests that need a real `redis-server` are `#[ignore]`d, so the
//! workspace's tests pass on a machine with only Rust; `.ci/run` installs
//! Redis and runs them in a step of their own (`cargo test --workspace
//! --tests -- --ignored fleet_limiter::`).
//!
//! Each test prints its figures (`cargo test -p quo-tests --test
//! integration fleet_limiter:: -- --include-ignored --nocapture`); `cargo run -p quo-tests --bin fleet_rate`
//! prints them all.

use std::num::NonZeroU32;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use quo_api_ext::testing::{DemoConfig, DemoServer};
use quo_api_ext::{QuoClient, RateLimiter, RedisRateLimit, RedisRateLimiter, redis};
use quo_tests::fleet::{self, Limiter, RATE, RedisServer, WORKERS};

const EXE: &str = env!("CARGO_BIN_EXE_fleet_rate");

fn exe() -> &'static Path {
    Path::new(EXE)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs redis-server on PATH: run by the `fleet limiter on a real Redis` step of .ci/run"]
async fn four_processes_on_the_redis_limiter_meet_no_429_at_the_rate() {
    let _heavy = crate::support::heavy().await;
    let redis = RedisServer::start();
    let run = fleet::shared_budget_run(exe(), Limiter::Redis(redis.url()), 200).await;
    eprintln!("Redis limiter, {WORKERS} processes: {run:?}");
    assert!(run.clean, "a worker failed: {run:?}");
    assert_eq!(run.requests, 200);
    assert_eq!(run.answered_429, 0, "{run:?}");
    assert_eq!(run.sent, 200, "{run:?}");
    let rate = f64::from(RATE);
    assert!(
        (rate * 0.9..=rate * 1.1).contains(&run.aggregate_per_second),
        "aggregate {:.2}/s, budget {rate}/s",
        run.aggregate_per_second
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_on_in_process_limiters_meet_429s() {
    let _heavy = crate::support::heavy().await;
    let run = fleet::shared_budget_run(exe(), Limiter::InProcess, 200).await;
    eprintln!("in-process limiters, {WORKERS} processes: {run:?}");
    assert!(run.clean, "a worker failed: {run:?}");
    assert_eq!(run.requests, 200);
    assert!(run.answered_429 > 0, "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs redis-server on PATH: run by the `fleet limiter on a real Redis` step of .ci/run"]
async fn a_429_with_retry_after_pauses_every_process() {
    let _heavy = crate::support::heavy().await;
    let redis = RedisServer::start();
    let run = fleet::pause_run(exe(), Limiter::Redis(redis.url())).await;
    eprintln!("Redis limiter, 429 with Retry-After: 2: {run:?}");
    assert!(run.clean, "a worker failed: {run:?}");
    // A request cleared to go just before the pause was recorded may land
    // in its first milliseconds; after that, nothing until it ends.
    assert_eq!(run.during_pause, 0, "{run:?}");
    if run.in_flight == 0 {
        assert!(run.silence >= Duration::from_secs(2), "{run:?}");
    }
    assert!(run.sent > 20, "{run:?}");

    // Without the shared limiter, the other processes keep sending.
    let local = fleet::pause_run(exe(), Limiter::InProcess).await;
    eprintln!("in-process limiters, 429 with Retry-After: 2: {local:?}");
    assert!(local.during_pause > 10, "{local:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs redis-server on PATH: run by the `fleet limiter on a real Redis` step of .ci/run"]
async fn redis_killed_and_restarted_mid_run() {
    let _heavy = crate::support::heavy().await;
    let mut redis = RedisServer::start();
    let run = fleet::outage_run(exe(), &mut redis).await;
    eprintln!("Redis killed and restarted: {run:?}");
    assert!(run.clean, "a worker panicked or failed: {run:?}");
    assert_eq!(run.failed, 0, "{run:?}");
    // The switches (to the fallback and back) keep the fleet within the
    // budget too.
    assert!(run.answered_429_at.is_empty(), "{run:?}");
    assert_eq!(run.warnings, vec![1; WORKERS], "one warning per process");
    assert_eq!(run.resumed, vec![1; WORKERS], "{run:?}");
    assert_eq!(run.fleet_after_restart, WORKERS, "{run:?}");
    let rate = f64::from(RATE);
    for (phase, measured, tolerance) in [
        ("before", run.before, 0.1),
        // Each process alone at a quarter of the rate (the fleet it last saw).
        ("fallback", run.fallback, 0.2),
        ("after", run.after, 0.1),
    ] {
        assert!(
            (rate * (1.0 - tolerance)..=rate * (1.0 + tolerance)).contains(&measured),
            "{phase}: {measured:.2}/s, budget {rate}/s: {run:?}"
        );
    }
    for share in &run.fallback_per_process {
        let expected = rate / WORKERS as f64;
        assert!((expected * 0.8..=expected * 1.2).contains(share), "{run:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs redis-server on PATH: run by the `fleet limiter on a real Redis` step of .ci/run"]
async fn a_stalled_redis_costs_one_timeout_then_requests_go_on() {
    let _heavy = crate::support::heavy().await;
    let redis = RedisServer::start();
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let limiter = RedisRateLimiter::new(
        RedisRateLimit::new(redis.url()).timeout(Duration::from_millis(250)),
        server.api_key(),
        NonZeroU32::new(20).unwrap(),
    )
    .unwrap();
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    let id = server.dataset().ids().next().unwrap().to_owned();
    for _ in 0..3 {
        client.contacts().get(&id).await.unwrap();
    }
    assert!(!limiter.is_falling_back());

    // Stopped, not dead: connections stay open and nothing answers.
    let pid = redis.pid().unwrap().to_string();
    assert!(
        Command::new("kill")
            .args(["-STOP", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    for _ in 0..5 {
        client.contacts().get(&id).await.unwrap();
    }
    let stalled = started.elapsed();
    assert!(limiter.is_falling_back());
    // One timeout (250 ms), then 4 gaps of 50 ms at the fallback rate.
    assert!(stalled < Duration::from_millis(800), "{stalled:?}");

    assert!(
        Command::new("kill")
            .args(["-CONT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while limiter.is_falling_back() {
        assert!(Instant::now() < deadline, "never back on the shared budget");
        client.contacts().get(&id).await.unwrap();
    }

    // Only a hash of the key is in Redis.
    let mut connection = redis.connection().unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut connection).unwrap();
    assert!(!keys.is_empty());
    for key in &keys {
        assert!(key.starts_with(limiter.budget_key()), "{key}");
        assert!(!key.contains(server.api_key()), "{key}");
    }
    limiter.pause_for(Duration::from_millis(300)).await;
    let pttl: i64 = redis::cmd("PTTL")
        .arg(format!("{}:pause", limiter.budget_key()))
        .query(&mut connection)
        .unwrap();
    assert!((1..=301).contains(&pttl), "{pttl}");
    server.shutdown().await;
}
