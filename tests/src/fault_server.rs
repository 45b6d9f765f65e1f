//! A tiny, TCP-level HTTP/1.1 server on `127.0.0.1` that serves contact pages
//! and misbehaves on demand, one scripted [`Fault`] per request (the
//! vocabulary the demo server plays too, `quo_api_ext::testing::Fault`; this
//! server plays every variant).
//!
//! It is written directly on a tokio [`TcpListener`] (no HTTP library) so it
//! can do what a well-behaved server library refuses to: cut a body short and
//! drop the connection, stall after the headers, send a `Content-Length` it
//! never honours.
//!
//! Routes: `GET /v1/contacts?maxResults=N&pageToken=T` serves
//! `{"data":[...],"totalItems":len,"nextPageToken":...}` from the contacts it
//! was given, tokens being `tok-<offset>`; `GET /v1/contacts/<id>` serves
//! `{"data": contact}` (the id percent-decoded) or a 404 error body.
//!
//! The server counts requests and connections, records each request's raw
//! path and query, and stops when dropped (every connection task with it).

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use quo_api_ext::testing::Fault;

/// How long a stalled response holds its connection at most (the server is
/// normally dropped long before).
const STALL_LIMIT: Duration = Duration::from_secs(30);

/// One request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Method, e.g. `GET`.
    pub method: String,
    /// Path as sent (still percent-encoded).
    pub path: String,
    /// Query string as sent, without `?`.
    pub query: Option<String>,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

/// Options of a [`FaultServer`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Adds unknown fields to every page envelope.
    pub extra_page_fields: bool,
    /// Sends `totalItems` as a string (`"12"`) instead of a number.
    pub total_as_string: bool,
    /// Omits `totalItems` entirely.
    pub omit_total: bool,
}

struct State {
    contacts: Vec<Value>,
    script: Mutex<VecDeque<Fault>>,
    options: Options,
    requests: AtomicUsize,
    connections: AtomicUsize,
    log: Mutex<Vec<Recorded>>,
}

/// The running server; dropping it stops it.
pub struct FaultServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        // The accept task owns the JoinSet of connections: aborting it drops
        // the listener and aborts every connection.
        self.task.abort();
    }
}

impl FaultServer {
    /// Serves `contacts` in order; `script` is played one action per request
    /// (any route), then every request is served normally.
    pub async fn start(contacts: Vec<Value>, script: Vec<Fault>) -> io::Result<FaultServer> {
        Self::start_with(contacts, script, Options::default()).await
    }

    /// [`start`](Self::start) with [`Options`].
    pub async fn start_with(
        contacts: Vec<Value>,
        script: Vec<Fault>,
        options: Options,
    ) -> io::Result<FaultServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            contacts,
            script: Mutex::new(script.into()),
            options,
            requests: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
        });
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        Ok(FaultServer { addr, state, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests received (complete request heads), faulted ones included.
    pub fn request_count(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// TCP connections accepted.
    pub fn connection_count(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Appends actions to the script.
    pub fn push(&self, actions: impl IntoIterator<Item = Fault>) {
        self.state
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(actions);
    }

    /// Faults not played yet.
    pub fn pending(&self) -> usize {
        self.state
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    state.connections.fetch_add(1, Ordering::SeqCst);
                    connections.spawn(serve(stream, state.clone()));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Reads one request head; `None` at EOF or on garbage.
async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Vec<u8>> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = buf[..end + 4].to_vec();
            buf.drain(..end + 4);
            return Some(head);
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn serve(mut stream: TcpStream, state: Arc<State>) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    // Bounded: a connection serves at most this many requests.
    for _ in 0..100_000 {
        let Some(head) = read_head(&mut stream, &mut buf).await else {
            return;
        };
        let text = String::from_utf8_lossy(&head).into_owned();
        let mut lines = text.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let method = first.next().unwrap_or_default().to_owned();
        let target = first.next().unwrap_or_default().to_owned();
        let mut authorization = None;
        let mut content_length = 0usize;
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "authorization" {
                    authorization = Some(value.trim().to_owned());
                } else if name == "content-length" {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        // Discard a request body, if any.
        while buf.len() < content_length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..content_length.min(buf.len()));

        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
            None => (target.clone(), None),
        };
        state.requests.fetch_add(1, Ordering::SeqCst);
        state
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Recorded {
                method,
                path: path.clone(),
                query: query.clone(),
                authorization,
            });
        let action = state
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
            .unwrap_or(Fault::Serve);
        let keep_going = respond(&mut stream, &state, &path, query.as_deref(), action).await;
        if !keep_going {
            return;
        }
    }
}

fn error_body(status: u16, message: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "message": message,
        "code": format!("08{:02}{status}", if status == 404 { 0 } else { 1 }),
        "status": status,
        "docs": "https://www.quo.com/docs",
        "title": reason(status),
        "trace": "fault-server-trace",
    }))
    .unwrap_or_default()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn head(status: u16, content_type: &str, len: usize, extra: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {len}\r\n{extra}\r\n",
        reason(status)
    )
    .into_bytes()
}

