//! The workspace's custom-field definitions as a client remembers them:
//! indexed by name and key, read once and shared by every clone.
//!
//! The client only keeps them; reading them from Quo and the public lookups
//! are the [`custom_field_definitions`](crate::custom_field_definitions)
//! resource's, which hands the read in as a future.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use quo_api::types::CustomFieldDefinition;

use crate::error::Result;

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

    /// Every definition, in the order Quo lists them.
    pub(crate) fn definitions(&self) -> &[CustomFieldDefinition] {
        &self.definitions
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
    /// The cached index, or the one `load` reads when there is none yet
    /// (`load` is not polled otherwise).
    pub(crate) async fn get(
        &self,
        load: impl Future<Output = Result<DefinitionIndex>>,
    ) -> Result<Arc<DefinitionIndex>> {
        let mut cached = self.cached.lock().await;
        if let Some(index) = &*cached {
            return Ok(Arc::clone(index));
        }
        let index = Arc::new(load.await?);
        *cached = Some(Arc::clone(&index));
        Ok(index)
    }

    /// The index `load` reads, replacing the cached one.
    pub(crate) async fn refresh(
        &self,
        load: impl Future<Output = Result<DefinitionIndex>>,
    ) -> Result<Arc<DefinitionIndex>> {
        let mut cached = self.cached.lock().await;
        let index = Arc::new(load.await?);
        *cached = Some(Arc::clone(&index));
        Ok(index)
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
