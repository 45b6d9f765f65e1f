//! Injected failures, so that a client's retry and error paths can be seen.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A failure the server plays instead of (or before) its normal answer.
///
/// Queued faults are consumed one per request, whatever the request is, before
/// authentication and routing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
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
}

impl Fault {
    /// A 429 whose `Retry-After` asks the client to wait `seconds`.
    pub fn rate_limited(seconds: u64) -> Fault {
        Fault::TooManyRequests {
            retry_after: Some(seconds.to_string()),
        }
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