async fn send(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    extra: &str,
) -> bool {
    let mut out = head(status, content_type, body.len(), extra);
    out.extend_from_slice(body);
    stream.write_all(&out).await.is_ok()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decoded `(key, value)` pairs of a query string.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

/// The page body for a list request, or an error (status, body).
fn page_body(
    state: &State,
    query: Option<&str>,
    action: &Fault,
) -> Result<Vec<u8>, (u16, Vec<u8>)> {
    let pairs = query_pairs(query.unwrap_or_default());
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let size: usize = match get("maxResults").and_then(|v| v.parse().ok()) {
        Some(n) if (1..=50).contains(&n) => n,
        _ => return Err((400, error_body(400, "maxResults must be 1..=50"))),
    };
    let token = get("pageToken");
    let offset = match &token {
        None => 0,
        Some(t) => match t.strip_prefix("tok-").and_then(|o| o.parse::<usize>().ok()) {
            Some(o) if o <= state.contacts.len() => o,
            _ => return Err((400, error_body(400, "invalid pageToken"))),
        },
    };
    let end = (offset + size).min(state.contacts.len());
    let data: Vec<Value> = state.contacts[offset..end].to_vec();
    let mut next = (end < state.contacts.len()).then(|| format!("tok-{end}"));
    match action {
        Fault::RepeatToken => next = Some(token.clone().unwrap_or_else(|| "tok-0".to_owned())),
        Fault::NullToken => next = None,
        _ => {}
    }
    let mut page = serde_json::Map::new();
    page.insert("data".into(), Value::Array(data));
    let total = state.contacts.len();
    if !state.options.omit_total {
        page.insert(
            "totalItems".into(),
            if state.options.total_as_string {
                json!(total.to_string())
            } else {
                json!(total)
            },
        );
    }
    page.insert("nextPageToken".into(), json!(next));
    if state.options.extra_page_fields {
        page.insert(
            "pageInfo".into(),
            json!({"cursor": "x", "hasMore": next.is_some()}),
        );
        page.insert("apiVersion".into(), json!("v9"));
    }
    Ok(serde_json::to_vec(&Value::Object(page)).unwrap_or_default())
}

/// The normal answer for a request: (status, body).
fn normal(state: &State, path: &str, query: Option<&str>, action: &Fault) -> (u16, Vec<u8>) {
    if path == "/v1/contacts" {
        return match page_body(state, query, action) {
            Ok(body) => (200, body),
            Err(e) => e,
        };
    }
    if let Some(raw_id) = path.strip_prefix("/v1/contacts/") {
        let id = percent_decode(raw_id);
        if let Some(c) = state
            .contacts
            .iter()
            .find(|c| c.get("id").and_then(Value::as_str) == Some(&id))
        {
            return (
                200,
                serde_json::to_vec(&json!({ "data": c })).unwrap_or_default(),
            );
        }
        return (404, error_body(404, "Contact not found"));
    }
    (404, error_body(404, "Not found"))
}

/// Plays `action`; returns whether the connection stays open.
async fn respond(
    stream: &mut TcpStream,
    state: &State,
    path: &str,
    query: Option<&str>,
    action: Fault,
) -> bool {
    match action {
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            let (status, body) = normal(state, path, query, &Fault::Serve);
            send(stream, status, "application/json", &body, "").await
        }
        Fault::Disconnect => false,
        Fault::Raw { status, body } => {
            send(stream, status, "application/json", body.as_bytes(), "").await
        }
        Fault::Serve | Fault::RepeatToken | Fault::NullToken => {
            let (status, body) = normal(state, path, query, &action);
            send(stream, status, "application/json", &body, "").await
        }
        Fault::TooManyRequests { retry_after } => {
            let extra = retry_after
                .map(|v| format!("retry-after: {v}\r\n"))
                .unwrap_or_default();
            send(
                stream,
                429,
                "application/json",
                &error_body(429, "Too many requests"),
                &extra,
            )
            .await
        }
        Fault::Status(status) => {
            send(
                stream,
                status,
                "application/json",
                &error_body(status, "injected failure"),
                "",
            )
            .await
        }
        Fault::ResetMidBody => {
            let (_, body) = normal(state, path, query, &Fault::Serve);
            let mut out = head(200, "application/json", body.len(), "");
            out.extend_from_slice(&body[..body.len() / 2]);
            let _ = stream.write_all(&out).await;
            let _ = stream.flush().await;
            // Reset rather than close cleanly, where the platform allows it.
            let _ = stream.set_zero_linger();
            false
        }
        Fault::TruncatedJson => {
            let (_, body) = normal(state, path, query, &Fault::Serve);
            let cut = &body[..body.len() / 2];
            send(stream, 200, "application/json", cut, "").await
        }
        Fault::Html { status, size } => {
            let mut html =
                String::from("<!DOCTYPE html><html><head><title>Error</title></head><body>");
            while html.len() < size {
                html.push_str("<p>The upstream server is unavailable. Please try again later.</p>");
            }
            html.push_str("</body></html>");
            send(
                stream,
                status,
                "text/html; charset=utf-8",
                html.as_bytes(),
                "",
            )
            .await
        }
        Fault::Empty200 => send(stream, 200, "application/json", b"", "").await,
        Fault::StallBody => {
            let _ = stream
                .write_all(&head(200, "application/json", 1000, ""))
                .await;
            let _ = stream.flush().await;
            tokio::time::sleep(STALL_LIMIT).await;
            false
        }
        Fault::StallHeaders => {
            tokio::time::sleep(STALL_LIMIT).await;
            false
        }
        Fault::EmptyPageWithToken { padding } => {
            let offset = query_pairs(query.unwrap_or_default())
                .into_iter()
                .find(|(key, _)| key == "pageToken")
                .and_then(|(_, token)| token.strip_prefix("tok-")?.parse::<usize>().ok())
                .unwrap_or(0);
            let body = json!({
                "data": [],
                "totalItems": state.contacts.len(),
                "padding": "p".repeat(padding),
                "nextPageToken": format!("tok-{}", offset + 1),
            });
            let body = serde_json::to_vec(&body).unwrap_or_default();
            send(stream, 200, "application/json", &body, "").await
        }
        Fault::Redirect { status, location } => {
            let extra = format!("location: {location}\r\n");
            send(stream, status, "text/plain", b"", &extra).await
        }
        Fault::Large {
            status,
            size,
            json,
            announce,
        } => send_large(stream, status, size, json, announce).await,
        Fault::Endless => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                        transfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let piece = chunk_frame(&[b'x'; PIECE]);
            // Until the client hangs up (a write fails), or the limit.
            let _ = tokio::time::timeout(STALL_LIMIT, async {
                while stream.write_all(&piece).await.is_ok() {}
            })
            .await;
            false
        }
        other => {
            let message = format!("the fault server does not play {other:?}");
            send(
                stream,
                501,
                "application/json",
                &error_body(501, &message),
                "",
            )
            .await
        }
    }
}

