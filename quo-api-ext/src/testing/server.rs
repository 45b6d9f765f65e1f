//! The HTTP/1.1 server: listener, connections, faults and the request log.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::config::DemoConfig;
use super::dataset::Dataset;
use super::errors;
use super::fault::{Fault, FaultQueue};
use super::handler::{Handler, RequestParts};
use super::prng::{DemoRng, mix64};
use super::rate_limit::KeyBudgets;
use super::reply::Reply;

/// How long [`DemoServer::shutdown`] lets in-flight requests finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// One request as it arrived, for tests that assert what went over the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Path as sent, still percent-encoded, e.g. `/v1/contacts/abc%2F1`.
    pub path: String,
    /// Query string as sent (without `?`), still encoded; `None` if absent.
    pub query: Option<String>,
    /// The `Authorization` header (lossily decoded); `None` if absent.
    pub authorization: Option<String>,
    /// The request body as text (lossily decoded); empty when there was none.
    pub body: String,
    /// The status answered; `None` when a [`Fault::Disconnect`] closed the
    /// connection instead.
    pub status: Option<u16>,
    /// When it was answered (or the connection closed): for tests that
    /// measure the pace requests arrive at.
    pub answered_at: Instant,
}

impl RecordedRequest {
    /// The query's key/value pairs, decoded (`%XX` and `+`), in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The body parsed as JSON, or `None` when it is empty or not JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}

/// Largest request body the server reads; a larger one is cut off.
const MAX_REQUEST_BODY: usize = 1 << 20;

/// Everything the connections share.
struct State {
    handler: Handler,
    faults: FaultQueue,
    fail_every: Option<(usize, Fault)>,
    count: AtomicUsize,
    log: Mutex<VecDeque<RecordedRequest>>,
    record_limit: usize,
    trace_nonce: u64,
    budgets: Option<KeyBudgets>,
    latency: Latency,
}

impl State {
    fn log(&self) -> MutexGuard<'_, VecDeque<RecordedRequest>> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The fault for request number `n` (1-based), if any: queued ones first.
    fn fault_for(&self, n: usize) -> Option<Fault> {
        self.faults.pop().or_else(|| match &self.fail_every {
            Some((every, fault)) if *every > 0 && n.is_multiple_of(*every) => Some(fault.clone()),
            _ => None,
        })
    }

