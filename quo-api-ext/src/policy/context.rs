//! Per-call state shared between `QuoClient::call` and the policy.
//!
//! The generated code hands the policy a request and gets a response back;
//! nothing else passes between the caller and the policy. Three task-local
//! slots carry what must cross that boundary:
//!
//! - [`RETRY_NON_IDEMPOTENT`]: set by the caller to allow retrying a `POST`
//!   or `PATCH` for the calls inside its scope;
//! - [`OUTCOME`]: written by the policy with the final response's status and
//!   `Retry-After`, read by `QuoClient::call` to classify errors, because
//!   progenitor's `Error::InvalidResponsePayload` does not keep the status;
//! - [`BODY_SINK`]: set by a prefetching page walk to receive a successful
//!   response's body as soon as it has arrived, before the generated code
//!   decodes it, so the next page's token can be read off it early; it also
//!   says whether the policy should run the exchange as a task of its own
//!   ([`PrefetchMode`]), which then takes all three slots along
//!   ([`Carried`]).
//!
//! Outside these scopes (a request sent through `client.raw()` directly) the
//! policy uses its defaults and records nothing.

use std::cell::RefCell;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::oneshot;

tokio::task_local! {
    /// Whether non-idempotent requests in this scope may be retried.
    static RETRY_NON_IDEMPOTENT: bool;
    /// Where the policy records the outcome of the request in this scope.
    static OUTCOME: Arc<Mutex<Outcome>>;
    /// Where the policy sends the first successful response body in this scope.
    static BODY_SINK: RefCell<Option<BodySink>>;
}

/// What the policy learnt about the last request sent in a call's scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Outcome {
    /// Status of the final response, once its headers arrived (its body may
    /// then have failed); `None` if none arrived.
    pub(crate) status: Option<u16>,
    /// `Retry-After` of the final response, if it had a valid one.
    pub(crate) retry_after: Option<Duration>,
    /// Attempts made (1 when the request was not retried).
    pub(crate) attempts: u32,
    /// Whether the last attempt's timeout was shortened to end at the
    /// overall retry deadline.
    pub(crate) deadline_limited: bool,
}

/// A slot for one call's [`Outcome`].
#[derive(Debug, Clone, Default)]
pub(crate) struct OutcomeSlot(Arc<Mutex<Outcome>>);

impl OutcomeSlot {
    /// Runs `future` with this slot as the place the policy records outcomes.
    pub(crate) async fn scope<F: Future>(&self, future: F) -> F::Output {
        OUTCOME.scope(Arc::clone(&self.0), future).await
    }

    /// The outcome recorded so far.
    pub(crate) fn get(&self) -> Outcome {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Records `outcome` in the current call's slot, if there is one.
pub(crate) fn record(outcome: Outcome) {
    let _ = OUTCOME.try_with(|slot| {
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = outcome;
    });
}

/// Runs `future` with non-idempotent retries allowed (or not) inside it.
pub(crate) async fn with_non_idempotent_retries<F: Future>(allow: bool, future: F) -> F::Output {
    RETRY_NON_IDEMPOTENT.scope(allow, future).await
}

/// Whether the caller allowed retrying non-idempotent requests here.
pub(crate) fn non_idempotent_retries_allowed() -> bool {
    RETRY_NON_IDEMPOTENT
        .try_with(|allow| *allow)
        .unwrap_or(false)
}

/// Where a prefetching page walk runs a request, which decides where the
/// policy runs the exchange and where the body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrefetchMode {
    /// The whole request, decoding included, runs as a task of its own, so
    /// pages decode in parallel on the runtime's workers. For walks polled
    /// by a task.
    WholeRequestTask,
    /// The walk polls the request itself and the policy runs only the
    /// exchange as a task; the body is decoded where the walk is polled.
    /// For walks polled outside any task (the future given to `block_on` or
    /// `#[tokio::main]`), whose thread would otherwise sleep while a worker
    /// decodes, and then have to be woken.
    SpawnedExchange,
    /// Inside such a spawned exchange.
    Exchange,
}

/// A prefetching walk's wish for one request's body.
struct BodySink {
    sender: oneshot::Sender<Bytes>,
    mode: PrefetchMode,
}

/// Runs `future` so that the first successful (2xx) response body received
/// inside it is also sent to `sink`, as soon as it has been read; `mode`
/// says how the walk runs the request.
pub(crate) async fn with_body_sink<F: Future>(
    sink: oneshot::Sender<Bytes>,
    mode: PrefetchMode,
    future: F,
) -> F::Output {
    let sink = BodySink { sender: sink, mode };
    BODY_SINK.scope(RefCell::new(Some(sink)), future).await
}

/// What a request sent for a prefetching page walk carries into the task
/// that runs its exchange: the walk's body sink and the caller's other
/// task-local state, which a spawned task would otherwise not see.
pub(crate) struct Carried {
    sink: oneshot::Sender<Bytes>,
    retry_non_idempotent: bool,
    outcome: Arc<Mutex<Outcome>>,
}

impl Carried {
    /// When the current scope has an unused body sink of a walk that wants
    /// the exchange spawned ([`PrefetchMode::SpawnedExchange`]), takes it
    /// along with the rest of the scope's state.
    pub(crate) fn take() -> Option<Self> {
        let sink = BODY_SINK
            .try_with(|sink| {
                let mut sink = sink.borrow_mut();
                match sink.as_ref() {
                    Some(wish) if wish.mode == PrefetchMode::SpawnedExchange => sink.take(),
                    _ => None,
                }
            })
            .ok()
            .flatten()?;
        Some(Self {
            sink: sink.sender,
            retry_non_idempotent: non_idempotent_retries_allowed(),
            // Without a caller's slot, the outcome is recorded nowhere useful.
            outcome: OUTCOME.try_with(Arc::clone).unwrap_or_default(),
        })
    }

    /// Runs `future` in the same scope as the one this was taken from.
    pub(crate) async fn scope<F: Future>(self, future: F) -> F::Output {
        let sink = BodySink {
            sender: self.sink,
            mode: PrefetchMode::Exchange,
        };
        let future = BODY_SINK.scope(RefCell::new(Some(sink)), future);
        let future = OUTCOME.scope(self.outcome, future);
        RETRY_NON_IDEMPOTENT
            .scope(self.retry_non_idempotent, future)
            .await
    }
}

/// Hands `body` (a cheap reference-counted clone) to the current scope's
/// body sink, if there is one and it has not been used yet; returns the
/// walk's mode if it did.
pub(crate) fn offer_body(body: &Bytes) -> Option<PrefetchMode> {
    BODY_SINK
        .try_with(|sink| {
            let sink = sink.borrow_mut().take()?;
            // The receiver may be gone (the walk moved on): nothing to do.
            let _ = sink.sender.send(body.clone());
            Some(sink.mode)
        })
        .ok()
        .flatten()
}