/// The size of the pieces a large or endless body is written in.
const PIECE: usize = 64 * 1024;

/// One chunk of a chunked body.
fn chunk_frame(data: &[u8]) -> Vec<u8> {
    let mut frame = format!("{:x}\r\n", data.len()).into_bytes();
    frame.extend_from_slice(data);
    frame.extend_from_slice(b"\r\n");
    frame
}

/// Plays [`Fault::Large`]; returns whether the whole body was sent.
async fn send_large(
    stream: &mut TcpStream,
    status: u16,
    size: usize,
    json: bool,
    announce: bool,
) -> bool {
    let (content_type, first, last): (_, &[u8], &[u8]) = if json {
        ("application/json", b"\"", b"\"")
    } else {
        (
            "text/html",
            b"<!DOCTYPE html><html><body>",
            b"</body></html>",
        )
    };
    let fill = size.saturating_sub(first.len() + last.len());
    let framing = if announce {
        format!("content-length: {}\r\n", first.len() + fill + last.len())
    } else {
        "transfer-encoding: chunked\r\n".to_owned()
    };
    let head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\n{framing}\r\n",
        reason(status)
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    let piece = vec![b'x'; PIECE];
    let parts = std::iter::once(first)
        .chain(std::iter::repeat_n(&piece[..], fill / PIECE))
        .chain(std::iter::once(&piece[..fill % PIECE]))
        .chain(std::iter::once(last));
    for part in parts.filter(|part| !part.is_empty()) {
        let written = if announce {
            stream.write_all(part).await
        } else {
            stream.write_all(&chunk_frame(part)).await
        };
        if written.is_err() {
            return false;
        }
    }
    announce || stream.write_all(b"0\r\n\r\n").await.is_ok()
}
