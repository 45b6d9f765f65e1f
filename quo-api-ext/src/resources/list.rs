//! [`List`]: the one listing builder every resource's `list()` returns.
//!
//! A resource describes its list operation once, as a [`ListQuery`]: its
//! filters, how to check them, its page-size bound and how to fetch one
//! page. [`List`] adds what every listing shares (page size, resume,
//! prefetch, the `items`/`pages`/`collect_all` streams over the one
//! [`Paginator`](crate::pagination::Paginator)), so every list behaves the same and the
//! filter setters are all a resource writes.

use std::fmt;
use std::future::Future;
use std::num::NonZeroU64;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::{self, Either};
use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use quo_api::pagination::Paginated;
use serde::de::DeserializeOwned;

use crate::client::QuoClient;
use crate::error::{Error, Result};
use crate::pagination::{DEFAULT_PREFETCH, Page, items_of};
use crate::resources::input;

/// One list operation: its filters, checked before sending, and one page
/// request. Implemented by each resource's query type (`MessageQuery`, ...).
pub trait ListQuery: fmt::Debug + Send + Sync + 'static {
    /// The generated response of one page.
    type Page: Paginated<Item: DeserializeOwned + Send> + Send + 'static;

    /// The largest page the operation serves (`maxResults`), and the
    /// default page size.
    const MAX_PAGE_SIZE: u32;

    /// Refuses filters Quo would refuse, before anything is sent. A
    /// listing without filters has nothing to refuse.
    ///
    /// ```
    /// use quo_api_ext::ListQuery;
    /// use quo_api_ext::contacts::ContactQuery;
    ///
    /// assert!(ContactQuery::default().check().is_ok());
    /// ```
    fn check(&self) -> Result<()> {
        Ok(())
    }

    /// Requests one page: `maxResults` and the page token (`None` for the
    /// first page), with the filters.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::num::NonZeroU64;
    /// use quo_api_ext::{ListQuery, contacts::ContactQuery};
    ///
    /// // One page of ten contacts, without a listing around it.
    /// let page = ContactQuery::default().fetch(&client, NonZeroU64::new(10).unwrap(), None).await?;
    /// println!("{} contacts, more: {}", page.data.len(), page.next_page_token.is_some());
    /// # Ok(())
    /// # }
    /// ```
    fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> impl Future<Output = Result<Self::Page>> + Send;
}

/// A list Quo answers whole, without pages (phone numbers, webhook
/// subscriptions, a call's recordings, custom-field definitions), as the
/// one page of a walk: so its `list()` is the same [`List`] as every
/// other, and [`items`](List::items), [`pages`](List::pages) and
/// [`collect_all`](List::collect_all) work the same. A
/// [`page_size`](List::page_size) of 1 or more changes nothing (0 is
/// refused, as for every list), and there is no token to
/// [`resume_from`](List::resume_from): a resumed walk reads it all again.
#[derive(Debug)]
pub struct OnePage<T> {
    items: quo_api::pagination::Items<T>,
}

impl<T> From<Vec<T>> for OnePage<T> {
    fn from(items: Vec<T>) -> Self {
        OnePage {
            items: items.into(),
        }
    }
}

impl<T: DeserializeOwned> Paginated for OnePage<T> {
    type Item = T;

    fn next_page_token(&self) -> Option<&str> {
        None
    }

    fn total_items_hint(&self) -> Option<u64> {
        u64::try_from(self.items.len()).ok()
    }

    fn into_items(self) -> quo_api::pagination::Items<T> {
        self.items
    }
}

/// The page size of a list that has no pages: nothing is refused.
const WHOLE_LIST: u32 = u32::MAX;

/// A list operation Quo answers whole, without pages or a page size
/// (phone numbers, webhook subscriptions, a call's recordings, custom-field
/// definitions): its query says how to fetch everything, and it is a
/// [`ListQuery`] whose one page is [`OnePage`].
pub trait WholeList: fmt::Debug + Send + Sync + 'static {
    /// What the list holds.
    type Item: DeserializeOwned + Send + 'static;

    /// Refuses filters Quo would refuse, before anything is sent.
    ///
    /// ```
    /// use quo_api_ext::WholeList;
    /// use quo_api_ext::phone_numbers::PhoneNumberQuery;
    ///
    /// // No user filter yet: nothing to refuse.
    /// assert!(WholeList::check(&PhoneNumberQuery::default()).is_ok());
    /// ```
    fn check(&self) -> Result<()> {
        Ok(())
    }

    /// Requests the whole list, with the filters. [`List`] calls it, after
    /// [`check`](Self::check), for the one page of its walk.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::WholeList;
    /// use quo_api_ext::phone_numbers::PhoneNumberQuery;
    ///
    /// let numbers = PhoneNumberQuery::default().fetch_all(&client).await?;
    /// println!("{} numbers", numbers.len());
    /// # Ok(())
    /// # }
    /// ```
    fn fetch_all(&self, client: &QuoClient)
    -> impl Future<Output = Result<Vec<Self::Item>>> + Send;
}

