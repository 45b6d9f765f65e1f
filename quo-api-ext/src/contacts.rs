//! Contacts: read one or all, and write them safely.
//!
//! Start from [`QuoClient::contacts`]: [`get`](Contacts::get) and
//! [`list`](Contacts::list) read; [`create`](Contacts::create),
//! [`update`](Contacts::update) and [`delete`](Contacts::delete) write;
//! [`find_by_external_id`](Contacts::find_by_external_id) and
//! [`upsert_by_external_id`](Contacts::upsert_by_external_id) are the two
//! steps of a sync keyed by your own ids. Custom fields are named as people
//! see them and mapped to Quo's keys through
//! [`QuoClient::custom_field_definitions`]. Reading a contact's custom
//! fields, name, emails and phone numbers is covered by
//! [`ContactExt`](crate::ContactExt).

mod changes;
mod checks;
mod draft;
mod field_value;
mod sync;
mod write;

pub use changes::ContactChanges;
pub use checks::{
    MAX_EXTERNAL_ID_CHARS, MAX_SOURCE_CHARS, MAX_SOURCE_URL_CHARS, RESERVED_SOURCE_PREFIXES,
    RESERVED_SOURCES,
};
pub use draft::ContactDraft;
pub use field_value::FieldValue;
pub use sync::Upserted;

use std::fmt;
use std::num::NonZeroU64;
use std::sync::Arc;

use futures::future::{self, Either};
use futures::stream::{self, Stream, TryStreamExt};

use crate::client::QuoClient;
use crate::error::{Error, Result, quote_short};
use crate::input;
use crate::pagination::{DEFAULT_PREFETCH, Page};
use quo_api::types::Contact;

/// The largest page Quo serves for contacts (`maxResults`), and the default.
pub const MAX_PAGE_SIZE: u32 = 50;

impl QuoClient {
    /// The contact operations: [`get`](Contacts::get) one contact,
    /// [`list`](Contacts::list) many.
    #[must_use]
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }
}

/// The contact operations of a [`QuoClient`], from [`QuoClient::contacts`].
#[derive(Clone, Copy)]
pub struct Contacts<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Contacts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Contacts").finish_non_exhaustive()
    }
}

impl Contacts<'_> {
    /// Fetches one contact by its Quo id (`GET /v1/contacts/{id}`).
    ///
    /// Any id is sent as exactly one path segment: characters such as `/`,
    /// `?`, `#`, `%` and spaces are percent-encoded. Ids that the URL rules
    /// would turn into a different path are refused before anything is sent,
    /// with [`Error::InvalidInput`]: an empty id, `.` or `..`, and ids
    /// containing a backslash (which URL parsers treat as `/`) or a control
    /// character.
    ///
    /// A contact that does not exist is an [`Error::Api`] whose
    /// [`ErrorCode`](crate::ErrorCode) is `NotFound`.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::ContactExt;
    ///
    /// let contact = client.contacts().get("664d0db69fcac7cf2e6ec99e").await?;
    /// println!("{} ({} emails)", contact.display_name(), contact.emails().count());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Contact> {
        check_contact_id(id)?;
        let client = self.client;
        let response = client.call(client.raw().get_contact_by_id_v1(id)).await?;
        Ok(response.data)
    }

    /// Starts a listing of the workspace's contacts (`GET /v1/contacts`).
    ///
    /// Narrow it with [`external_ids`](ContactList::external_ids) and
    /// [`sources`](ContactList::sources), then consume it with
    /// [`items`](ContactList::items), [`pages`](ContactList::pages) or
    /// [`collect_all`](ContactList::collect_all). Pages are fetched lazily
    /// and page tokens are handled for you.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// // Every contact synced from two CRM records, 50 per request.
    /// let mut contacts = client
    ///     .contacts()
    ///     .list()
    ///     .external_ids(["crm-1001", "crm-1002"])
    ///     .items();
    /// while let Some(contact) = contacts.try_next().await? {
    ///     println!("{}", contact.id);
    /// }
    ///
    /// // Or all at once:
    /// let all = client.contacts().list().sources(["public-api"]).collect_all().await?;
    /// println!("{} contacts", all.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ContactList {
        ContactList {
            client: self.client.clone(),
            external_ids: Vec::new(),
            sources: Vec::new(),
            page_size: MAX_PAGE_SIZE,
            start: None,
            prefetch: DEFAULT_PREFETCH,
        }
    }
}

