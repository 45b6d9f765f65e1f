//! A fleet of OS processes sharing one API key, for the shared rate
//! limiter's tests and figures.
//!
//! The pieces are real: a `redis-server` on a free port of `127.0.0.1`
//! ([`RedisServer`]), the demo server enforcing Quo's limit of 10 requests
//! per second per key, and worker processes (the `fleet_rate` binary run as
//! `fleet_rate worker ...`), each with its own `QuoClient`. The scenarios
//! ([`shared_budget_run`], [`pause_run`], [`outage_run`]) drive them and
//! measure what reached the server; the `fleet_limiter` module of the
//! integration tests (`tests/tests/integration/`) asserts
//! on the figures and `fleet_rate` prints them.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use quo_api_ext::testing::{Dataset, DemoConfig, DemoRateLimit, DemoServer, Fault};
use quo_api_ext::{Error, QuoClient, RedisRateLimit, RedisRateLimiter, redis};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// Worker processes in every scenario.
pub const WORKERS: usize = 4;
/// The rate every client is configured with and the server enforces: Quo's.
pub const RATE: u32 = 10;
/// Requests in flight per worker (tasks sharing the worker's client).
const CONCURRENCY: usize = 2;
/// What a worker logs when Redis stops answering.
pub const OUTAGE_WARNING: &str = "Redis rate limiter unreachable";
/// What a worker logs when Redis answers again.
pub const RESUMED_INFO: &str = "Redis rate limiter reachable again";

/// A `redis-server` of its own on a free port of `127.0.0.1`, with no
/// persistence, killed when dropped.
pub struct RedisServer {
    child: Option<std::process::Child>,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts `redis-server` (found on `PATH`) and waits until it answers
    /// `PING`. Panics with a clear message when it is not installed.
    pub fn start() -> RedisServer {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("quo-rs-redis-{}-{port}", std::process::id()));
        let mut server = RedisServer {
            child: None,
            port,
            dir,
        };
        server.launch();
        server
    }

    fn launch(&mut self) {
        let binary = find_on_path("redis-server").unwrap_or_else(|| {
            panic!(
                "redis-server is not on PATH: the shared rate limiter's tests need a real \
                 Redis. Install the Debian package: apt-get install redis-server \
                 (.ci/run installs it when missing)"
            )
        });
        std::fs::create_dir_all(&self.dir).expect("a scratch directory for redis-server");
        let child = std::process::Command::new(binary)
            .arg("--port")
            .arg(self.port.to_string())
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.answers_ping() {
            assert!(
                Instant::now() < deadline,
                "redis-server on port {} did not answer PING within 10 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn answers_ping(&self) -> bool {
        let Ok(mut connection) = self.connection() else {
            return false;
        };
        redis::cmd("PING")
            .query::<String>(&mut connection)
            .is_ok_and(|pong| pong == "PONG")
    }

    /// The URL clients connect to.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The process id, to signal it (`kill -STOP`, `kill -CONT`).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(std::process::Child::id)
    }

    /// A blocking connection, to look at what the limiter stored.
    pub fn connection(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_millis(200))
    }

    /// Kills the server (SIGKILL: no goodbye to the clients) and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server if it runs, and starts a new one on the same port:
    /// empty, as after a crash without persistence.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port on 127.0.0.1")
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| {
            path.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Which limiter a worker's client uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limiter {
    /// The default, one budget per process.
    InProcess,
    /// One budget in the Redis at this URL.
    Redis(String),
}

/// What one worker process does.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerPlan {
    /// Its number in the fleet.
    pub id: usize,
    /// The demo server's URL.
    pub url: String,
    /// The API key.
    pub key: String,
    /// The limiter of its client.
    pub limiter: Limiter,
    /// Stop after this many requests (counted over the worker's tasks)...
    pub requests: Option<usize>,
    /// ...or once this many seconds have passed.
    pub seconds: Option<f64>,
}