    async fn respond(
        &self,
        request: Request<Incoming>,
    ) -> Result<Response<Full<Bytes>>, io::Error> {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        let wait = self.latency.before(n);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let trace = format!(
            "{:016x}{:016x}",
            mix64(self.trace_nonce ^ n as u64),
            mix64(n as u64)
        );
        let fault = match self.fault_for(n) {
            Some(Fault::Delay(delay)) => {
                tokio::time::sleep(delay).await;
                None
            }
            Some(Fault::Serve) => None,
            Some(Fault::StallHeaders) => {
                // Never answers: the client gives up first, or the
                // connection is dropped with the server.
                std::future::pending::<()>().await;
                None
            }
            other => other,
        };
        let (head, body) = request.into_parts();
        let body = match http_body_util::Limited::new(body, MAX_REQUEST_BODY)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(_) => Bytes::new(),
        };
        // Nothing below awaits, so the borrows of `head` never cross an await.
        let authorization = head.headers.get(AUTHORIZATION).map(HeaderValue::as_bytes);
        let parts = RequestParts {
            method: &head.method,
            path: head.uri.path(),
            query: head.uri.query(),
            authorization,
            body: &body,
        };
        let reply = match fault {
            None => match self.over_rate_limit(&parts, &trace) {
                Some(reply) => reply,
                None => self.handler.handle(&parts, &trace),
            },
            Some(Fault::Delay(_)) => self.handler.handle(&parts, &trace),
            Some(Fault::Disconnect) => {
                self.record(&parts, None);
                // An error from the service makes hyper drop the connection unanswered.
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "injected disconnect",
                ));
            }
            Some(Fault::TooManyRequests { retry_after }) => {
                let mut reply = errors::too_many_requests(&trace);
                reply.retry_after = retry_after.and_then(|v| HeaderValue::try_from(v).ok());
                reply
            }
            Some(Fault::Status(status)) => errors::for_status(status_or_500(status), &trace),
            Some(Fault::Raw { status, body }) => Reply::json(status_or_500(status), body),
            Some(Fault::Empty200) => Reply::ok(Bytes::new()),
            Some(Fault::TruncatedJson) => {
                let mut reply = self.handler.handle(&parts, &trace);
                reply.status = StatusCode::OK;
                reply.body = reply.body.slice(..reply.body.len() / 2);
                reply
            }
            Some(other) => Reply::json(
                StatusCode::NOT_IMPLEMENTED,
                serde_json::to_vec(&serde_json::json!({
                    "message": format!("the demo server does not play {other:?}"),
                    "code": "501",
                    "status": 501,
                }))
                .unwrap_or_default(),
            ),
        };
        self.record(&parts, Some(reply.status.as_u16()));
        Ok(reply.into_response())
    }

    /// The 429 to answer when the request's key is over the rate limit.
    fn over_rate_limit(&self, parts: &RequestParts<'_>, trace: &str) -> Option<Reply> {
        let key = parts.authorization?;
        let seconds = self.budgets.as_ref()?.take(key, Instant::now()).err()?;
        let mut reply = errors::too_many_requests(trace);
        reply.retry_after = Some(HeaderValue::from(seconds));
        Some(reply)
    }

    fn record(&self, parts: &RequestParts<'_>, status: Option<u16>) {
        if self.record_limit == 0 {
            return;
        }
        let entry = RecordedRequest {
            method: parts.method.to_string(),
            path: parts.path.to_owned(),
            query: parts.query.map(str::to_owned),
            authorization: parts
                .authorization
                .map(|v| String::from_utf8_lossy(v).into_owned()),
            body: String::from_utf8_lossy(parts.body).into_owned(),
            status,
            answered_at: Instant::now(),
        };
        let mut log = self.log();
        if log.len() >= self.record_limit {
            log.pop_front();
        }
        log.push_back(entry);
    }
}

/// The wait before each answer (see [`DemoConfig::with_latency`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Latency {
    base: Duration,
    jitter: Duration,
    seed: u64,
}

impl Latency {
    /// The latency `config` asks for, its jitter seeded by the dataset.
    pub(crate) fn of(config: &DemoConfig) -> Self {
        Self {
            base: config.latency,
            jitter: config.latency_jitter,
            seed: mix64(config.dataset.fingerprint() ^ LATENCY_SALT),
        }
    }

    /// How long to wait before answering request number `n`: the base plus
    /// a share of the jitter that depends only on `n` and the seed.
    pub(crate) fn before(&self, n: usize) -> Duration {
        if self.jitter.is_zero() {
            return self.base;
        }
        let most = u64::try_from(self.jitter.as_nanos()).unwrap_or(u64::MAX);
        let extra = DemoRng::new(self.seed ^ mix64(n as u64)).range(0, most);
        self.base.saturating_add(Duration::from_nanos(extra))
    }
}

/// Mixed into the dataset's fingerprint to seed the latency jitter, so the
/// jitter does not follow the page tokens' checks.
const LATENCY_SALT: u64 = 0x1A7E_4C7D_0000_0001;