impl<Q: WholeList> ListQuery for Q {
    type Page = OnePage<Q::Item>;
    const MAX_PAGE_SIZE: u32 = WHOLE_LIST;

    fn check(&self) -> Result<()> {
        WholeList::check(self)
    }

    async fn fetch(
        &self,
        client: &QuoClient,
        _max_results: NonZeroU64,
        _token: Option<&str>,
    ) -> Result<Self::Page> {
        Ok(self.fetch_all(client).await?.into())
    }
}

/// The creation-time window (`createdAfter`, `createdBefore`) and user
/// (`userId`) filters of a listing, shared by the listings that have them.
/// Set through [`List::created_after`], [`List::created_before`] and
/// [`List::user_id`], and checked before the first request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreatedByUser {
    pub(crate) after: Option<DateTime<Utc>>,
    pub(crate) before: Option<DateTime<Utc>>,
    pub(crate) user_id: Option<String>,
}

impl CreatedByUser {
    /// Refuses a user id that is not one, and a window that can match
    /// nothing.
    pub(crate) fn check(&self) -> Result<()> {
        input::optional_user_id(self.user_id.as_deref())?;
        input::time_range(self.after, self.before)
    }
}

/// A listing that filters on creation time and on one user: its
/// [`List`] gets [`created_after`](List::created_after),
/// [`created_before`](List::created_before) and [`user_id`](List::user_id).
pub trait CreatedByUserFilters: ListQuery {
    /// The listing's creation-time and user filters.
    ///
    /// ```
    /// use quo_api_ext::conversations::ConversationQuery;
    /// use quo_api_ext::{CreatedByUser, CreatedByUserFilters};
    ///
    /// // What `List::created_after`, `created_before` and `user_id` write
    /// // to; a new query filters on nothing.
    /// let mut query = ConversationQuery::default();
    /// assert_eq!(*query.created_by_user(), CreatedByUser::default());
    /// ```
    fn created_by_user(&mut self) -> &mut CreatedByUser;
}

/// A listing that filters on one user (`userId`) only: its [`List`] gets
/// [`user_id`](List::user_id). The listings with a creation-time window
/// have it through [`CreatedByUserFilters`]; the ones without (phone
/// numbers, webhook subscriptions) implement this, so the setter is
/// written once; each query's `check` refuses a value that is not a user
/// id, before the first request.
pub trait UserFilter: ListQuery {
    /// The listing's user filter.
    ///
    /// ```
    /// use quo_api_ext::UserFilter;
    /// use quo_api_ext::phone_numbers::PhoneNumberQuery;
    ///
    /// let mut query = PhoneNumberQuery::default();
    /// *query.user_filter() = Some("US123abc".to_owned());
    /// assert_eq!(query.user_filter().as_deref(), Some("US123abc"));
    /// ```
    fn user_filter(&mut self) -> &mut Option<String>;
}

impl<Q: CreatedByUserFilters> UserFilter for Q {
    fn user_filter(&mut self) -> &mut Option<String> {
        &mut self.created_by_user().user_id
    }
}

impl<Q: CreatedByUserFilters> List<Q> {
    /// Only items created at or after this time.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let since = chrono::Utc::now() - chrono::Duration::days(7);
    /// let recent = client.conversations().list().created_after(since).collect_all().await?;
    /// println!("{} new conversations this week", recent.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn created_after(mut self, time: DateTime<Utc>) -> Self {
        self.query.created_by_user().after = Some(time);
        self
    }

    /// Only items created before this time.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let cutoff = chrono::Utc::now() - chrono::Duration::days(365);
    /// let old = client.conversations().list().created_before(cutoff).collect_all().await?;
    /// println!("{} conversations older than a year", old.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn created_before(mut self, time: DateTime<Utc>) -> Self {
        self.query.created_by_user().before = Some(time);
        self
    }
}

impl<Q: UserFilter> List<Q> {
    /// Only items of this user (`US...`), checked before the first request.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let hers = client.phone_numbers().list().user_id("US123abc").collect_all().await?;
    /// println!("{} numbers", hers.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        *self.query.user_filter() = Some(user_id.into());
        self
    }
}

/// The items a listing yields.
pub type ListItem<Q> = <<Q as ListQuery>::Page as Paginated>::Item;

