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

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use quo_api::types::{CustomFieldDefinition, CustomFieldType};

use crate::client::QuoClient;
use crate::error::Result;

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
    /// Every definition, in the order Quo lists them; fetched on first use
    /// and cached.
    pub async fn list(&self) -> Result<Vec<CustomFieldDefinition>> {
        Ok(self.index().await?.definitions.clone())
    }

    /// The definition whose name is `name`, compared without regard to case
    /// or surrounding spaces (`"lead score"` finds `"Lead Score"`); `None`
    /// when the workspace has no such field. Cached.
    pub async fn by_name(&self, name: &str) -> Result<Option<CustomFieldDefinition>> {
        Ok(self.index().await?.by_name(name).cloned())
    }

    /// The definition whose key is exactly `key`; `None` when there is none.
    /// Cached.
    pub async fn by_key(&self, key: &str) -> Result<Option<CustomFieldDefinition>> {
        Ok(self.index().await?.by_key(key).cloned())
    }

    /// Fetches the definitions again, replacing the cache, for a field
    /// added or renamed in Quo since the first use.
    pub async fn refresh(&self) -> Result<()> {
        self.client.definition_cache().refresh(self.client).await?;
        Ok(())
    }

    /// The cached definitions, fetched first if this client has none yet.
    pub(crate) async fn index(&self) -> Result<Arc<DefinitionIndex>> {
        self.client.definition_cache().get(self.client).await
    }

    /// Fetches the definitions again and returns them.
    pub(crate) async fn refreshed_index(&self) -> Result<Arc<DefinitionIndex>> {
        self.client.definition_cache().refresh(self.client).await
    }
}

/// The definitions with their lookups, as one cached value.
#[derive(Debug, Default)]
pub(crate) struct DefinitionIndex {
    definitions: Vec<CustomFieldDefinition>,
    by_name: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

impl DefinitionIndex {
    /// Indexes `definitions`; on duplicate names or keys the first one wins.
    pub(crate) fn new(definitions: Vec<CustomFieldDefinition>) -> Self {
        let mut by_name = HashMap::new();
        let mut by_key = HashMap::new();
        for (index, definition) in definitions.iter().enumerate() {
            by_name.entry(name_key(&definition.name)).or_insert(index);
            by_key.entry(definition.key.clone()).or_insert(index);
        }
        Self {
            definitions,
            by_name,
            by_key,
        }
    }

    /// The definition named `name` (any case, spaces around ignored).
    pub(crate) fn by_name(&self, name: &str) -> Option<&CustomFieldDefinition> {
        self.by_name
            .get(&name_key(name))
            .map(|&i| &self.definitions[i])
    }

    /// The definition keyed exactly `key`.
    pub(crate) fn by_key(&self, key: &str) -> Option<&CustomFieldDefinition> {
        self.by_key.get(key).map(|&i| &self.definitions[i])
    }

    /// The definition a caller means by `name_or_key`: a name first (what
    /// people type), then a key.
    pub(crate) fn find(&self, name_or_key: &str) -> Option<&CustomFieldDefinition> {
        self.by_name(name_or_key)
            .or_else(|| self.by_key(name_or_key))
    }
}

/// How names are compared: trimmed, lowercase.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The cache shared by a client and its clones.
///
/// An async mutex, so that many first lookups at once send one request
/// and the others wait for its answer.
#[derive(Default)]
pub(crate) struct DefinitionCache {
    cached: tokio::sync::Mutex<Option<Arc<DefinitionIndex>>>,
}

impl fmt::Debug for DefinitionCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefinitionCache").finish_non_exhaustive()
    }
}

impl DefinitionCache {
    async fn get(&self, client: &QuoClient) -> Result<Arc<DefinitionIndex>> {
        let mut cached = self.cached.lock().await;
        if let Some(index) = &*cached {
            return Ok(Arc::clone(index));
        }
        let index = fetch(client).await?;
        *cached = Some(Arc::clone(&index));
        Ok(index)
    }

    async fn refresh(&self, client: &QuoClient) -> Result<Arc<DefinitionIndex>> {
        let mut cached = self.cached.lock().await;
        let index = fetch(client).await?;
        *cached = Some(Arc::clone(&index));
        Ok(index)
    }
}

async fn fetch(client: &QuoClient) -> Result<Arc<DefinitionIndex>> {
    let list = client
        .call(client.raw().get_contact_custom_fields_v1())
        .await?;
    Ok(Arc::new(DefinitionIndex::new(list.data)))
}

/// The kind of a definition, when it is one this crate knows.
pub(crate) fn known_kind(definition: &CustomFieldDefinition) -> Option<CustomFieldType> {
    match &definition.type_ {
        quo_api::Open::Known(kind) => Some(*kind),
        quo_api::Open::Other(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::DefinitionIndex;
    use quo_api::types::{CustomFieldDefinition, CustomFieldType};

    fn definition(name: &str, key: &str, kind: CustomFieldType) -> CustomFieldDefinition {
        CustomFieldDefinition {
            name: name.into(),
            key: key.into(),
            type_: quo_api::Open::Known(kind),
        }
    }

    #[test]
    fn names_are_found_in_any_case_and_keys_exactly() {
        let index = DefinitionIndex::new(vec![
            definition("Lead Score", "k1", CustomFieldType::Number),
            definition("Website", "k2", CustomFieldType::Url),
        ]);
        assert_eq!(index.by_name(" lead SCORE ").map(|d| &*d.key), Some("k1"));
        assert_eq!(index.by_key("k2").map(|d| &*d.name), Some("Website"));
        assert!(index.by_key("K2").is_none());
        assert_eq!(index.find("k1").map(|d| &*d.name), Some("Lead Score"));
        assert_eq!(index.find("website").map(|d| &*d.key), Some("k2"));
        assert!(index.find("nope").is_none());
    }

    #[test]
    fn a_name_wins_over_a_key_and_the_first_duplicate_wins() {
        let index = DefinitionIndex::new(vec![
            definition("Owner", "owner-2", CustomFieldType::String),
            definition("Other", "owner", CustomFieldType::String),
            definition("owner", "owner-3", CustomFieldType::String),
        ]);
        assert_eq!(index.find("owner").map(|d| &*d.key), Some("owner-2"));
        assert_eq!(index.by_key("owner").map(|d| &*d.name), Some("Other"));
    }
}