impl WorkerPlan {
    /// The command-line arguments after `worker`.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![
            "--id".to_owned(),
            self.id.to_string(),
            "--url".to_owned(),
            self.url.clone(),
            "--key".to_owned(),
            self.key.clone(),
        ];
        if let Limiter::Redis(url) = &self.limiter {
            args.extend(["--redis".to_owned(), url.clone()]);
        }
        if let Some(requests) = self.requests {
            args.extend(["--requests".to_owned(), requests.to_string()]);
        }
        if let Some(seconds) = self.seconds {
            args.extend(["--seconds".to_owned(), seconds.to_string()]);
        }
        args
    }

    /// Reads the arguments written by [`to_args`](Self::to_args).
    pub fn from_args(args: &[String]) -> Result<WorkerPlan, String> {
        let mut plan = WorkerPlan {
            id: 0,
            url: String::new(),
            key: String::new(),
            limiter: Limiter::InProcess,
            requests: None,
            seconds: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || format!("{flag} needs a number, got {value}");
            match flag.as_str() {
                "--id" => plan.id = value.parse().map_err(|_| number())?,
                "--url" => plan.url = value.clone(),
                "--key" => plan.key = value.clone(),
                "--redis" => plan.limiter = Limiter::Redis(value.clone()),
                "--requests" => plan.requests = Some(value.parse().map_err(|_| number())?),
                "--seconds" => plan.seconds = Some(value.parse().map_err(|_| number())?),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        if plan.url.is_empty() || plan.key.is_empty() {
            return Err("--url and --key are required".into());
        }
        Ok(plan)
    }
}

/// What a worker reports on its last line of output.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkerReport {
    /// Its number in the fleet.
    pub id: usize,
    /// Requests that succeeded.
    pub ok: usize,
    /// Requests that failed with `Error::RateLimited` after their retries.
    pub rate_limited: usize,
    /// Requests that failed otherwise.
    pub other_errors: usize,
    /// When each request finished, in milliseconds since the Unix epoch.
    pub finished_unix_ms: Vec<f64>,
    /// Lines the worker logged with [`OUTAGE_WARNING`] (filled in by the parent).
    #[serde(skip)]
    pub warnings: usize,
    /// Lines the worker logged with [`RESUMED_INFO`] (filled in by the parent).
    #[serde(skip)]
    pub resumed: usize,
    /// Whether it exited with success and without a panic (filled in by the parent).
    #[serde(skip)]
    pub clean_exit: bool,
}

fn unix_ms(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// The worker process: builds its client, prints `ready`, waits for a line
/// on stdin, makes its requests with a few tasks sharing its client, and
/// returns its [`WorkerReport`] (which `fleet_rate` prints as one JSON line).
pub async fn run_worker(plan: WorkerPlan) -> WorkerReport {
    let mut builder = QuoClient::builder()
        .api_key(plan.key.as_str())
        .base_url(plan.url.as_str())
        .rate_limit(RATE);
    if let Limiter::Redis(url) = &plan.limiter {
        builder = builder.redis_rate_limit(RedisRateLimit::new(url.as_str()));
    }
    let client = builder.build().expect("a client");
    let id = Dataset::demo()
        .ids()
        .next()
        .expect("a demo contact")
        .to_owned();
    println!("ready");
    let mut go = String::new();
    let _ = BufReader::new(tokio::io::stdin()).read_line(&mut go).await;

    let started = Instant::now();
    let taken = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, id, taken, plan) =
                (client.clone(), id.clone(), taken.clone(), plan.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let n = taken.fetch_add(1, Ordering::Relaxed);
                    let out_of_requests = plan.requests.is_some_and(|limit| n >= limit);
                    let out_of_time = plan
                        .seconds
                        .is_some_and(|s| started.elapsed().as_secs_f64() >= s);
                    if out_of_requests || out_of_time {
                        return done;
                    }
                    let result = client.contacts().get(&id).await;
                    done.push((unix_ms(SystemTime::now()), result.map(|_| ())));
                }
            })
        })
        .collect();
    let mut report = WorkerReport {
        id: plan.id,
        ..WorkerReport::default()
    };
    for task in tasks {
        for (at, result) in task.await.expect("a worker task") {
            report.finished_unix_ms.push(at);
            match result {
                Ok(()) => report.ok += 1,
                Err(Error::RateLimited { .. }) => report.rate_limited += 1,
                Err(_) => report.other_errors += 1,
            }
        }
    }
    report
        .finished_unix_ms
        .sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    report
}

/// Worker processes started together.
pub struct Fleet {
    workers: Vec<Worker>,
    /// When the workers were told to go.
    pub started: Instant,
    /// The same moment on the wall clock, to place the workers' own times.
    pub started_unix_ms: f64,
}

struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: tokio::task::JoinHandle<String>,
}

impl Fleet {
    /// Starts one process of `exe` (the `fleet_rate` binary) per plan, waits
    /// until each is ready, then lets them all go at once.
    pub async fn start(exe: &Path, plans: &[WorkerPlan]) -> Fleet {
        let mut workers = Vec::new();
        for plan in plans {
            let mut child = Command::new(exe)
                .arg("worker")
                .args(plan.to_args())
                .env("RUST_LOG", "quo_api_ext=info")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .expect("a worker process");
            let stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
            let mut stderr = child.stderr.take().expect("stderr");
            let stderr = tokio::spawn(async move {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text).await;
                text
            });
            workers.push(Worker {
                stdin: child.stdin.take(),
                child,
                stdout,
                stderr,
            });
        }
        for worker in &mut workers {
            let line = tokio::time::timeout(Duration::from_secs(30), worker.stdout.next_line())
                .await
                .expect("a worker got ready within 30 s")
                .expect("a worker's stdout");
            assert_eq!(line.as_deref(), Some("ready"), "a worker did not start");
        }
        let started = Instant::now();
        let started_unix_ms = unix_ms(SystemTime::now());
        for worker in &mut workers {
            if let Some(mut stdin) = worker.stdin.take() {
                stdin.write_all(b"go\n").await.expect("a worker's stdin");
            }
        }
        Fleet {
            workers,
            started,
            started_unix_ms,
        }
    }

    /// Waits for every worker to finish and collects their reports.
    pub async fn finish(self) -> Vec<WorkerReport> {
        let mut reports = Vec::new();
        for mut worker in self.workers {
            let line = tokio::time::timeout(Duration::from_secs(60), worker.stdout.next_line())
                .await
                .expect("a worker finished within 60 s")
                .expect("a worker's stdout")
                .unwrap_or_default();
            let status = worker.child.wait().await.expect("a worker's exit status");
            let stderr = worker.stderr.await.unwrap_or_default();
            let mut report: WorkerReport = serde_json::from_str(&line).unwrap_or_else(|e| {
                panic!("a worker's report ({e}): {line:?}\nits stderr:\n{stderr}")
            });
            report.warnings = stderr.matches(OUTAGE_WARNING).count();
            report.resumed = stderr.matches(RESUMED_INFO).count();
            report.clean_exit = status.success() && !stderr.contains("panicked");
            reports.push(report);
        }
        reports
    }
}

fn plans(server: &DemoServer, limiter: &Limiter) -> Vec<WorkerPlan> {
    (0..WORKERS)
        .map(|id| WorkerPlan {
            id,
            url: server.url(),
            key: server.api_key().to_owned(),
            limiter: limiter.clone(),
            requests: None,
            seconds: None,
        })
        .collect()
}

/// Requests per second over `times` (sorted): intervals over the time
/// between the first and the last. 0 when there are fewer than two.
pub fn rate_of(times: &[Duration]) -> f64 {
    match (times.first(), times.last()) {
        (Some(first), Some(last)) if times.len() > 1 && last > first => {
            (times.len() - 1) as f64 / (*last - *first).as_secs_f64()
        }
        _ => 0.0,
    }
}

/// When each request the server answered was answered, relative to `start`
/// (requests answered before it are left out), with its status.
fn answered_since(server: &DemoServer, start: Instant) -> Vec<(Duration, Option<u16>)> {
    let mut answered: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.answered_at >= start)
        .map(|r| (r.answered_at - start, r.status))
        .collect();
    answered.sort_by_key(|&(at, _)| at);
    answered
}

/// The figures of [`shared_budget_run`].
#[derive(Debug, Clone)]
pub struct SharedBudgetRun {
    /// Requests the workers made (each counted once, retries aside).
    pub requests: usize,
    /// Requests that reached the server, retries included.
    pub sent: usize,
    /// Of those, how many the server answered 429.
    pub answered_429: usize,
    /// Requests that failed for the caller after their retries.
    pub failed: usize,
    /// Requests per second reaching the server, all processes together.
    pub aggregate_per_second: f64,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Whether every worker exited cleanly.
    pub clean: bool,
}

