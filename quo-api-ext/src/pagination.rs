//! Lazy page and item streams for every Quo list operation.
//!
//! Quo's v1 list operations all follow one pattern: send `maxResults` and an
//! opaque `pageToken`, receive `{ data, totalItems, nextPageToken }`. The raw
//! client implements [`Paginated`] for each such response type, so one
//! generic [`Paginator`] walks any of them. There is no per-operation loop and
//! a user never handles a page token.
//!
//! # Walking a list
//!
//! [`QuoClient::paginate`] turns "fetch one page for this token" into streams:
//!
//! ```no_run
//! # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
//! use std::num::NonZeroU64;
//! use futures::TryStreamExt;
//!
//! let page_size = NonZeroU64::new(50).unwrap();
//! let mut contacts = client
//!     .paginate(move |c, token| async move {
//!         c.call(|raw| async move {
//!             raw.list_contacts_v1(None, page_size, token.as_deref(), None).await
//!         })
//!         .await
//!     })
//!     .items();
//! while let Some(contact) = contacts.try_next().await? {
//!     println!("{}", contact.id);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! For contacts, [`Contacts::list`](crate::contacts::Contacts::list) does this for you,
//! with validated filters.
//!
//! # Guarantees
//!
//! * **Lazy.** Nothing is sent until the stream is polled, and by default
//!   each page is one request, sent only when the previous page's items are
//!   used up. With [`Paginator::prefetch`] (or
//!   [`List::prefetch`](crate::List::prefetch)) the next page is requested
//!   as soon as the current page's body has arrived, so it travels while
//!   the current page is decoded and consumed.
//! * **In order, exactly once.** Pages and items come in server order, and
//!   prefetching never changes which items are yielded or where an error
//!   appears: a page fetched ahead is used only if the page before it
//!   really names its token.
//! * **Finite.** The walk ends after a page whose `nextPageToken` is null or
//!   empty, or after a page with no items, readable or not (whatever its
//!   token says). If the
//!   server hands back a token already used in this walk, or a page already
//!   yielded (the same item ids in the same order) under a new token, the
//!   stream yields one [`Error::PaginationLoop`] and ends instead of looping
//!   or repeating items.
//! * **No page lost to one item.** Each item of a page is decoded on its
//!   own. An item that cannot be read is yielded by the items streams as
//!   [`Error::UnreadableItem`] at its place
//!   (naming its index in the page and its id), and the walk goes on with
//!   the rest of the page and the next pages. [`Page::item_errors`] lists a
//!   page's own.
//! * **Fused on error.** After any other error (a page that could not be
//!   fetched or read at all, a loop) the stream yields nothing more, and
//!   requests still under way are cancelled. Retries of transient failures
//!   happen inside each request (see the client's retry settings), not by
//!   polling the stream again.
//! * **Easy to hold.** The streams are [`Unpin`] (poll them with
//!   [`StreamExt::next`](futures::StreamExt::next) or
//!   [`TryStreamExt::try_next`] directly, no pinning needed), [`Send`] and
//!   `'static`, so they can be moved into spawned tasks. Dropping a stream
//!   cancels its requests.

mod peek;
mod progress;
mod unreadable;
mod walk;

use std::fmt;
use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};
/// What a generated list response offers a walk (its items, the next
/// token, the `totalItems` hint): the bound of [`QuoClient::paginate`] and
/// of a [`ListQuery`](crate::ListQuery)'s page, named here so implementing
/// one needs no `raw::` path.
pub use quo_api::pagination::Paginated;

use crate::client::QuoClient;
use crate::error::{Error, ItemError, Result, quote_token};

/// Whether a walk requests the next page before the current one is used
/// up, unless told otherwise ([`Paginator::prefetch`],
/// [`List::prefetch`](crate::List::prefetch)): `0`, it does not.
///
/// Prefetching pays off most when each page waits on the network (as it
/// does against Quo) or the consumer does real work per page: the next page
/// then travels while the current one is handled (the README's Performance
/// section has the `pagination` benchmark's figures). Stopping early may
/// leave a request unused (it counts against the rate limit), so it is
/// opt-in.
pub const DEFAULT_PREFETCH: usize = 0;

/// One page of a list operation: its items and where the walk goes next.
///
/// Most code never needs pages: use an `items()` stream instead. Pages are
/// useful to process items in batches, to save a position and resume later
/// ([`next_page_token`](Self::next_page_token)), or to show a progress hint.
///
/// A page holds the items it could read ([`items`](Self::items)) and, for
/// each one it could not, an [`ItemError`] ([`item_errors`](Self::item_errors));
/// [`into_results`](Self::into_results) gives both in page order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    items: Vec<T>,
    item_errors: Vec<ItemError>,
    next_page_token: Option<String>,
    total_items_hint: Option<u64>,
}

