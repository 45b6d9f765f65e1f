//! Injected failures, so that a client's retry and error paths can be seen.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A failure a test server plays instead of (or before) its normal answer:
/// the one vocabulary of the demo server ([`DemoServer::inject`]) and of the
/// workspace tests' TCP-level fault server.
///
/// Queued faults are consumed one per request, whatever the request is, before
/// authentication and routing.
///
/// The demo server speaks HTTP through `hyper`, which refuses to misbehave at
/// the byte level: it plays the variants up to [`Fault::Raw`] and
/// [`Fault::Serve`], [`Fault::Empty200`], [`Fault::TruncatedJson`] and
/// [`Fault::StallHeaders`]. Every other variant (marked "fault server only")
/// it answers with a `501` whose error body names the fault, so a test that
/// asks for one there fails visibly.
///
/// [`DemoServer::inject`]: super::DemoServer::inject
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// No failure: this request is answered normally (a script entry that
    /// lets one request through).
    Serve,
    /// `429 Too Many Requests` with a rate-limit error body and, when given,
    /// this `Retry-After` header (seconds such as `"1"`, or an HTTP date).
    TooManyRequests {
        /// The `Retry-After` header value; `None` sends no header.
        retry_after: Option<String>,
    },
    /// This status (e.g. 500, 502, 503, 504) with a spec-shaped JSON error
    /// body. A 1xx or a number that is not a valid HTTP status becomes 500.
    Status(u16),
    /// Waits this long, then answers normally: for client timeouts.
    Delay(Duration),
    /// Closes the connection without answering: for transport errors.
    Disconnect,
    /// This status and this body, verbatim, as `application/json`: for
    /// malformed or unexpected payloads.
    Raw {
        /// HTTP status; a 1xx or an invalid number becomes 500.
        status: u16,
        /// The body, sent as is.
        body: String,
    },
    /// A complete `200` response whose JSON body is the normal one cut in
    /// the middle (`Content-Length` matches what is sent).
    TruncatedJson,
    /// `200` with an empty body.
    Empty200,
    /// Reads the request and never answers, until the client gives up.
    StallHeaders,
    /// Fault server only: headers with the full `Content-Length`, about half
    /// of the real body, then the connection is reset.
    ResetMidBody,
    /// Fault server only: an HTML error page of about `size` bytes with this
    /// status.
    Html {
        /// HTTP status.
        status: u16,
        /// Approximate body size in bytes.
        size: usize,
    },
    /// Fault server only: headers (with a `Content-Length`), then nothing,
    /// until the client gives up.
    StallBody,
    /// Fault server only: the normal page, but its `nextPageToken` is the
    /// token this request sent (for the first page: `tok-0`, a token that
    /// leads back to it).
    RepeatToken,
    /// Fault server only: the normal page, but with a `null`
    /// `nextPageToken` even if more follow.
    NullToken,
    /// Fault server only: a page with no contacts but a `nextPageToken`
    /// (`tok-<offset + 1>`), padded with an unknown field of `padding`
    /// bytes (so that decoding it takes a moment).
    EmptyPageWithToken {
        /// Size of the padding field's value, in bytes.
        padding: usize,
    },
    /// Fault server only: a redirect with this status to `location` (sent
    /// as is), empty body.
    Redirect {
        /// HTTP status, e.g. 302.
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// Fault server only: a body of `size` bytes, written in 64 KiB pieces
    /// (never held whole by the server): `"xxx…"` (a JSON string) when
    /// `json`, else an HTML page; with a `Content-Length` when `announce`,
    /// else chunked.
    Large {
        /// HTTP status.
        status: u16,
        /// Body size in bytes.
        size: usize,
        /// A JSON string rather than HTML.
        json: bool,
        /// Whether a `Content-Length` is sent.
        announce: bool,
    },
    /// Fault server only: `200` and a chunked JSON body that never ends,
    /// until the client hangs up.
    Endless,
}

impl Fault {
    /// A 429 whose `Retry-After` asks the client to wait `seconds`.
    pub fn rate_limited(seconds: u64) -> Fault {
        Fault::TooManyRequests {
            retry_after: Some(seconds.to_string()),
        }
    }

    /// A 429 without `Retry-After`.
    pub fn too_many() -> Fault {
        Fault::TooManyRequests { retry_after: None }
    }
}

/// A shared, thread-safe FIFO of [`Fault`]s. Clones share one queue, so a test
/// can keep a handle and inject faults while the server runs.
#[derive(Debug, Clone, Default)]
pub struct FaultQueue {
    inner: Arc<Mutex<VecDeque<Fault>>>,
}

impl FaultQueue {
    /// An empty queue.
    pub fn new() -> FaultQueue {
        FaultQueue::default()
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Fault>> {
        // A panic elsewhere while holding the lock leaves a valid queue.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues one fault for a coming request.
    pub fn push(&self, fault: Fault) {
        self.lock().push_back(fault);
    }

    /// Queues several faults, played in order on consecutive requests.
    pub fn extend(&self, faults: impl IntoIterator<Item = Fault>) {
        self.lock().extend(faults);
    }

    /// Number of faults not played yet.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether every queued fault has been played.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Drops every fault not played yet.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Takes the next fault, if any.
    pub(crate) fn pop(&self) -> Option<Fault> {
        self.lock().pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_fifo() {
        let queue = FaultQueue::new();
        let handle = queue.clone();
        handle.extend([Fault::Status(503), Fault::rate_limited(2)]);
        assert_eq!(queue.len(), 2);
        assert_eq!(queue.pop(), Some(Fault::Status(503)));
        assert_eq!(
            queue.pop(),
            Some(Fault::TooManyRequests {
                retry_after: Some("2".into())
            })
        );
        assert!(handle.is_empty());
        assert_eq!(queue.pop(), None);
    }
}
