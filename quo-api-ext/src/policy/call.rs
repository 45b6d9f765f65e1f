//! What one call and the policy hand each other, as explicit values.
//!
//! The generated code takes a request, runs the client's hooks and decodes
//! the answer; nothing else passes through it. So each
//! [`QuoClient::call`](crate::QuoClient::call) builds a generated client of
//! its own whose hooks are a [`CallPolicy`]: the client's shared
//! [`Policy`] plus this call's [`CallState`]. Through it the policy
//! records the final status, `Retry-After` and attempts ([`Outcome`]:
//! progenitor's `InvalidResponsePayload` does not keep the status), and
//! hands a prefetching page walk the response body as soon as it has
//! arrived ([`PageBody`]), before the generated code decodes it.

use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use quo_api::hooks::{ExecFuture, RequestPolicy};
use tokio::sync::oneshot;
use tokio_util::task::AbortOnDropHandle;
use tracing::Instrument;

use super::Policy;
use crate::error::Outcome;

/// Where a prefetching page walk runs a page request, which decides where
/// the policy runs the exchange and where the body is decoded.
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
}

/// A prefetching walk's wish for one page request's body: the first
/// successful body is sent to it, so the walk can read the next token.
#[derive(Debug)]
pub(crate) struct PageBody {
    sender: oneshot::Sender<Bytes>,
    mode: PrefetchMode,
}

impl PageBody {
    /// A wish that sends the body to `sender`, the request running as
    /// `mode` says.
    pub(crate) fn new(sender: oneshot::Sender<Bytes>, mode: PrefetchMode) -> Self {
        Self { sender, mode }
    }
}

/// A [`PageBody`] wish that every call made with one client value shares;
/// the first successful body takes it.
pub(crate) type SharedPageBody = Arc<Mutex<Option<PageBody>>>;

/// The state of one call: what the policy learnt, and where a page body
/// goes.
#[derive(Debug, Default)]
pub(crate) struct CallState {
    outcome: Mutex<Outcome>,
    page_body: Option<SharedPageBody>,
}

impl CallState {
    /// A call whose first successful body goes to `page_body`, if any.
    pub(crate) fn new(page_body: Option<SharedPageBody>) -> Self {
        Self {
            outcome: Mutex::default(),
            page_body,
        }
    }

    /// The outcome recorded so far.
    pub(crate) fn outcome(&self) -> Outcome {
        self.outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records the outcome of the call's last request.
    pub(super) fn record(&self, outcome: Outcome) {
        *self.outcome.lock().unwrap_or_else(PoisonError::into_inner) = outcome;
    }

    /// Hands `body` (a cheap reference-counted clone) to the walk waiting
    /// for it, if any and not served yet; returns the walk's mode if it did.
    pub(super) fn offer_body(&self, body: &Bytes) -> Option<PrefetchMode> {
        let wish = self
            .page_body
            .as_ref()?
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        // The receiver may be gone (the walk moved on): nothing to do.
        let _ = wish.sender.send(body.clone());
        Some(wish.mode)
    }

    /// Whether a walk wants this call's exchange run as a task of its own
    /// and has not been served yet.
    fn wants_spawned_exchange(&self) -> bool {
        self.page_body.as_ref().is_some_and(|wish| {
            wish.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_ref()
                .is_some_and(|wish| wish.mode == PrefetchMode::SpawnedExchange)
        })
    }
}

/// The hooks of one call's generated client: the shared policy and the
/// call's state.
#[derive(Clone)]
pub(crate) struct CallPolicy {
    policy: Arc<Policy>,
    state: Arc<CallState>,
}

impl CallPolicy {
    /// Runs `policy` for the requests of the call whose state is `state`.
    pub(crate) fn new(policy: Arc<Policy>, state: Arc<CallState>) -> Self {
        Self { policy, state }
    }
}

impl RequestPolicy for CallPolicy {
    /// Sends `request` as the policy says, recording into the call's state.
    ///
    /// The request of a walk that asked for [`PrefetchMode::SpawnedExchange`]
    /// runs its exchange, from the rate limiter to the last byte of the
    /// body, in a task of its own. The exchange then makes progress whether
    /// or not the walk's consumer is polling, while the decoding that
    /// follows stays on the consumer's thread. The task is aborted if the
    /// request is dropped.
    fn execute<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecFuture<'a> {
        let runtime = match tokio::runtime::Handle::try_current() {
            Ok(runtime) if self.state.wants_spawned_exchange() => runtime,
            _ => return Box::pin(self.policy.send(http, request, operation_id, &self.state)),
        };
        let (call, http) = (self.clone(), http.clone());
        let exchange = async move {
            call.policy
                .send(&http, request, operation_id, &call.state)
                .await
        };
        let task = AbortOnDropHandle::new(runtime.spawn(exchange.in_current_span()));
        Box::pin(async move {
            match task.await {
                Ok(result) => result,
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                // Only the runtime shutting down cancels it (the handle is
                // held here), and that drops this future too.
                Err(_) => std::future::pending().await,
            }
        })
    }
}
