//! Stoplight Prism as an independent judge of what goes over the wire:
//! [`Prism`] starts `prism mock` or `prism proxy` on a free loopback port
//! and kills it when dropped; [`Recorder`] is a small reverse proxy that
//! remembers every exchange passing through it, so a test can read the
//! verdicts Prism gives ([`Exchange::violations`]) whatever the client does
//! with the answer.
//!
//! Prism is not a Rust dependency: [`prism_binary`] finds it through the
//! `QUO_PRISM` environment variable, the copy `.ci/run` installs under
//! `target/prism/`, or `prism` on the `PATH`, and panics with instructions
//! when there is none. The tests that need it are `#[ignore]`d so that
//! `cargo test --workspace` passes without node.
//!
//! The judge's habits the helpers account for:
//! - a request violation comes back, in mock mode, as an answer with an
//!   `sl-violations` header; in proxy mode with `--errors`, as a `422`
//!   problem body *without* the header (the request is not forwarded);
//! - a response violation in proxy mode with `--errors` is a `500` problem
//!   body listing them under `validation`, with the header as well;
//! - with many violations the header starts with `Too many violations!` and
//!   its list is cut short; the full list is only in a problem body;
//! - a raw comma in a path parameter is read as an array separator, so a
//!   test id with a comma must be percent-encoded (or avoided).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::net::TcpListener;
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

/// The environment variable naming the `prism` executable to use.
pub const PRISM_ENV: &str = "QUO_PRISM";

/// The Prism version `.ci/run` installs (and the one these tests were
/// written against).
pub const PRISM_VERSION: &str = "5.16.0";

/// How long Prism may take to start listening (node starts slowly on a
/// busy machine).
const START_LIMIT: Duration = Duration::from_secs(90);

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// Quo's OpenAPI document as Quo publishes it (not the normalised copy the
/// raw client is generated from): the judge's rule book.
pub fn public_spec() -> PathBuf {
    workspace_root().join("openapi/quo-public-api.json")
}

/// The `prism` executable: `$QUO_PRISM`, else `target/prism/node_modules/.bin/prism`
/// (where `.ci/run` installs it), else `prism` on the `PATH`.
///
/// # Panics
///
/// When none of them exists, with how to install it: a contract test that
/// cannot find its judge fails loudly rather than passing unjudged.
pub fn prism_binary() -> PathBuf {
    if let Some(path) = std::env::var_os(PRISM_ENV) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "{PRISM_ENV}={} is not a file: point it at a `prism` executable \
             (@stoplight/prism-cli {PRISM_VERSION})",
            path.display()
        );
        return path;
    }
    let local = workspace_root().join("target/prism/node_modules/.bin/prism");
    if local.is_file() {
        return local;
    }
    if let Some(on_path) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("prism"))
            .find(|candidate| candidate.is_file())
    }) {
        return on_path;
    }
    panic!(
        "Stoplight Prism not found: set {PRISM_ENV} to a `prism` executable, or install it with \
         `npm install --prefix target/prism @stoplight/prism-cli@{PRISM_VERSION}` \
         (what `.ci/run`'s contract step does)"
    );
}

/// A free port on `127.0.0.1` (free when asked; Prism binds it right after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A running Prism process, listening on `127.0.0.1`; killed when dropped.
pub struct Prism {
    child: Child,
    url: String,
    output: Arc<Mutex<String>>,
}

