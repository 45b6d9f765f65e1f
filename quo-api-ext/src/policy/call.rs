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

/// A prefetching walk's wish for one page request's body: the first
/// successful body is sent to it, so the walk can read the next token.
/// The request's exchange runs as a task of its own (see
/// [`CallPolicy::execute`]).
#[derive(Debug)]
pub(crate) struct PageBody {
    sender: oneshot::Sender<Bytes>,
}

impl PageBody {
    /// A wish that sends the body to `sender`.
    pub(crate) fn new(sender: oneshot::Sender<Bytes>) -> Self {
        Self { sender }
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
    /// for it, if any and not served yet.
    pub(super) fn offer_body(&self, body: &Bytes) {
        let wish = self
            .page_body
            .as_ref()
            .and_then(|wish| wish.lock().unwrap_or_else(PoisonError::into_inner).take());
        if let Some(wish) = wish {
            // The receiver may be gone (the walk moved on): nothing to do.
            let _ = wish.sender.send(body.clone());
        }
    }

    /// Whether a walk waits for this call's body and has not been served
    /// yet.
    fn has_page_body_wish(&self) -> bool {
        self.page_body.as_ref().is_some_and(|wish| {
            wish.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_some()
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
    /// The request of a prefetching walk (one that waits for its body)
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
            Ok(runtime) if self.state.has_page_body_wish() => runtime,
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