/// A listing, built by a resource's `list()` and narrowed by its filters.
///
/// Setters only record the request; nothing is validated or sent until the
/// listing is consumed with [`items`](Self::items), [`pages`](Self::pages)
/// or [`collect_all`](Self::collect_all). The same filters and page size
/// go out with every page.
///
/// # Invalid settings
///
/// A page size outside the operation's bound, or a filter Quo would
/// refuse, is [`Error::InvalidInput`] *before any request is sent*: the
/// first and only item of the streams, and the error of `collect_all`, so
/// the `?` that handles a failed page also handles a bad setting.
///
/// The listing owns a clone of the client (cheap), so its streams are
/// `'static`, `Send` and `Unpin`.
#[must_use = "a listing does nothing until consumed with items(), pages() or collect_all()"]
pub struct List<Q> {
    client: QuoClient,
    pub(crate) query: Q,
    page_size: u32,
    start: Option<String>,
    prefetch: bool,
    progress: ListProgress,
}

impl<Q: ListQuery + Clone> Clone for List<Q> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            query: self.query.clone(),
            page_size: self.page_size,
            start: self.start.clone(),
            prefetch: self.prefetch,
            // Another listing: its own count.
            progress: ListProgress::default(),
        }
    }
}

impl<Q: ListQuery> fmt::Debug for List<Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("query", &self.query)
            .field("page_size", &self.page_size)
            .field("resumes", &self.start.is_some())
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

impl<Q: ListQuery> List<Q> {
    /// A listing of `query` on `client`, at the largest page size.
    pub(crate) fn new(client: &QuoClient, query: Q) -> Self {
        Self {
            client: client.clone(),
            query,
            page_size: Q::MAX_PAGE_SIZE,
            start: None,
            prefetch: DEFAULT_PREFETCH != 0,
            progress: ListProgress::default(),
        }
    }

    /// A live count of this listing's walk (pages, items, requests, and
    /// Quo's `totalItems` hint), to read from anywhere while the walk runs:
    /// take it before consuming the listing.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let list = client.contacts().list();
    /// let progress = list.progress();
    /// let mut contacts = list.items();
    /// while let Some(_contact) = contacts.try_next().await? {
    ///     let now = progress.snapshot();
    ///     if let Some(left) = now.estimated_remaining(10) {
    ///         eprintln!("{} of ~{:?} contacts, about {} s left", now.items, now.total_hint, left.as_secs());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn progress(&self) -> ListProgress {
        self.progress.clone()
    }

    /// How many items each request asks for (`maxResults`): 1 to the
    /// operation's bound, which is also the default. Smaller pages mean
    /// more requests for the same items.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let first = client.contacts().list().page_size(10).pages().try_next().await?;
    /// println!("{} contacts on the first page", first.map_or(0, |page| page.len()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }

    /// Continues an earlier listing from a saved
    /// [`Page::next_page_token`], with the same filters and page size.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient, saved_token: String) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let mut pages = client.contacts().list().resume_from(saved_token).pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} contacts; resume with {:?}", page.len(), page.next_page_token());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn resume_from(mut self, token: impl Into<String>) -> Self {
        self.start = Some(token.into());
        self
    }

    /// Whether to request the next page before the current one is used up:
    /// `0` (the default, [`DEFAULT_PREFETCH`]) does not, `1` does. See
    /// [`Paginator::prefetch`](crate::pagination::Paginator::prefetch).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// // The next page is on its way while this one is processed.
    /// let mut contacts = client.contacts().list().prefetch(1).items();
    /// while let Some(contact) = contacts.try_next().await? {
    ///     println!("{}", contact.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn prefetch(mut self, ahead: usize) -> Self {
        self.prefetch = ahead > 0;
        self
    }

    /// Every matching item, lazily, one request per page. An item that
    /// cannot be read is [`Error::UnreadableItem`] in its place, and the
    /// walk goes on; the stream ends after the last page, after any other
    /// error (yielded once), or with [`Error::PaginationLoop`]; see
    /// [`pagination`](crate::pagination).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let mut users = client.users().list().items();
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{}", user.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn items(self) -> impl Stream<Item = Result<ListItem<Q>>> + Send + Unpin + 'static {
        Box::pin(items_of(self.pages()))
    }

    /// The matching items page by page, lazily.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let mut pages = client.contacts().list().pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} contacts, next page: {:?}", page.len(), page.next_page_token());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<Page<ListItem<Q>>>> + Send + Unpin + 'static {
        let Self {
            client,
            query,
            page_size,
            start,
            prefetch,
            progress,
        } = self;
        let checked = check_page_size(page_size, Q::MAX_PAGE_SIZE)
            .and_then(|max_results| query.check().map(|()| max_results));
        let max_results = match checked {
            Ok(max_results) => max_results,
            Err(error) => return Either::Left(stream::once(future::ready(Err(error)))),
        };
        // Shared by every page's request instead of cloned per page.
        let query = Arc::new(query);
        let pages = client
            .paginate(move |c, token| {
                let query = Arc::clone(&query);
                async move { query.fetch(&c, max_results, token.as_deref()).await }
            })
            .resume_from(start)
            .prefetch(usize::from(prefetch))
            .pages()
            .inspect(move |page| progress.count(page));
        Either::Right(pages)
    }

    /// Every matching item in one `Vec`, fetching all pages first. Fails
    /// with the first error; prefer [`items`](Self::items) for long lists.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let numbers = client.phone_numbers().list().collect_all().await?;
    /// println!("{} phone numbers", numbers.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_all(self) -> Result<Vec<ListItem<Q>>> {
        self.items().try_collect().await
    }
}