/// A listing of contacts, built by [`Contacts::list`].
///
/// Setters only record the request; nothing is validated or sent until the
/// listing is consumed with [`items`](Self::items), [`pages`](Self::pages) or
/// [`collect_all`](Self::collect_all). The same filters and page size are
/// sent with every page.
///
/// # Invalid settings
///
/// A page size outside `1..=50`, or a filter value Quo would reject (empty,
/// or longer than 75 characters), is reported as [`Error::InvalidInput`]
/// *before any request is sent*: as the first and only item of the
/// [`items`](Self::items) and [`pages`](Self::pages) streams, and as the
/// error of [`collect_all`](Self::collect_all). Keeping the error in the
/// stream keeps one error path for callers: the `?` that handles a failed
/// page also handles a bad setting.
///
/// The listing owns a clone of the client (cheap), so its streams are
/// `'static`, `Send` and `Unpin`: they can be stored, spawned, and polled
/// with [`TryStreamExt::try_next`] directly.
#[derive(Clone)]
#[must_use = "a ContactList does nothing until consumed with items(), pages() or collect_all()"]
pub struct ContactList {
    client: QuoClient,
    external_ids: Vec<String>,
    sources: Vec<String>,
    page_size: u32,
    start: Option<String>,
    prefetch: usize,
}

impl fmt::Debug for ContactList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContactList")
            .field("external_ids", &self.external_ids)
            .field("sources", &self.sources)
            .field("page_size", &self.page_size)
            .field("resumes", &self.start.is_some())
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

impl ContactList {
    /// Only contacts with one of these external ids (the ids your own
    /// systems gave them). Adds to any ids already set; sent as repeated
    /// `externalIds` query parameters.
    ///
    /// Each id must be 1 to 75 characters long.
    pub fn external_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.external_ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Only contacts from one of these sources (how they were created, e.g.
    /// `public-api`). Adds to any sources already set; sent as repeated
    /// `sources` query parameters.
    ///
    /// Each source must be 1 to 75 characters long.
    pub fn sources(mut self, sources: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.sources.extend(sources.into_iter().map(Into::into));
        self
    }

    /// How many contacts each request asks for (`maxResults`): 1 to 50,
    /// default 50. Smaller pages mean more requests for the same contacts;
    /// the streams yield the same items either way.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }

    /// Continues an earlier listing from a saved
    /// [`Page::next_page_token`] instead of starting at the first page.
    ///
    /// Use the same filters and page size as the listing the token came
    /// from.
    pub fn resume_from(mut self, token: impl Into<String>) -> Self {
        self.start = Some(token.into());
        self
    }

    /// How many pages to request beyond the one being consumed (default
    /// [`DEFAULT_PREFETCH`]: none, one request at a time). Worth `1` when
    /// each page is followed by slow work of your own, such as a database
    /// write: the next page then arrives meanwhile. See
    /// [`Paginator::prefetch`](crate::Paginator::prefetch) for what it
    /// trades.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages;
        self
    }