/// `status` as a final response status; 1xx and invalid numbers become 500.
fn status_or_500(status: u16) -> StatusCode {
    StatusCode::from_u16(status)
        .ok()
        .filter(|s| !s.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A running local stand-in for every Quo endpoint the client wraps
/// (contacts, phone numbers, messages, calls, conversations, users, tasks,
/// webhook subscriptions).
///
/// Serves the contacts over HTTP/1.1 with keep-alive on `127.0.0.1`, from a
/// [`Dataset`], and the rest of the demo workspace
/// (see the [module docs](crate::testing)), behind an API key, with
/// optional injected [`Fault`]s. Dropping the server stops it at once;
/// [`DemoServer::shutdown`] stops it gracefully.
pub struct DemoServer {
    addr: SocketAddr,
    api_key: String,
    dataset: Arc<Dataset>,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for DemoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a test value, but keep the habit of not printing keys.
        f.debug_struct("DemoServer")
            .field("addr", &self.addr)
            .field("contacts", &self.dataset.len())
            .field("request_count", &self.request_count())
            .finish_non_exhaustive()
    }
}

impl DemoServer {
    /// Binds `127.0.0.1` on a free port and starts serving on a tokio task;
    /// returns as soon as the port is bound. Must be called from within a
    /// tokio runtime, which then runs the server.
    pub async fn start(config: DemoConfig) -> io::Result<DemoServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let latency = Latency::of(&config);
        let state = Arc::new(State {
            handler: Handler::new(config.dataset.clone(), &config.api_key)
                .with_string_typed_custom_fields(config.string_typed_custom_fields)
                .with_delivery_step(config.delivery_step),
            faults: config.faults,
            fail_every: config.fail_every,
            count: AtomicUsize::new(0),
            log: Mutex::new(VecDeque::new()),
            record_limit: config.record_limit,
            trace_nonce: rand::random(),
            budgets: config.rate_limit.map(KeyBudgets::new),
            latency,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, state.clone(), stopped));
        Ok(DemoServer {
            addr,
            api_key: config.api_key,
            dataset: config.dataset,
            state,
            stop,
            task: Some(task),
        })
    }

    /// Base URL to give a client, e.g. `http://127.0.0.1:49152` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key requests must send as their `Authorization` header.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The dataset the server started with (writes do not change it; see
    /// [`contacts`](Self::contacts)).
    pub fn dataset(&self) -> &Arc<Dataset> {
        &self.dataset
    }

    /// The contacts as they are now, after the writes received so far
    /// (created first, patched in place, deleted gone).
    pub fn contacts(&self) -> Arc<Dataset> {
        self.state.handler.contacts()
    }

    /// Replaces the workspace's custom-field definitions, given as
    /// `(name, key, kind)`, as if they were edited in Quo's app: later
    /// writes are checked against these, and contacts already stored keep
    /// their fields.
    pub fn set_custom_field_definitions<'a>(
        &self,
        definitions: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) {
        let definitions = definitions
            .into_iter()
            .map(|(name, key, kind)| (name.to_owned(), key.to_owned(), kind.to_owned()))
            .collect();
        self.state.handler.set_definitions(definitions);
    }

    /// Number of requests received so far, faulted ones included.
    pub fn request_count(&self) -> usize {
        self.state.count.load(Ordering::Relaxed)
    }

    /// The recorded requests, oldest first, in the order they were answered
    /// (at most [`DemoConfig::record_limit`] of the latest).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.log().iter().cloned().collect()
    }

    /// Forgets the recorded requests (the request count keeps counting).
    pub fn clear_requests(&self) {
        self.state.log().clear();
    }

    /// Queues a fault for the next request that has none yet.
    pub fn inject(&self, fault: Fault) {
        self.state.faults.push(fault);
    }

    /// A handle on the fault queue, to inject faults from elsewhere.
    pub fn faults(&self) -> FaultQueue {
        self.state.faults.clone()
    }

    /// Stops accepting connections, lets in-flight requests finish (for up to
    /// two seconds), closes idle keep-alive connections and waits for all that.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(DRAIN_TIMEOUT + Duration::from_secs(1), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        // Aborting the accept task drops the listener and its JoinSet, which
        // aborts every connection task.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, state.clone(), stopped.clone()));
                }
                // E.g. too many open files: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = stopped.changed() => break,
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain).await;
    // Dropping the JoinSet aborts whatever is still running.
}

async fn serve_connection(
    stream: TcpStream,
    state: Arc<State>,
    mut stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| {
        let state = state.clone();
        async move { state.respond(request).await }
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = stopped.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
