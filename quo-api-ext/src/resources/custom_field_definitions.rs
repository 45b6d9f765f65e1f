//! The workspace's custom-field definitions (`GET /v1/contact-custom-fields`),
//! cached, and looked up by the name people type or by the key Quo writes.
//!
//! Quo writes a contact's custom field by its workspace `key` (opaque, per
//! workspace), while people think in names ("Lead Score"). The contact
//! writes of this crate take either and map names to keys through this
//! cache. It is fetched once, on first use, and shared by every clone of a
//! client; [`refresh`](CustomFieldDefinitions::refresh) fetches it again
//! (a field added in Quo's app after the first use), and a write that Quo
//! refuses for an unknown custom field refreshes it once by itself.

use std::fmt;
use std::sync::Arc;

use quo_api::types::{CustomFieldDefinition, CustomFieldType};

pub(crate) use crate::client::DefinitionIndex;
use crate::client::QuoClient;
use crate::error::Result;
use crate::resources::list::{List, WholeList};

impl QuoClient {
    /// The workspace's custom-field definitions: the list, and cached
    /// lookups by name and by key.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let definitions = client.custom_field_definitions();
    /// if let Some(field) = definitions.by_name("lead score").await? {
    ///     println!("{} is written as {:?}, kind {:?}", field.name, field.key, field.type_);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn custom_field_definitions(&self) -> CustomFieldDefinitions<'_> {
        CustomFieldDefinitions { client: self }
    }
}

/// The custom-field definitions of a [`QuoClient`]'s workspace, from
/// [`QuoClient::custom_field_definitions`].
#[derive(Clone, Copy)]
pub struct CustomFieldDefinitions<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for CustomFieldDefinitions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomFieldDefinitions")
            .finish_non_exhaustive()
    }
}

impl CustomFieldDefinitions<'_> {
    /// Every definition, in the order Quo lists them, as the one [`List`]
    /// every resource's `list()` returns (Quo answers them whole: one
    /// page). Served from the cache, fetched on first use;
    /// [`refresh`](Self::refresh) first to see a field added since.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// for field in client.custom_field_definitions().list().collect_all().await? {
    ///     println!("{} ({}): {:?}", field.name, field.key, field.type_);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> CustomFieldDefinitionList {
        List::new(self.client, CustomFieldDefinitionQuery)
    }

    /// The definition whose name is `name`, compared without regard to case
    /// or surrounding spaces (`"lead score"` finds `"Lead Score"`); `None`
    /// when the workspace has no such field. Cached.
    ///
    /// A name that matches in case wins. When several fields match only in
    /// another case ("Owner" and "owner", asked for "OWNER"), the answer is
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) naming them all,
    /// not a guess.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// if let Some(field) = client.custom_field_definitions().by_name("Lead Score").await? {
    ///     println!("written as {}", field.key);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn by_name(&self, name: &str) -> Result<Option<CustomFieldDefinition>> {
        Ok(self.index().await?.by_name(name)?.cloned())
    }

    /// The definition whose key is exactly `key`; `None` when there is none.
    /// Cached.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let field = client.custom_field_definitions().by_key("lead-score").await?;
    /// println!("{:?}", field.map(|f| f.name));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn by_key(&self, key: &str) -> Result<Option<CustomFieldDefinition>> {
        Ok(self.index().await?.by_key(key).cloned())
    }

    /// Fetches the definitions again, replacing the cache, for a field
    /// added or renamed in Quo since the first use.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// // After renaming a field in Quo's app:
    /// client.custom_field_definitions().refresh().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refresh(&self) -> Result<()> {
        self.client
            .definition_cache()
            .refresh(fetch(self.client))
            .await?;
        Ok(())
    }

    /// The cached definitions, fetched first if this client has none yet.
    pub(crate) async fn index(&self) -> Result<Arc<DefinitionIndex>> {
        self.client.definition_cache().get(fetch(self.client)).await
    }

    /// Fetches the definitions again and returns them.
    pub(crate) async fn refreshed_index(&self) -> Result<Arc<DefinitionIndex>> {
        self.client
            .definition_cache()
            .refresh(fetch(self.client))
            .await
    }
}

/// A listing of custom-field definitions, from
/// [`CustomFieldDefinitions::list`].
pub type CustomFieldDefinitionList = List<CustomFieldDefinitionQuery>;

/// The custom-field definition listing's query: it has no filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomFieldDefinitionQuery;

impl WholeList for CustomFieldDefinitionQuery {
    type Item = CustomFieldDefinition;

    /// The cached definitions (fetched first when there are none yet).
    async fn fetch_all(&self, client: &QuoClient) -> Result<Vec<Self::Item>> {
        let index = client.custom_field_definitions().index().await?;
        Ok(index.definitions().to_vec())
    }
}

/// Reads the definitions from Quo.
async fn fetch(client: &QuoClient) -> Result<DefinitionIndex> {
    let list = client
        .call(|raw| async move { raw.get_contact_custom_fields_v1().await })
        .await?;
    Ok(DefinitionIndex::new(list.data))
}

/// The kind of a definition, when it is one this crate knows.
pub(crate) fn known_kind(definition: &CustomFieldDefinition) -> Option<CustomFieldType> {
    match &definition.type_ {
        quo_api::Open::Known(kind) => Some(*kind),
        quo_api::Open::Other(_) => None,
    }
}