impl<T> Page<T> {
    /// Builds a page by hand, e.g. to stub a list call in your own tests.
    ///
    /// An empty `next_page_token` is stored as `None` (it means "no next
    /// page" on the wire too).
    #[must_use]
    pub fn new(
        items: Vec<T>,
        next_page_token: Option<String>,
        total_items_hint: Option<u64>,
    ) -> Self {
        Self {
            items,
            item_errors: Vec::new(),
            next_page_token: next_page_token.filter(|token| !token.is_empty()),
            total_items_hint,
        }
    }

    /// The same page, with these errors for items it could not read (each
    /// [`ItemError::index`] is the item's place in the page).
    #[must_use]
    pub fn with_item_errors(mut self, item_errors: Vec<ItemError>) -> Self {
        self.item_errors = item_errors;
        self
    }

    /// Converts a raw list response (any [`Paginated`] type of the generated
    /// client) into a page; each item it could not decode becomes an
    /// [`ItemError`].
    #[must_use]
    pub fn from_response<P: Paginated<Item = T>>(response: P) -> Self
    where
        T: serde::de::DeserializeOwned,
    {
        let next_page_token = response.next_page_token().map(str::to_owned);
        let total_items_hint = response.total_items_hint();
        let (items, undecoded) = response.into_items().into_parts();
        let item_errors = undecoded.iter().map(unreadable::item_error::<T>).collect();
        Self::new(items, next_page_token, total_items_hint).with_item_errors(item_errors)
    }

    /// The items on this page that could be read, in the order the server
    /// sent them.
    #[must_use]
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// An error for each item on this page that could not be read, in page
    /// order.
    #[must_use]
    pub fn item_errors(&self) -> &[ItemError] {
        &self.item_errors
    }

    /// Every item the server sent, in its order: `Ok` for those that could
    /// be read, `Err` for those that could not.
    pub fn into_results(self) -> std::vec::IntoIter<Result<T, ItemError>> {
        let mut out = Vec::with_capacity(self.items.len() + self.item_errors.len());
        let mut errors = self.item_errors.into_iter().peekable();
        for item in self.items {
            while let Some(error) = errors.next_if(|e| e.index <= out.len()) {
                out.push(Err(error));
            }
            out.push(Ok(item));
        }
        out.extend(errors.map(Err));
        out.into_iter()
    }

    /// Takes the items that could be read out of the page.
    #[must_use]
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The opaque token of the next page exactly as the server sent it, or
    /// `None` when the server said this is the last page (a null or empty
    /// `nextPageToken`).
    ///
    /// Walks stop on their own; this is only needed to resume a walk later
    /// (e.g. [`ContactList::resume_from`](crate::contacts::ContactList::resume_from) or
    /// [`Paginator::resume_from`]). Note that a walk also ends after a page
    /// with no items even if it carries a token.
    #[must_use]
    pub fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }

    /// The server's `totalItems` for the whole list, if it sent one.
    ///
    /// **Unreliable**: Quo documents that this count is not accurate, so use
    /// it only for rough progress displays. Never use it to decide how many
    /// pages to fetch or whether a walk is complete; the walk itself decides
    /// that from the page tokens.
    #[must_use]
    pub fn total_items_hint(&self) -> Option<u64> {
        self.total_items_hint
    }

    /// Whether the page has no items that could be read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The number of items on the page that could be read.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    /// Iterates over the page's readable items by value.
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A lazy walk over every page of one list operation.
///
/// Built by [`QuoClient::paginate`] from a closure that fetches one page for
/// a given token (`None` for the first page) and returns the raw list
/// response. Turn it into a stream with [`pages`](Self::pages) or
/// [`items`](Self::items); see the [module documentation](self) for the
/// guarantees both streams give.
///
/// `F` is the fetch closure's type; it is rarely written out, since
/// [`QuoClient::paginate`] returns `Paginator<impl FnMut(..)>`.
#[must_use = "a Paginator does nothing until turned into a stream and polled"]
pub struct Paginator<F> {
    client: QuoClient,
    fetch: F,
    start: Option<String>,
    prefetch: bool,
}

impl<F> fmt::Debug for Paginator<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("start", &self.start.as_deref().map(quote_token))
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