impl std::fmt::Debug for Prism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prism")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Prism {
    /// `prism mock --dynamic --seed <seed>` on [`public_spec`]: random
    /// spec-valid answers, the same sequence for the same seed.
    pub async fn mock(seed: u64) -> Prism {
        let seed = seed.to_string();
        Self::start(&["mock", "--dynamic", "--seed", &seed], None).await
    }

    /// `prism proxy --errors` on [`public_spec`] in front of `upstream`:
    /// forwards valid requests, and turns any violation, of the request or
    /// of the upstream's answer, into an error answer.
    pub async fn proxy(upstream: &str) -> Prism {
        Self::start(&["proxy", "--errors"], Some(upstream)).await
    }

    /// Starts Prism in `mode` on a free port. The port is free when asked
    /// and taken by Prism a moment later; if Prism exits before listening
    /// (another process took the port), it is tried again on another one.
    async fn start(mode: &[&str], upstream: Option<&str>) -> Prism {
        const ATTEMPTS: usize = 3;
        let mut attempt = 1;
        loop {
            match Self::try_start(mode, upstream).await {
                Ok(prism) => return prism,
                Err((_, exited)) if exited && attempt < ATTEMPTS => attempt += 1,
                Err((prism, _)) => panic!(
                    "prism {} did not start listening within {START_LIMIT:?} \
                     (attempt {attempt}); its output:\n{}",
                    mode.join(" "),
                    prism.output()
                ),
            }
        }
    }

    /// One attempt of [`Prism::start`]: `Err` with the process (for its
    /// output) when it did not say it listens, and whether it exited (its
    /// output closed) rather than ran out of time.
    async fn try_start(mode: &[&str], upstream: Option<&str>) -> Result<Prism, (Prism, bool)> {
        let binary = prism_binary();
        let port = free_port().to_string();
        let mut command = Command::new(&binary);
        command
            .args(mode)
            .args(["--host", "127.0.0.1", "--port", &port])
            .arg(public_spec())
            .args(upstream)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let output = Arc::new(Mutex::new(String::new()));
        let (ready_tx, mut ready_rx) = tokio::sync::mpsc::unbounded_channel();
        if let Some(stdout) = child.stdout.take() {
            collect(stdout, Arc::clone(&output), ready_tx.clone());
        }
        if let Some(stderr) = child.stderr.take() {
            collect(stderr, Arc::clone(&output), ready_tx);
        }
        let url = format!("http://127.0.0.1:{port}");
        // Both streams close when the process exits: `false` then.
        let ready = tokio::time::timeout(START_LIMIT, async {
            while let Some(line) = ready_rx.recv().await {
                if line.contains("Prism is listening") {
                    return true;
                }
            }
            false
        })
        .await;
        let prism = Prism { child, url, output };
        match ready {
            Ok(true) => Ok(prism),
            Ok(false) => Err((prism, true)),
            Err(_) => Err((prism, false)),
        }
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Everything it printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Kills it now and waits for it to exit (dropping it kills it too).
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Copies a child's output lines into `output`, and tells `ready` about each.
fn collect(
    stream: impl AsyncRead + Unpin + Send + 'static,
    output: Arc<Mutex<String>>,
    ready: tokio::sync::mpsc::UnboundedSender<String>,
) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            {
                let mut output = output.lock().unwrap_or_else(PoisonError::into_inner);
                output.push_str(&line);
                output.push('\n');
            }
            let _ = ready.send(line);
        }
    });
}

/// One of Prism's findings, as it reports them in the `sl-violations`
/// header and in its problem bodies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Violation {
    /// Where: `["request", "body", ...]`, `["response", "body", "data", "0", ...]`,
    /// or, in proxy mode's 422 bodies, `["body", ...]` (the request's).
    pub location: Vec<String>,
    /// `Error` or `Warning`.
    pub severity: String,
    /// The JSON Schema keyword that failed (`type`, `required`, `anyOf`, ...).
    #[serde(default)]
    pub code: Option<String>,
    /// What Prism says.
    pub message: String,
}

/// A problem body Prism answers with (`application/problem+json`).
#[derive(Deserialize)]
struct Problem {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    validation: Vec<Violation>,
}

/// One request that went through a [`Recorder`], and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The request's method, e.g. `GET`.
    pub method: String,
    /// The request's path, still percent-encoded.
    pub path: String,
    /// The request's query string, without `?`.
    pub query: Option<String>,
    /// The request body.
    pub request_body: Bytes,
    /// The answer's status.
    pub status: u16,
    /// The answer's `sl-violations` header, if any.
    pub violations_header: Option<String>,
    /// The answer's body.
    pub body: Bytes,
}

impl Exchange {
    /// Every violation Prism reported for this exchange: the header's list,
    /// or the problem body's when the header's was cut short (`Too many
    /// violations!`) or absent (a request refused in proxy mode). A header
    /// cut short with no body to complete it gives one violation saying so,
    /// so that it is never mistaken for a clean exchange.
    pub fn violations(&self) -> Vec<Violation> {
        let from_body = self.problem().map(|problem| problem.validation);
        match self.violations_header.as_deref() {
            Some(header) if header.starts_with("Too many violations!") => from_body
                .filter(|list| !list.is_empty())
                .unwrap_or_else(|| {
                    vec![Violation {
                        location: vec!["response".into()],
                        severity: "Error".into(),
                        code: None,
                        message: format!("too many violations to list: {header:.300}"),
                    }]
                }),
            Some(header) => serde_json::from_str(header).unwrap_or_else(|e| {
                vec![Violation {
                    location: vec![],
                    severity: "Error".into(),
                    code: None,
                    message: format!("unreadable sl-violations header ({e}): {header:.300}"),
                }]
            }),
            None => from_body.unwrap_or_default(),
        }
    }

    /// The answer as a Prism problem body (one Prism made up, not the
    /// upstream's), if it is one.
    fn problem(&self) -> Option<Problem> {
        serde_json::from_slice::<Problem>(&self.body)
            .ok()
            .filter(|problem| {
                problem
                    .kind
                    .starts_with("https://stoplight.io/prism/errors#")
            })
    }

    /// Whether Prism made this answer up to report a problem (a `422`
    /// invalid request, a `500` list of violations, ...) rather than
    /// answering for the API.
    pub fn is_prism_problem(&self) -> bool {
        self.problem().is_some()
    }

