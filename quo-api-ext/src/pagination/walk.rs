//! The stream behind [`Paginator::pages`](super::Paginator::pages): one
//! walk over the pages of a list, optionally requesting the next pages
//! while the current one is decoded and consumed.
//!
//! # How prefetching works
//!
//! With `ahead = n > 0`, each page request runs as its own tokio task. The
//! policy hands the task's response body to the walk as soon as it has been
//! read, before the generated code decodes it ([`with_body_sink`]). The walk
//! reads the next token off the end of the body ([`peek`](super::peek)) and
//! starts the request for the next page at once, so the network time and
//! the decoding of up to `n + 1` pages overlap (on a multi-threaded runtime
//! the decoding itself runs in parallel).
//!
//! Pages are still yielded strictly in order, each after the one before it.
//! A page fetched with a peeked token is used only if the decoded previous
//! page names the same token; otherwise it is dropped (its task aborted) and
//! the right page is requested. An error is yielded at the place of the page
//! it belongs to, so the items before it all arrive first, and then the
//! stream ends, dropping (aborting) any request still running.
//!
//! With `ahead = 0` nothing is spawned: each request runs inside the
//! stream's own poll, after the previous page has been yielded.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures::Stream;
use quo_api::pagination::Paginated;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tracing::Instrument;

use super::peek::{self, Peeked};
use super::progress::{Next, Progress};
use super::{Page, excerpt};
use crate::error::{Error, Result};
use crate::policy::with_body_sink;

/// A walk over the pages of one list operation (see the module docs).
pub(crate) struct Walk<F, Fut, P> {
    /// Fetches the page for a token (boxed so the walk is always `Unpin`).
    fetch: Box<F>,
    /// How many pages may be requested beyond the one yielded next.
    ahead: usize,
    /// Requests under way, in page order: the first is for the page yielded
    /// next; each later one was started with the token peeked off the body
    /// of the one before it.
    flights: VecDeque<Flight<Fut, P>>,
    /// What follows the last page yielded.
    next: Next,
    progress: Progress,
}

/// One page request under way.
struct Flight<Fut, P> {
    /// The token it was sent with (`None`: the first page).
    token: Option<String>,
    task: Task<Fut, P>,
    peek: PeekState,
}

/// Where a page request runs.
enum Task<Fut, P> {
    /// Polled by the walk itself (no prefetching).
    Inline(Pin<Box<Fut>>),
    /// A tokio task, aborted if the walk drops it.
    Spawned(AbortOnDrop<Result<P>>),
}

/// What is known of the next token of a page under way.
enum PeekState {
    /// Waiting for the body (the sender is dropped if no 2xx body comes).
    Waiting(oneshot::Receiver<Bytes>),
    /// Read (or given up on).
    Read(Peeked),
}

/// A task handle that aborts the task when dropped.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<F, Fut, P> Walk<F, Fut, P>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P>> + Send + 'static,
    P: Paginated + Send + 'static,
{
    /// A walk starting at `start` (`None`: the first page) that requests up
    /// to `ahead` pages beyond the one yielded next.
    pub(crate) fn new(fetch: F, start: Option<String>, ahead: usize) -> Self {
        Self {
            fetch: Box::new(fetch),
            ahead,
            flights: VecDeque::new(),
            progress: Progress::starting_at(start.as_deref()),
            next: Next::Fetch(start),
        }
    }

    /// Starts the request for `token`'s page.
    fn launch(&mut self, token: Option<String>) {
        let future = (self.fetch)(token.clone());
        let flight = match tokio::runtime::Handle::try_current() {
            Ok(runtime) if self.ahead > 0 => {
                let (sink, peek) = oneshot::channel();
                let span = tracing::Span::current();
                let task = runtime.spawn(with_body_sink(sink, future).instrument(span));
                Flight {
                    token,
                    task: Task::Spawned(AbortOnDrop(task)),
                    peek: PeekState::Waiting(peek),
                }
            }
            _ => Flight {
                token,
                task: Task::Inline(Box::pin(future)),
                peek: PeekState::Read(Peeked::Unknown),
            },
        };
        self.flights.push_back(flight);
    }

    /// Starts requests for the pages after the newest one under way, as far
    /// as their tokens can be peeked and `ahead` allows.
    fn speculate(&mut self, cx: &mut Context<'_>) {
        while self.flights.len() <= self.ahead {
            let Some(newest) = self.flights.back_mut() else {
                return;
            };
            if let PeekState::Waiting(receiver) = &mut newest.peek {
                let peeked = match Pin::new(receiver).poll(cx) {
                    Poll::Pending => return,
                    Poll::Ready(Ok(body)) => peek::next_page_token(&body),
                    Poll::Ready(Err(_)) => Peeked::Unknown,
                };
                newest.peek = PeekState::Read(peeked);
            }
            let PeekState::Read(Peeked::Token(token)) = &newest.peek else {
                return;
            };
            let token = token.clone();
            let under_way = self
                .flights
                .iter()
                .any(|f| f.token.as_deref() == Some(token.as_str()));
            if under_way || self.progress.has_sent(&token) {
                return;
            }
            self.launch(Some(token));
        }
    }

    /// Ends the walk with `error`.
    fn fail(&mut self, error: Error) -> Poll<Option<Result<Page<P::Item>>>> {
        self.flights.clear();
        self.next = Next::Done;
        Poll::Ready(Some(Err(error)))
    }
}

impl<F, Fut, P> Stream for Walk<F, Fut, P>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P>> + Send + 'static,
    P: Paginated + Send + 'static,
{
    type Item = Result<Page<P::Item>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match &this.next {
            Next::Done => return Poll::Ready(None),
            Next::Loop(token) => {
                let error = Error::PaginationLoop {
                    token_excerpt: excerpt(token),
                };
                return this.fail(error);
            }
            Next::Fetch(token) => {
                if this.flights.is_empty() {
                    let token = token.clone();
                    this.launch(token);
                }
            }
        }
        this.speculate(cx);
        let Some(head) = this.flights.front_mut() else {
            // `launch` always adds a flight; nothing to wait for otherwise.
            return Poll::Ready(None);
        };
        let result = ready!(head.task.poll(cx));
        let token = this.flights.pop_front().and_then(|head| head.token);
        let page = match result {
            Ok(response) => Page::from_response(response),
            Err(error) => return this.fail(error),
        };
        let next = match this.progress.after::<P>(token.as_deref(), &page) {
            Ok(next) => next,
            Err(error) => return this.fail(error),
        };
        // Keep the requests already started only if they follow this page.
        let follows = match (&next, this.flights.front()) {
            (Next::Fetch(next), Some(flight)) => flight.token == *next,
            _ => false,
        };
        if !follows {
            this.flights.clear();
        }
        this.next = next;
        // When prefetching, start the next request now rather than when
        // this page is used up.
        if this.ahead > 0
            && this.flights.is_empty()
            && let Next::Fetch(token) = &this.next
        {
            let token = token.clone();
            this.launch(token);
        }
        this.speculate(cx);
        Poll::Ready(Some(Ok(page)))
    }
}

impl<Fut, P> Task<Fut, P>
where
    Fut: Future<Output = Result<P>>,
{
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<P>> {
        match self {
            Task::Inline(future) => future.as_mut().poll(cx),

            Task::Spawned(task) => match ready!(Pin::new(&mut task.0).poll(cx)) {
                Ok(result) => Poll::Ready(result),
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                Err(_) => Poll::Ready(Err(Error::Other(
                    "a page request was cancelled: the runtime is shutting down".to_owned(),
                ))),
            },
        }
    }
}