/// [`WORKERS`] processes make `total` requests against a server enforcing
/// [`RATE`] per second, each paced by `limiter`.
pub async fn shared_budget_run(exe: &Path, limiter: Limiter, total: usize) -> SharedBudgetRun {
    let config = DemoConfig::default().with_rate_limit(DemoRateLimit::per_second(RATE));
    let server = DemoServer::start(config).await.expect("the demo server");
    let mut plans = plans(&server, &limiter);
    for plan in &mut plans {
        plan.requests = Some(total / WORKERS);
    }
    let fleet = Fleet::start(exe, &plans).await;
    let start = fleet.started;
    let reports = fleet.finish().await;
    let elapsed = start.elapsed();
    let answered = answered_since(&server, start);
    let times: Vec<Duration> = answered.iter().map(|&(at, _)| at).collect();
    server.shutdown().await;
    SharedBudgetRun {
        requests: reports
            .iter()
            .map(|r| r.ok + r.rate_limited + r.other_errors)
            .sum(),
        sent: answered.len(),
        answered_429: answered.iter().filter(|(_, s)| *s == Some(429)).count(),
        failed: reports
            .iter()
            .map(|r| r.rate_limited + r.other_errors)
            .sum(),
        aggregate_per_second: rate_of(&times),
        elapsed,
        clean: reports.iter().all(|r| r.clean_exit),
    }
}

/// The figures of [`pause_run`].
#[derive(Debug, Clone)]
pub struct PauseRun {
    /// When the server answered the injected 429 (`Retry-After: 2`), since the start.
    pub refused_at: Duration,
    /// Time from that 429 to the next request the server saw, from any process.
    pub silence: Duration,
    /// Requests that arrived within 100 ms after the 429: already cleared
    /// to go before the pause could be recorded.
    pub in_flight: usize,
    /// Requests that arrived from 100 ms after the 429 until the pause ended.
    pub during_pause: usize,
    /// Requests that reached the server in all.
    pub sent: usize,
    /// Whether every worker exited cleanly.
    pub clean: bool,
}

/// The pause a 429 asks for: [`WORKERS`] processes send for about 5 s; after
/// 1.5 s the server answers one request `429` with `Retry-After: 2`.
pub async fn pause_run(exe: &Path, limiter: Limiter) -> PauseRun {
    let server = DemoServer::start(DemoConfig::default())
        .await
        .expect("the demo server");
    let mut plans = plans(&server, &limiter);
    for plan in &mut plans {
        plan.seconds = Some(5.0);
    }
    let fleet = Fleet::start(exe, &plans).await;
    let start = fleet.started;
    tokio::time::sleep_until((start + Duration::from_millis(1500)).into()).await;
    server.inject(Fault::rate_limited(2));
    let reports = fleet.finish().await;
    let answered = answered_since(&server, start);
    server.shutdown().await;
    let refused_at = answered
        .iter()
        .find(|(_, status)| *status == Some(429))
        .map(|&(at, _)| at)
        .expect("the injected 429 was answered");
    let after = |from: Duration, to: Duration| {
        answered
            .iter()
            .filter(|&&(at, _)| at > refused_at + from && at < refused_at + to)
            .count()
    };
    let silence = answered
        .iter()
        .map(|&(at, _)| at)
        .find(|&at| at > refused_at)
        .map_or(Duration::MAX, |next| next - refused_at);
    PauseRun {
        refused_at,
        silence,
        in_flight: after(Duration::ZERO, Duration::from_millis(100)),
        during_pause: after(Duration::from_millis(100), Duration::from_secs(2)),
        sent: answered.len(),
        clean: reports.iter().all(|r| r.clean_exit),
    }
}

/// The figures of [`outage_run`].
#[derive(Debug, Clone)]
pub struct OutageRun {
    /// Requests per second reaching the server before Redis was killed.
    pub before: f64,
    /// The same while Redis was down (the processes paced alone).
    pub fallback: f64,
    /// Each process's own rate while Redis was down.
    pub fallback_per_process: Vec<f64>,
    /// The same after Redis was restarted and the shared budget resumed.
    pub after: f64,
    /// When the server answered 429, in seconds since the start.
    pub answered_429_at: Vec<f64>,
    /// Requests that failed for the caller.
    pub failed: usize,
    /// Requests that reached the server in all.
    pub sent: usize,
    /// Outage warnings each process logged.
    pub warnings: Vec<usize>,
    /// "Reachable again" messages each process logged.
    pub resumed: Vec<usize>,
    /// Limiters registered on the budget in the restarted Redis.
    pub fleet_after_restart: usize,
    /// Whether every worker exited cleanly.
    pub clean: bool,
}

