//! The stream behind [`Paginator::pages`](super::Paginator::pages): one
//! walk over the pages of a list, optionally requesting the next page while
//! the current one is decoded and consumed.
//!
//! # How prefetching works
//!
//! When prefetching (on a tokio runtime), every page request is made with a
//! client that carries the walk's wish for its body
//! ([`QuoClient::for_page`]), so the policy hands the body to the walk as
//! soon as it has been read, before the generated code decodes it. The walk
//! reads the next token off the end of the body ([`peek`](super::peek)) and
//! starts the request for the following page at once, so it travels while
//! the current page is decoded and consumed.
//!
//! At most one request runs ahead of the page yielded next: each request
//! needs the token at the end of the page before it, so a second one could
//! only start once the first one's body is in, which is when the walk
//! starts it anyway. (A walk that kept two requests ahead measured the same
//! as one.)
//!
//! The policy runs each such request's exchange, from the rate limiter to
//! the last byte of the body, as a task of its own, so it makes progress
//! while the consumer works; the walk polls each request as soon as it is
//! launched, so its exchange starts at once, and decodes the bodies where
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
//! Without prefetching, or without a tokio runtime, no body is asked for:
//! each request runs inside the stream's own poll, after the previous page
//! has been yielded.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures::Stream;
use quo_api::pagination::Paginated;
use tokio::sync::oneshot;

use super::Page;
use super::peek::{self, Peeked};
use super::progress::{Next, Progress};
use crate::client::QuoClient;
use crate::error::{Error, Result, quote_token};
use crate::policy::PageBody;

/// A walk over the pages of one list operation (see the module docs).
pub(crate) struct Walk<F, P> {
    /// The client each page request is made with.
    client: QuoClient,
    /// Fetches the page for a token (boxed so the walk is always `Unpin`).
    fetch: Box<F>,
    /// Whether to request the next page before this one is used up.
    prefetch: bool,
    /// The request for the page yielded next, once started.
    head: Option<Flight<P>>,
    /// The request for the page after it, started with the token peeked
    /// off the head's body (prefetching only).
    ahead: Option<Flight<P>>,
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
    /// A walk starting at `start` (`None`: the first page) that requests
    /// the next page early if `prefetch`.
    pub(crate) fn new(client: QuoClient, fetch: F, start: Option<String>, prefetch: bool) -> Self {
        Self {
            client,
            fetch: Box::new(fetch),
            prefetch,
            head: None,
            ahead: None,
            progress: Progress::starting_at(start.as_deref()),
            next: Next::Fetch(start),
        }
    }

    /// Starts the request for `token`'s page.
    fn launch(&mut self, token: Option<String>) -> Flight<P> {
        if !self.prefetch || tokio::runtime::Handle::try_current().is_err() {
            let future = (self.fetch)(self.client.clone(), token.clone());
            let task = Task::Running(Box::pin(future));
            let peek = PeekState::Read(Peeked::Unknown);
            return Flight { token, task, peek };
        }
        let (sink, peek) = oneshot::channel();
        let peek = PeekState::Waiting(peek);
        // The policy runs the exchange as a task of its own, so it makes
        // progress while the walk's consumer works; the body is decoded
        // where the walk is polled.
        let client = self.client.for_page(PageBody::new(sink));
        let task = Task::Running(Box::pin((self.fetch)(client, token.clone())));
        Flight { token, task, peek }
    }

    /// Starts the request for the page after the head, once its token can
    /// be peeked, unless one is under way or the token was sent already.
    fn look_ahead(&mut self, cx: &mut Context<'_>) {
        if self.ahead.is_some() {
            return;
        }
        let Some(head) = self.head.as_mut() else {
            return;
        };
        let Some(token) = head.peek.token(cx) else {
            return;
        };
        if head.token.as_deref() == Some(token.as_str()) || self.progress.has_sent(&token) {
            return;
        }
        self.ahead = Some(self.launch(Some(token)));
    }

    /// Polls the request ahead, so that its exchange starts as soon as it
    /// is launched and a page that arrives early is decoded while the walk
    /// waits for the head.
    fn advance_ahead(&mut self, cx: &mut Context<'_>) {
        if let Some(ahead) = self.ahead.as_mut() {
            ahead.task.advance(cx);
        }
    }

    /// Ends the walk with `error`.
    fn fail(&mut self, error: Error) -> Poll<Option<Result<Page<P::Item>>>> {
        self.head = None;
        self.ahead = None;
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
                    token_excerpt: quote_token(token),
                };
                return this.fail(error);
            }
            Next::Fetch(token) => {
                if this.head.is_none() {
                    let token = token.clone();
                    this.head = Some(this.launch(token));
                }
            }
        }
        this.look_ahead(cx);
        this.advance_ahead(cx);
        let Some(head) = this.head.as_mut() else {
            // Launched just above; nothing to wait for otherwise.
            return Poll::Ready(None);
        };
        let result = ready!(head.task.poll(cx));
        let token = this.head.take().and_then(|head| head.token);
        let page = match result {
            Ok(response) => Page::from_response(response),
            Err(error) => return this.fail(error),
        };
        let next = match this.progress.after::<P>(token.as_deref(), &page) {
            Ok(next) => next,
            Err(error) => return this.fail(error),
        };
        // The request ahead becomes the head only if it follows this page;
        // otherwise it is dropped (aborted). When prefetching, the next
        // request starts now rather than when this page is used up.
        let ahead = this.ahead.take();
        if let Next::Fetch(token) = &next {
            this.head = match ahead {
                Some(flight) if flight.token == *token => Some(flight),
                _ if this.prefetch => {
                    let mut flight = this.launch(token.clone());
                    // Its exchange starts now, while this page is consumed.
                    // (A head that was the request ahead is running
                    // already; polling it here could decode its page
                    // before the next request is launched.)
                    flight.task.advance(cx);
                    Some(flight)
                }
                _ => None,
            };
        }
        this.next = next;
        this.look_ahead(cx);
        this.advance_ahead(cx);
        Poll::Ready(Some(Ok(page)))
    }
}

impl PeekState {
    /// The next token, once the body has been read and names one.
    fn token(&mut self, cx: &mut Context<'_>) -> Option<String> {
        if let PeekState::Waiting(receiver) = self {
            let peeked = match Pin::new(receiver).poll(cx) {
                Poll::Pending => return None,
                Poll::Ready(Ok(body)) => peek::next_page_token(&body),
                Poll::Ready(Err(_)) => Peeked::Unknown,
            };
            *self = PeekState::Read(peeked);
        }
        match self {
            PeekState::Read(Peeked::Token(token)) => Some(token.clone()),
            _ => None,
        }
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