/// A live count of one listing's walk, from [`List::progress`]: clone it,
/// keep it beside the stream, and read a [`ListCounts`] from it at any
/// time (a progress bar's timer, a log line).
#[derive(Debug, Clone, Default)]
pub struct ListProgress(Arc<std::sync::Mutex<ListCounts>>);

/// How far a listing's walk is, from [`ListProgress::snapshot`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListCounts {
    /// Pages received.
    pub pages: u64,
    /// Items received (unreadable ones included).
    pub items: u64,
    /// Requests answered: one per page (the client's retries of one
    /// request count once), and one for a failed page.
    pub requests: u64,
    /// Quo's `totalItems` on the last page that had it: documented as
    /// unreliable, so a hint for a progress bar, never a loop bound.
    pub total_hint: Option<u64>,
}

impl ListCounts {
    /// How long the rest of the walk should take at `requests_per_second`:
    /// the items the hint says are left, at the items per page seen so
    /// far. `None` without a hint or before the first page.
    ///
    /// ```
    /// use quo_api_ext::ListCounts;
    ///
    /// let mut counts = ListCounts::default();
    /// (counts.pages, counts.items, counts.total_hint) = (2, 100, Some(300));
    /// // 200 items left at 50 a page: 4 requests, at 2 requests per second.
    /// assert_eq!(counts.estimated_remaining(2), Some(std::time::Duration::from_secs(2)));
    /// ```
    #[must_use]
    pub fn estimated_remaining(&self, requests_per_second: u32) -> Option<std::time::Duration> {
        let total = self.total_hint?;
        if self.pages == 0 || self.items == 0 || requests_per_second == 0 {
            return None;
        }
        #[allow(clippy::cast_precision_loss)]
        let pages_left =
            total.saturating_sub(self.items) as f64 / (self.items as f64 / self.pages as f64);
        Some(std::time::Duration::from_secs_f64(
            pages_left.ceil() / f64::from(requests_per_second),
        ))
    }
}

impl ListProgress {
    /// The counts now.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let list = client.contacts().list();
    /// let progress = list.progress();
    /// let all = list.collect_all().await?;
    /// assert_eq!(progress.snapshot().items, all.len() as u64);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn snapshot(&self) -> ListCounts {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn count<T>(&self, page: &Result<Page<T>>) {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.requests += 1;
        if let Ok(page) = page {
            counts.pages += 1;
            counts.items += (page.len() + page.item_errors().len()) as u64;
            if let Some(total) = page.total_items_hint() {
                counts.total_hint = Some(total);
            }
        }
    }
}

/// `maxResults` for a page size, or why it is refused.
pub(crate) fn check_page_size(page_size: u32, max: u32) -> Result<NonZeroU64> {
    NonZeroU64::new(u64::from(page_size))
        .filter(|_| page_size <= max)
        .ok_or_else(|| Error::InvalidInput {
            field: "page_size",
            message: format!("the page size must be between 1 and {max}, got {page_size}"),
        })
}

#[cfg(test)]
mod tests {
    use super::check_page_size;
    use crate::error::Error;

    #[test]
    fn page_size_must_be_within_the_operations_bound() {
        for (size, max) in [(0, 50), (51, 50), (101, 100)] {
            assert!(matches!(
                check_page_size(size, max),
                Err(Error::InvalidInput {
                    field: "page_size",
                    ..
                })
            ));
        }
        assert_eq!(check_page_size(100, 100).unwrap().get(), 100);
        assert_eq!(check_page_size(1, 50).unwrap().get(), 1);
    }
}