/// Seconds into an [`outage_run`] when Redis is killed.
pub const KILL_AT: f64 = 3.0;
/// Seconds into an [`outage_run`] when Redis is started again.
pub const RESTART_AT: f64 = 7.0;
/// Seconds an [`outage_run`] lasts.
pub const OUTAGE_RUN_SECONDS: f64 = 12.0;
/// Seconds left out of the measures at the start of each phase: slots
/// granted before the kill are still being used for up to a second, and
/// after the restart a process keeps to its fallback pace for up to a
/// second while the others notice Redis is back.
const SETTLE: f64 = 1.0;

/// Redis killed mid-run and restarted: [`WORKERS`] processes with the Redis
/// limiter send for [`OUTAGE_RUN_SECONDS`]; Redis is killed at [`KILL_AT`]
/// and started again, empty, at [`RESTART_AT`]. Rates are measured in each
/// phase from a second after it starts, when every process has noticed.
pub async fn outage_run(exe: &Path, redis: &mut RedisServer) -> OutageRun {
    let config = DemoConfig::default().with_rate_limit(DemoRateLimit::per_second(RATE));
    let server = DemoServer::start(config).await.expect("the demo server");
    let mut plans = plans(&server, &Limiter::Redis(redis.url()));
    for plan in &mut plans {
        plan.seconds = Some(OUTAGE_RUN_SECONDS);
    }
    let fleet = Fleet::start(exe, &plans).await;
    let (start, start_unix_ms) = (fleet.started, fleet.started_unix_ms);
    let at = |seconds: f64| start + Duration::from_secs_f64(seconds);
    tokio::time::sleep_until(at(KILL_AT).into()).await;
    redis.kill();
    tokio::time::sleep_until(at(RESTART_AT).into()).await;
    tokio::task::block_in_place(|| redis.restart());
    let reports = fleet.finish().await;
    let answered = answered_since(&server, start);
    server.shutdown().await;

    let budget = RedisRateLimiter::new(
        RedisRateLimit::new(redis.url()),
        server_key(),
        RATE.try_into().expect("a rate"),
    )
    .expect("a limiter")
    .budget_key()
    .to_owned();
    let fleet_after_restart = redis
        .connection()
        .and_then(|mut c| {
            redis::cmd("ZCARD")
                .arg(format!("{budget}:fleet"))
                .query(&mut c)
        })
        .unwrap_or(0);

    let window = |from: f64, to: f64| {
        let times: Vec<Duration> = answered
            .iter()
            .map(|&(at, _)| at)
            .filter(|at| (from..to).contains(&at.as_secs_f64()))
            .collect();
        rate_of(&times)
    };
    let (fallback_from, fallback_to) = (KILL_AT + SETTLE, RESTART_AT);
    let fallback_per_process = reports
        .iter()
        .map(|r| {
            let times: Vec<Duration> = r
                .finished_unix_ms
                .iter()
                .map(|ms| (ms - start_unix_ms) / 1000.0)
                .filter(|s| (fallback_from..fallback_to).contains(s))
                .map(Duration::from_secs_f64)
                .collect();
            rate_of(&times)
        })
        .collect();
    OutageRun {
        before: window(0.5, KILL_AT),
        fallback: window(fallback_from, fallback_to),
        fallback_per_process,
        after: window(RESTART_AT + 2.0 * SETTLE, OUTAGE_RUN_SECONDS),
        answered_429_at: answered
            .iter()
            .filter(|(_, s)| *s == Some(429))
            .map(|(at, _)| at.as_secs_f64())
            .collect(),
        failed: reports
            .iter()
            .map(|r| r.rate_limited + r.other_errors)
            .sum(),
        sent: answered.len(),
        warnings: reports.iter().map(|r| r.warnings).collect(),
        resumed: reports.iter().map(|r| r.resumed).collect(),
        fleet_after_restart,
        clean: reports.iter().all(|r| r.clean_exit),
    }
}

/// The key every demo server accepts by default.
fn server_key() -> &'static str {
    quo_api_ext::testing::DEFAULT_API_KEY
}