    /// Every matching contact, lazily, one request per page.
    ///
    /// Nothing is sent until the stream is polled; with
    /// [`prefetch`](Self::prefetch) the next page is requested while the
    /// current one is decoded and consumed. The stream ends after the
    /// last page, after an error (yielded once), or with
    /// [`Error::PaginationLoop`] if the server repeats a page token. A
    /// contact that cannot be read is an [`Error::UnreadableItem`] in its
    /// place, and the stream goes on with the next one. See
    /// [`pagination`](crate::pagination) for the details.
    pub fn items(self) -> impl Stream<Item = Result<Contact>> + Send + Unpin + 'static {
        crate::pagination::items_of(self.pages())
    }

    /// The matching contacts page by page, lazily, one request per page.
    ///
    /// Use it to work in batches or to save a position
    /// ([`Page::next_page_token`], then [`resume_from`](Self::resume_from)).
    /// The same end conditions as [`items`](Self::items) apply.
    pub fn pages(self) -> impl Stream<Item = Result<Page<Contact>>> + Send + Unpin + 'static {
        let Self {
            client,
            external_ids,
            sources,
            page_size,
            start,
            prefetch,
        } = self;
        let checked = check_page_size(page_size).and_then(|max_results| {
            let external_ids = parse_filter("external_ids", external_ids)?;
            let sources = parse_filter("sources", sources)?;
            Ok((max_results, external_ids, sources))
        });
        let (max_results, external_ids, sources) = match checked {
            Ok(checked) => checked,
            Err(error) => return Either::Left(stream::once(future::ready(Err(error)))),
        };
        // Shared by every page's request instead of cloned per page.
        let filters = Arc::new((external_ids, sources));
        let pages = client
            .paginate(move |c, token| {
                let filters = Arc::clone(&filters);
                async move {
                    let (external_ids, sources) = &*filters;
                    let request = c.raw().list_contacts_v1(
                        external_ids.as_ref(),
                        max_results,
                        token.as_deref(),
                        sources.as_ref(),
                    );
                    c.call(request).await
                }
            })
            .resume_from(start)
            .prefetch(prefetch)
            .pages();
        Either::Right(pages)
    }

    /// Every matching contact in one `Vec`, fetching all pages first.
    ///
    /// Fails with the first error met, an unreadable contact included;
    /// contacts already fetched are then dropped. To keep going past
    /// unreadable contacts, use [`items`](Self::items) and skip (or log)
    /// each [`Error::UnreadableItem`]. For large workspaces prefer [`items`](Self::items), which
    /// holds one page at a time.
    pub async fn collect_all(self) -> Result<Vec<Contact>> {
        self.items().try_collect().await
    }
}

/// Refuses ids that would not reach `/v1/contacts/{id}` for that id (see
/// [`input::path_id`]).
pub(crate) fn check_contact_id(id: &str) -> Result<()> {
    input::path_id("id", id)
}

/// `maxResults` for a page size, or why it is refused.
fn check_page_size(page_size: u32) -> Result<NonZeroU64> {
    NonZeroU64::new(u64::from(page_size))
        .filter(|_| page_size <= MAX_PAGE_SIZE)
        .ok_or_else(|| Error::InvalidInput {
            field: "page_size",
            message: format!(
                "the page size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}"
            ),
        })
}

/// Converts filter values into the generated query parameter item type,
/// whatever it is called (its `TryFrom<String>` carries the spec's
/// constraints). No values means "no filter" (`None`), so no empty
/// parameter is sent.
fn parse_filter<T>(field: &'static str, values: Vec<String>) -> Result<Option<Vec<T>>>
where
    T: TryFrom<String>,
    T::Error: fmt::Display,
{
    if values.is_empty() {
        return Ok(None);
    }
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let shown = format!("{:?}", quote_short(&value));
            T::try_from(value).map_err(|reason| Error::InvalidInput {
                field,
                message: format!("value {index} ({shown}) is not accepted: {reason}"),
            })
        })
        .collect::<Result<Vec<T>>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::{check_page_size, parse_filter};
    use crate::Error;

    fn refused_field(result: crate::Result<impl std::fmt::Debug>) -> &'static str {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn page_size_must_be_between_1_and_50() {
        assert_eq!(refused_field(check_page_size(0)), "page_size");
        assert_eq!(refused_field(check_page_size(51)), "page_size");
        assert_eq!(check_page_size(1).unwrap().get(), 1);
        assert_eq!(check_page_size(50).unwrap().get(), 50);
    }

    #[test]
    fn filters_use_the_generated_constraints() {
        type Item = quo_api::types::ExternalId;
        assert_eq!(parse_filter::<Item>("f", vec![]).unwrap(), None);
        let parsed = parse_filter::<Item>("f", vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(
            parsed
                .unwrap()
                .iter()
                .map(|i| i.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(
            refused_field(parse_filter::<Item>("f", vec!["".into()])),
            "f"
        );
        assert_eq!(
            refused_field(parse_filter::<Item>("f", vec!["x".repeat(76)])),
            "f"
        );
        assert!(parse_filter::<Item>("f", vec!["x".repeat(75)]).is_ok());
    }
}