impl<F, Fut, P> Paginator<F>
where
    F: FnMut(QuoClient, Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P>> + Send + 'static,
    P: Paginated + Send + 'static,
    P::Item: Send,
{
    /// Whether to request the next page before the current one is used up:
    /// `0` (the default, [`DEFAULT_PREFETCH`]) does not; `1` does.
    ///
    /// With `1`, the request for the next page is sent as soon as the
    /// current page's body has arrived, read off its end, while the page is
    /// still being decoded and then consumed. Each request's exchange runs
    /// as a tokio task, so it makes progress while you work on a page;
    /// pages are decoded where the stream is polled. It gains most when
    /// each page is followed by work of your own or waits on the network.
    /// Items, order and errors are exactly those of a walk without
    /// prefetching; the difference is that one request may be sent for a
    /// page never consumed (for example when the stream is dropped early,
    /// or after `take(n)`), and one page beyond the current one may be
    /// held in memory.
    ///
    /// Larger values act as `1`: each request needs the token at the end of
    /// the page before it, so no second request could start earlier.
    ///
    /// `0` sends each request only when the previous page's items are used
    /// up, from within the stream's own poll (no task is spawned).
    pub fn prefetch(mut self, ahead: usize) -> Self {
        self.prefetch = ahead > 0;
        self
    }

    /// Starts the walk at `token` (a [`Page::next_page_token`] saved from an
    /// earlier walk) instead of at the first page. `None` starts at the first
    /// page.
    pub fn resume_from(mut self, token: Option<String>) -> Self {
        self.start = token.filter(|token| !token.is_empty());
        self
    }

    /// The walk as a stream of pages, one request per page.
    ///
    /// Every page the server sent is yielded, including a final empty one.
    /// See the [module documentation](self) for when the stream ends.
    pub fn pages(self) -> impl Stream<Item = Result<Page<P::Item>>> + Send + Unpin + 'static {
        walk::Walk::new(self.client, self.fetch, self.start, self.prefetch)
    }

    /// The walk as a stream of items, across all pages, in server order.
    ///
    /// A page is requested only when the previous page's items have all been
    /// taken, so `items().take(n)` sends no more requests than needed. An
    /// item that could not be read is an
    /// [`Error::UnreadableItem`] in its place,
    /// and the stream goes on after it.
    pub fn items(self) -> impl Stream<Item = Result<P::Item>> + Send + Unpin + 'static {
        // Boxed so it is `Unpin` whatever the item type.
        Box::pin(items_of(self.pages()))
    }
}

/// The items of a stream of pages, in order, each unreadable item as an
/// [`Error::UnreadableItem`] in its place.
pub(crate) fn items_of<T>(
    pages: impl Stream<Item = Result<Page<T>>>,
) -> impl Stream<Item = Result<T>> {
    pages
        .map_ok(|page| {
            stream::iter(
                page.into_results()
                    .map(|entry| entry.map_err(|e| Error::UnreadableItem(Box::new(e)))),
            )
        })
        .try_flatten()
}

impl QuoClient {
    /// Walks any list operation of the raw client, page by page, as a
    /// [`Paginator`].
    ///
    /// `fetch` receives a clone of this client and the page token (`None`
    /// for the first page) and returns the raw response of one list call,
    /// usually `c.call(|raw| async move { raw.list_…_v1(.., token.as_deref(), ..).await })`.
    /// Send the same filters and page size on every call; only the token
    /// changes. The closure is not called until the stream is polled. Make
    /// the call with the client it is given: that is how a prefetching walk
    /// sees each page's body as soon as it arrives.
    ///
    /// This works for every list operation whose response implements
    /// [`Paginated`] (all of Quo's v1 list operations), so operations this
    /// crate has no dedicated wrapper for still get lazy, loop-safe streams.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let page_size = std::num::NonZeroU64::new(50).unwrap();
    /// let mut pages = client
    ///     .paginate(move |c, token| async move {
    ///         c.call(|raw| async move {
    ///             raw.list_contacts_v1(None, page_size, token.as_deref(), None).await
    ///         })
    ///         .await
    ///     })
    ///     .pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} contacts", page.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn paginate<P, F, Fut>(&self, fetch: F) -> Paginator<F>
    where
        F: FnMut(QuoClient, Option<String>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<P>> + Send + 'static,
        P: Paginated + Send + 'static,
        P::Item: Send,
    {
        Paginator {
            // A walk started inside another walk's fetch has its own bodies.
            client: self.without_page_body(),
            fetch,
            start: None,
            prefetch: DEFAULT_PREFETCH != 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ItemError, Page};

    fn unreadable(index: usize) -> ItemError {
        ItemError {
            index,
            id: None,
            path: None,
            message: String::new(),
            excerpt: String::new(),
        }
    }

    #[test]
    fn results_come_in_page_order() {
        let page = Page::new(vec!["a", "b", "c"], None, None).with_item_errors(vec![
            unreadable(0),
            unreadable(2),
            unreadable(5),
            unreadable(6),
        ]);
        let order: Vec<String> = page
            .into_results()
            .map(|r| r.map_or_else(|e| e.index.to_string(), str::to_owned))
            .collect();
        assert_eq!(order, ["0", "a", "2", "b", "c", "5", "6"]);
        // Indexes that do not fit the page (built by hand) lose nothing.
        let page = Page::new(vec!["a"], None, None).with_item_errors(vec![unreadable(9)]);
        assert_eq!(page.into_results().count(), 2);
    }
}
