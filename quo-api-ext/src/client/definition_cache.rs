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

use crate::error::{Error, Result, quote_short};

/// The definitions with their lookups, as one cached value.
#[derive(Debug, Default)]
pub(crate) struct DefinitionIndex {
    definitions: Vec<CustomFieldDefinition>,
    /// Every definition under its folded name, in Quo's order.
    by_name: HashMap<String, Vec<usize>>,
    by_key: HashMap<String, usize>,
}

impl DefinitionIndex {
    /// Indexes `definitions`; on duplicate keys the first one wins (names
    /// that clash are resolved, or refused, by [`by_name`](Self::by_name)).
    pub(crate) fn new(definitions: Vec<CustomFieldDefinition>) -> Self {
        let mut by_name = HashMap::new();
        let mut by_key = HashMap::new();
        for (index, definition) in definitions.iter().enumerate() {
            by_name
                .entry(name_key(&definition.name))
                .or_insert_with(Vec::new)
                .push(index);
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

    /// The definition named `name` (spaces around ignored): the one whose
    /// name matches in case, else the one that matches in any case.
    ///
    /// Several that match and none better (`"OWNER"` when the workspace has
    /// "Owner" and "owner") are [`Error::InvalidInput`] naming them all,
    /// rather than a silent pick of the first: a write to the wrong field
    /// would go unnoticed.
    pub(crate) fn by_name(&self, name: &str) -> Result<Option<&CustomFieldDefinition>> {
        let Some(candidates) = self.by_name.get(&name_key(name)) else {
            return Ok(None);
        };
        let wanted = name.trim();
        let exact: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| self.definitions[i].name.trim() == wanted)
            .collect();
        let matches = if exact.is_empty() { candidates } else { &exact };
        match matches.as_slice() {
            [one] => Ok(Some(&self.definitions[*one])),
            several => Err(self.ambiguous(name, several)),
        }
    }

    /// [`Error::InvalidInput`] for a name that matches the definitions at
    /// `indices`, naming each with its key.
    fn ambiguous(&self, name: &str, indices: &[usize]) -> Error {
        let named: Vec<String> = indices
            .iter()
            .map(|&i| {
                let definition = &self.definitions[i];
                format!(
                    "{:?} (key {:?})",
                    quote_short(&definition.name),
                    quote_short(&definition.key)
                )
            })
            .collect();
        Error::InvalidInput {
            field: "custom_field",
            message: format!(
                "{:?} matches {} custom fields: {}; use the exact name or a key",
                quote_short(name),
                indices.len(),
                named.join(", ")
            ),
        }
    }

    /// The definition keyed exactly `key`.
    pub(crate) fn by_key(&self, key: &str) -> Option<&CustomFieldDefinition> {
        self.by_key.get(key).map(|&i| &self.definitions[i])
    }

    /// The definition a caller means by `name_or_key`: a name first (what
    /// people type), then a key.
    pub(crate) fn find(&self, name_or_key: &str) -> Result<Option<&CustomFieldDefinition>> {
        Ok(self
            .by_name(name_or_key)?
            .or_else(|| self.by_key(name_or_key)))
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
        let key = |found: crate::Result<Option<&CustomFieldDefinition>>| {
            found.unwrap().map(|d| d.key.clone())
        };
        assert_eq!(key(index.by_name(" lead SCORE ")).as_deref(), Some("k1"));
        assert_eq!(index.by_key("k2").map(|d| &*d.name), Some("Website"));
        assert!(index.by_key("K2").is_none());
        assert_eq!(key(index.find("k1")).as_deref(), Some("k1"));
        assert_eq!(key(index.find("website")).as_deref(), Some("k2"));
        assert!(key(index.find("nope")).is_none());
    }

    #[test]
    fn an_exact_name_wins_and_names_equal_in_any_case_are_not_guessed() {
        let index = DefinitionIndex::new(vec![
            definition("Owner", "owner-2", CustomFieldType::String),
            definition("Other", "owner", CustomFieldType::String),
            definition("owner", "owner-3", CustomFieldType::String),
        ]);
        let key = |name: &str| index.find(name).unwrap().map(|d| d.key.clone());
        assert_eq!(key("Owner").as_deref(), Some("owner-2"));
        assert_eq!(key(" owner ").as_deref(), Some("owner-3"));
        assert_eq!(index.by_key("owner").map(|d| &*d.name), Some("Other"));
        match index.find("OWNER") {
            Err(crate::Error::InvalidInput { field, message }) => {
                assert_eq!(field, "custom_field");
                assert!(message.contains("\"Owner\" (key \"owner-2\")"), "{message}");
                assert!(message.contains("\"owner\" (key \"owner-3\")"), "{message}");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
}