    /// `METHOD /path?query`, for messages.
    pub fn line(&self) -> String {
        match &self.query {
            Some(query) => format!("{} {}?{query}", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// A reverse proxy on `127.0.0.1` that forwards every request to one
/// upstream, unchanged, and records each [`Exchange`]; stops when dropped.
pub struct Recorder {
    addr: SocketAddr,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
    task: JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Starts forwarding to `upstream` (a base URL such as `http://127.0.0.1:4010`).
    pub async fn start(upstream: &str) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("bound address");
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("reqwest client");
        let upstream: Arc<str> = upstream.trim_end_matches('/').into();
        let log = Arc::clone(&exchanges);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let (http, upstream, log) = (http.clone(), Arc::clone(&upstream), Arc::clone(&log));
                let service = service_fn(move |request| {
                    forward(
                        request,
                        http.clone(),
                        Arc::clone(&upstream),
                        Arc::clone(&log),
                    )
                });
                connections.spawn(async move {
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Recorder {
            addr,
            exchanges,
            task,
        }
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Removes and returns the exchanges recorded so far, oldest first.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(
            &mut *self
                .exchanges
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }
}

/// Forwards one request and records it; a failure to reach the upstream is
/// a `502` (recorded too).
async fn forward(
    request: hyper::Request<Incoming>,
    http: reqwest::Client,
    upstream: Arc<str>,
    log: Arc<Mutex<Vec<Exchange>>>,
) -> Result<hyper::Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let request_body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let mut outgoing = http
        .request(parts.method.clone(), format!("{upstream}{path_and_query}"))
        .body(request_body.clone());
    for (name, value) in &parts.headers {
        if name != hyper::header::HOST && name != hyper::header::CONTENT_LENGTH {
            outgoing = outgoing.header(name, value);
        }
    }
    let (status, headers, body) = match outgoing.send().await {
        Ok(answer) => {
            let status = answer.status();
            let headers = answer.headers().clone();
            let body = answer.bytes().await.unwrap_or_default();
            (status, headers, body)
        }
        Err(e) => (
            reqwest::StatusCode::BAD_GATEWAY,
            reqwest::header::HeaderMap::new(),
            Bytes::from(format!("recorder: upstream unreachable: {e}")),
        ),
    };
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Exchange {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            request_body,
            status: status.as_u16(),
            violations_header: headers
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            body: body.clone(),
        });
    let mut response = hyper::Response::new(Full::new(body));
    *response.status_mut() = status;
    for (name, value) in &headers {
        let hop = [
            hyper::header::CONNECTION,
            hyper::header::TRANSFER_ENCODING,
            hyper::header::CONTENT_LENGTH,
        ];
        if !hop.contains(name) && name.as_str() != "keep-alive" {
            response.headers_mut().append(name, value.clone());
        }
    }
    Ok(response)
}

/// The operations of an OpenAPI document: `(operationId, METHOD, path template)`.
pub fn operations(spec: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let paths = spec["paths"].as_object().into_iter().flatten();
    for (template, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if ["get", "put", "post", "delete", "patch", "head", "options"]
                .contains(&method.as_str())
            {
                let id = operation["operationId"].as_str().unwrap_or_default();
                found.push((id.to_owned(), method.to_uppercase(), template.clone()));
            }
        }
    }
    found
}

/// The operation of `operations` (see [`operations`]) a request for
/// `method` and `path` names: templates match segment by segment, a
/// `{parameter}` matching any one segment and a literal preferred over a
/// parameter.
pub fn operation_of<'a>(
    operations: &'a [(String, String, String)],
    method: &str,
    path: &str,
) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    operations
        .iter()
        .filter(|(_, m, template)| {
            let parts: Vec<&str> = template.split('/').collect();
            m == method
                && parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()))
        })
        .min_by_key(|(_, _, template)| template.matches('{').count())
        .map(|(id, _, _)| id.as_str())
}

impl crate::clients::TestServer for Recorder {
    fn base_url(&self) -> String {
        self.url()
    }
}

/// A tiny HTTP server on `127.0.0.1` answering each path with a fixed
/// status and JSON body, whatever the method (`404` `{}` for other paths):
/// an upstream that breaks the spec on purpose, to prove Prism catches it.
/// Stops when dropped.
pub struct FixedServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for FixedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FixedServer {
    /// Serves `routes`: `(path, status, body)`.
    pub async fn start(routes: Vec<(&'static str, u16, serde_json::Value)>) -> FixedServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("bound address");
        let routes = Arc::new(routes);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let routes = Arc::clone(&routes);
                let service = service_fn(move |request: hyper::Request<Incoming>| {
                    let found = routes
                        .iter()
                        .find(|(path, _, _)| *path == request.uri().path())
                        .map_or((404, serde_json::json!({})), |(_, status, body)| {
                            (*status, body.clone())
                        });
                    async move {
                        let mut response = hyper::Response::new(Full::new(Bytes::from(
                            serde_json::to_vec(&found.1).unwrap_or_default(),
                        )));
                        *response.status_mut() =
                            hyper::StatusCode::from_u16(found.0).unwrap_or_default();
                        response.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                connections.spawn(async move {
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FixedServer { addr, task }
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}
