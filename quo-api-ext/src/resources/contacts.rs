//! Contacts: read one or all, and write them safely.
//!
//! Start from [`QuoClient::contacts`]: [`get`](Contacts::get) and
//! [`list`](Contacts::list) read; [`create`](Contacts::create),
//! [`update`](Contacts::update) and [`delete`](Contacts::delete) write;
//! [`find_by_external_id`](Contacts::find_by_external_id) and
//! [`upsert_by_external_id`](Contacts::upsert_by_external_id) are the two
//! steps of a sync keyed by your own ids, and [`sync`](Contacts::sync)
//! does many rows at once, reading 50 external ids per request. Custom fields are named as people
//! see them and mapped to Quo's keys through
//! [`QuoClient::custom_field_definitions`]. Reading a contact's custom
//! fields, name, emails and phone numbers is covered by
//! [`ContactExt`](crate::custom_fields::ContactExt).

mod bulk;
mod changes;
mod checks;
mod draft;
mod field_value;
mod sync;
mod write;

pub use bulk::{
    ChangedField, ContactSync, DEFAULT_SYNC_CONCURRENCY, MAX_IDS_PER_READ, MAX_READ_QUERY_BYTES,
    MAX_SYNC_CONCURRENCY, SyncAction, SyncCounts, SyncOutcome, SyncReport, SyncSummary,
};
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

use quo_api::types::{Contact, ContactPage, ContactSourceFilter, ExternalId};

use crate::client::QuoClient;
use crate::error::{Error, Result, quote_short};
use crate::resources::input;
use crate::resources::list::{List, ListQuery};

/// The largest page Quo serves for contacts (`maxResults`), and the default.
pub const MAX_PAGE_SIZE: u32 = 50;

impl QuoClient {
    /// The contact operations: [`get`](Contacts::get) one contact,
    /// [`list`](Contacts::list) many.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let contact = client.contacts().get("664d0db69fcac7cf2e6ec99e").await?;
    /// println!("{}", contact.id);
    /// # Ok(())
    /// # }
    /// ```
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
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// let contact = client.contacts().get("664d0db69fcac7cf2e6ec99e").await?;
    /// println!("{} ({} emails)", contact.display_name(), contact.emails().count());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Contact> {
        check_contact_id(id)?;
        let client = self.client;
        let response = client
            .call(|raw| async move { raw.get_contact_by_id_v1(id).await })
            .await?;
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
        List::new(self.client, ContactQuery::default())
    }
}

/// A listing of contacts, from [`Contacts::list`]: the one [`List`] with
/// the contact filters below.
pub type ContactList = List<ContactQuery>;

/// The filters of a contact listing (see [`ContactList`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactQuery {
    external_ids: Vec<String>,
    sources: Vec<String>,
}

impl ContactList {
    /// Only contacts with one of these external ids (the ids your own
    /// systems gave them). Adds to any ids already set; sent as repeated
    /// `externalIds` query parameters.
    ///
    /// Each id must be 1 to 75 characters long.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let found = client.contacts().list().external_ids(["crm-1001", "crm-1002"]).collect_all().await?;
    /// println!("{} of 2 contacts found", found.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn external_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.query
            .external_ids
            .extend(ids.into_iter().map(Into::into));
        self
    }

    /// Only contacts from one of these sources (how they were created, e.g.
    /// `public-api`). Adds to any sources already set; sent as repeated
    /// `sources` query parameters.
    ///
    /// Each source must be 1 to 75 characters long.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let synced = client.contacts().list().sources(["crm-sync"]).collect_all().await?;
    /// println!("{} contacts from the CRM", synced.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn sources(mut self, sources: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.query
            .sources
            .extend(sources.into_iter().map(Into::into));
        self
    }
}

impl ListQuery for ContactQuery {
    type Page = ContactPage;
    const MAX_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

    fn check(&self) -> Result<()> {
        parse_filter::<ExternalId>("external_ids", &self.external_ids)?;
        parse_filter::<ContactSourceFilter>("sources", &self.sources)?;
        Ok(())
    }

    async fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> Result<ContactPage> {
        let external_ids = parse_filter::<ExternalId>("external_ids", &self.external_ids)?;
        let sources = parse_filter::<ContactSourceFilter>("sources", &self.sources)?;
        client
            .call(|raw| async move {
                raw.list_contacts_v1(external_ids.as_ref(), max_results, token, sources.as_ref())
                    .await
            })
            .await
    }
}

/// Refuses ids that would not reach `/v1/contacts/{id}` for that id (see
/// [`input::path_id`]).
pub(crate) fn check_contact_id(id: &str) -> Result<()> {
    input::path_id("contact_id", id)
}

/// Converts filter values into the generated query parameter item type,
/// whatever it is called (its `TryFrom<String>` carries the spec's
/// constraints). No values means "no filter" (`None`), so no empty
/// parameter is sent.
fn parse_filter<T>(field: &'static str, values: &[String]) -> Result<Option<Vec<T>>>
where
    T: TryFrom<String>,
    T::Error: fmt::Display,
{
    if values.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let shown = format!("{:?}", quote_short(value));
            T::try_from(value.clone()).map_err(|reason| Error::InvalidInput {
                field,
                message: format!("value {index} ({shown}) is not accepted: {reason}"),
            })
        })
        .collect::<Result<Vec<T>>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::parse_filter;
    use crate::error::Error;

    fn refused_field(result: crate::Result<impl std::fmt::Debug>) -> &'static str {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn filters_use_the_generated_constraints() {
        type Item = quo_api::types::ExternalId;
        assert_eq!(parse_filter::<Item>("f", &[]).unwrap(), None);
        let parsed = parse_filter::<Item>("f", &["a".into(), "b".into()]).unwrap();
        assert_eq!(
            parsed
                .unwrap()
                .iter()
                .map(|i| i.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(refused_field(parse_filter::<Item>("f", &["".into()])), "f");
        assert_eq!(
            refused_field(parse_filter::<Item>("f", &["x".repeat(76)])),
            "f"
        );
        assert!(parse_filter::<Item>("f", &["x".repeat(75)]).is_ok());
    }
}
