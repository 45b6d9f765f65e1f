//! The stream behind [`Paginator::pages`](super::Paginator::pages): one
//! walk over the pages of a list, optionally requesting the next pages
//! while the current one is decoded and consumed.
//!
//! # How prefetching works
//!
//! With `ahead = n > 0` (on a tokio runtime), every page request is made
//! with a client that carries the walk's wish for its body
//! ([`QuoClient::for_page`]), so the policy hands the body to the walk as
//! soon as it has been read, before the generated code decodes it. The walk
//! reads the next token off the end of the body ([`peek`](super::peek)) and
//! starts the request for the next page at once, so up to `n` requests
//! travel while the current page is decoded and consumed.
//!
//! The policy runs each such request's exchange, from the rate limiter to
//! the last byte of the body, as a task of its own, so it makes progress
//! while the consumer works; the walk polls all of its requests, so each
//! exchange starts as soon as it is launched, and decodes the bodies where
//! it is polled. (Running whole requests as tasks, decoding included, was
//! measured slower, whether the walk was polled by a task or by
//! `block_on`.)
//!
//! Pages are still yielded strictly in order, each after the one before it.
//! A page fetched with a peeked token is used only if the decoded previous
//! page names the same token; otherwise it is dropped (its exchange
//! aborted) and the right page is requested. An error is yielded at the
//! place of the page it belongs to, so the items before it all arrive
//! first, and then the stream ends, dropping (aborting) any request still
//! running.
//!
//! With `ahead = 0`, or without a tokio runtime, no body is asked for: each
//! request runs inside the stream's own poll, after the previous page has
//! been yielded.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures::Stream;
use quo_api::pagination::Paginated;
use tokio::sync::oneshot;

use super::peek::{self, Peeked};
use super::progress::{Next, Progress};
use super::{Page, excerpt};
use crate::client::QuoClient;
use crate::error::{Error, Result};
use crate::policy::PageBody;

/// A walk over the pages of one list operation (see the module docs).
pub(crate) struct Walk<F, P> {
    /// The client each page request is made with.
    client: QuoClient,
    /// Fetches the page for a token (boxed so the walk is always `Unpin`).
    fetch: Box<F>,
    /// How many pages may be requested beyond the one yielded next.
    ahead: usize,
    /// Requests under way, in page order: the first is for the page yielded
    /// next; each later one was started with the token peeked off the body
    /// of the one before it.
    flights: VecDeque<Flight<P>>,
    /// What follows the last page yielded.
    next: Next,
    progress: Progress,
}

/// One page request under way.
struct Flight<P> {
    /// The token it was sent with (`None`: the first page).
    token: Option<String>,
    task: Task<P>,
    peek: PeekState,
}

/// A page request.
enum Task<P> {
    /// Polled by the walk, still under way.
    Running(Pin<Box<dyn Future<Output = Result<P>> + Send>>),
    /// Finished before the walk needed it; taken when it is. (Boxed so the
    /// walk is `Unpin` whatever the page type.)
    Finished(Option<Box<Result<P>>>),
}

/// What is known of the next token of a page under way.
enum PeekState {
    /// Waiting for the body (the sender is dropped if no 2xx body comes).
    Waiting(oneshot::Receiver<Bytes>),
    /// Read (or given up on).
    Read(Peeked),
}

impl<F, Fut, P> Walk<F, P>
where
    F: FnMut(QuoClient, Option<String>) -> Fut,
    Fut: Future<Output = Result<P>> + Send + 'static,
    P: Paginated + Send + 'static,
{
    /// A walk starting at `start` (`None`: the first page) that requests up
    /// to `ahead` pages beyond the one yielded next.
    pub(crate) fn new(client: QuoClient, fetch: F, start: Option<String>, ahead: usize) -> Self {
        Self {
            client,
            fetch: Box::new(fetch),
            ahead,
            flights: VecDeque::new(),
            progress: Progress::starting_at(start.as_deref()),
            next: Next::Fetch(start),
        }
    }

    /// Starts the request for `token`'s page.
    fn launch(&mut self, token: Option<String>) {
        if self.ahead == 0 || tokio::runtime::Handle::try_current().is_err() {
            let future = (self.fetch)(self.client.clone(), token.clone());
            let task = Task::Running(Box::pin(future));
            let peek = PeekState::Read(Peeked::Unknown);
            self.flights.push_back(Flight { token, task, peek });
            return;
        }
        let (sink, peek) = oneshot::channel();
        let peek = PeekState::Waiting(peek);
        // The policy runs the exchange as a task of its own, so it makes
        // progress while the walk's consumer works; the body is decoded
        // where the walk is polled.
        let client = self.client.for_page(PageBody::new(sink));
        let task = Task::Running(Box::pin((self.fetch)(client, token.clone())));
        self.flights.push_back(Flight { token, task, peek });
    }

    /// Polls every request after the first, so that each one's exchange
    /// starts as soon as it is launched and a page that arrives early is
    /// decoded while the walk waits for the one before it.
    fn advance_later_flights(&mut self, cx: &mut Context<'_>) {
        for flight in self.flights.iter_mut().skip(1) {
            flight.task.advance(cx);
        }
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

impl<F, Fut, P> Stream for Walk<F, P>
where
    F: FnMut(QuoClient, Option<String>) -> Fut,
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
        this.advance_later_flights(cx);
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
        this.advance_later_flights(cx);
        Poll::Ready(Some(Ok(page)))
    }
}

impl<P> Task<P> {
    /// Polls a request the walk runs itself, if it is still under way,
    /// keeping its result. (A spawned one runs on its own.)
    fn advance(&mut self, cx: &mut Context<'_>) {
        if let Task::Running(future) = self
            && let Poll::Ready(result) = future.as_mut().poll(cx)
        {
            *self = Task::Finished(Some(Box::new(result)));
        }
    }

    /// The request's result, once it has one.
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<P>> {
        match self {
            Task::Running(future) => future.as_mut().poll(cx),
            Task::Finished(result) => match result.take() {
                Some(result) => Poll::Ready(*result),
                // Taken already; the walk never polls a flight twice after that.
                None => Poll::Pending,
            },
        }
    }
}
