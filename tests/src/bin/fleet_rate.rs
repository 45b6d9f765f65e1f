//! Figures for the rate limiter shared through Redis, from real processes.
//!
//! ```text
//! cargo run -p quo-tests --bin fleet_rate
//! ```
//!
//! Starts a `redis-server` (it must be on `PATH`) and the demo server
//! enforcing Quo's 10 requests per second per key, then runs copies of
//! itself as worker processes (`fleet_rate worker ...`, see
//! `quo_tests::fleet`) sharing one key, and prints: the aggregate rate and
//! the 429s with the Redis limiter and with the in-process one, what a 429
//! with `Retry-After: 2` does to the fleet, and the rates before, during
//! and after a Redis outage (killed, then restarted). About a minute; the
//! figures are set by the pace, not the CPU, so a debug build does.

use std::path::PathBuf;

use quo_tests::fleet::{
    self, KILL_AT, Limiter, RATE, RESTART_AT, RedisServer, SharedBudgetRun, WORKERS, WorkerPlan,
};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("worker") {
        return worker(&args[1..]).await;
    }
    if !args.is_empty() {
        eprintln!("usage: fleet_rate   (prints the figures; `worker` is for its own processes)");
        std::process::exit(2);
    }
    let exe: PathBuf = std::env::current_exe().expect("the path of this program");
    // A fresh Redis for each run: the fleet count of one would otherwise
    // linger into the next for its 10 s window.
    let redis = RedisServer::start();
    println!(
        "{WORKERS} processes, one API key, a server allowing {RATE} requests/s per key (burst {RATE})\n"
    );

    let shared = fleet::shared_budget_run(&exe, Limiter::Redis(redis.url()), 200).await;
    drop(redis);
    let local = fleet::shared_budget_run(&exe, Limiter::InProcess, 200).await;
    println!(
        "| limiter | requests | sent (retries included) | 429s | failed | aggregate rate | time |"
    );
    println!("|---|---|---|---|---|---|---|");
    print_row("Redis (shared)", &shared);
    print_row("in-process", &local);

    let redis = RedisServer::start();
    let pause = fleet::pause_run(&exe, Limiter::Redis(redis.url())).await;
    drop(redis);
    let pause_local = fleet::pause_run(&exe, Limiter::InProcess).await;
    println!("\nOne request answered 429 with Retry-After: 2");
    for (name, run) in [("Redis (shared)", &pause), ("in-process", &pause_local)] {
        println!(
            "  {name}: next request after {:.2?}; {} in the first 100 ms, {} during the rest of the pause",
            run.silence, run.in_flight, run.during_pause
        );
    }

    let mut redis = RedisServer::start();
    let outage = fleet::outage_run(&exe, &mut redis).await;
    let per_process: Vec<String> = outage
        .fallback_per_process
        .iter()
        .map(|r| format!("{r:.2}"))
        .collect();
    println!("\nRedis killed at {KILL_AT} s and restarted at {RESTART_AT} s");
    println!("  shared budget before:  {:.2} requests/s", outage.before);
    println!(
        "  fallback (Redis down): {:.2} requests/s in all; per process {}",
        outage.fallback,
        per_process.join(", ")
    );
    println!("  shared budget after:   {:.2} requests/s", outage.after);
    println!(
        "  429s {}, failed {}, warnings per process {:?}, resumed per process {:?}, limiters on the restarted Redis {}",
        if outage.answered_429_at.is_empty() {
            "none".to_owned()
        } else {
            format!("at {:.2?} s", outage.answered_429_at)
        },
        outage.failed,
        outage.warnings,
        outage.resumed,
        outage.fleet_after_restart
    );
}

fn print_row(name: &str, run: &SharedBudgetRun) {
    println!(
        "| {name} | {} | {} | {} | {} | {:.2}/s | {:.1?} |",
        run.requests, run.sent, run.answered_429, run.failed, run.aggregate_per_second, run.elapsed
    );
}

async fn worker(args: &[String]) {
    let plan = WorkerPlan::from_args(args).unwrap_or_else(|e| {
        eprintln!("fleet_rate worker: {e}");
        std::process::exit(2);
    });
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let report = fleet::run_worker(plan).await;
    println!(
        "{}",
        serde_json::to_string(&report).expect("a report is JSON")
    );
}
