//! The contacts a [`DemoServer`](super::DemoServer) serves.
//!
//! Every contact is rendered to JSON once, when the dataset is built, and kept
//! as [`Bytes`]; serving a page is then a matter of copying bytes. Only the
//! fields the server needs for lookups and filters (`id`, `externalId`,
//! `source`) are kept beside the bytes, so even large datasets stay small.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use serde_json::Value;

use super::fake;
use super::prng::Fnv64;

/// Number of contacts in [`Dataset::demo`].
pub const DEMO_CONTACTS: usize = 240;

/// Seed of [`Dataset::demo`].
pub const DEMO_SEED: u64 = 0x0051_0C0D_E5EE_D001;

/// One pre-rendered contact and the fields used to find it.
#[derive(Debug, Clone)]
struct Entry {
    json: Bytes,
    id: Option<Box<str>>,
    external_id: Option<Box<str>>,
    source: Option<Box<str>>,
}

impl Entry {
    fn from_value(value: &Value) -> Self {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(Box::<str>::from);
        Entry {
            id: text("id"),
            external_id: text("externalId"),
            source: text("source"),
            // Rendering a `Value` to memory cannot fail.
            json: Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        }
    }
}

/// An immutable set of contacts, pre-rendered as JSON, in the order the list
/// endpoint returns them.
///
/// Cloning is cheap for the bytes (reference-counted) but copies the indexes;
/// share a dataset between servers with an `Arc<Dataset>` instead.
#[derive(Clone, Default)]
pub struct Dataset {
    entries: Vec<Entry>,
    by_id: HashMap<Box<str>, usize>,
    by_external_id: HashMap<Box<str>, Vec<usize>>,
    fingerprint: u64,
}

impl std::fmt::Debug for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The contacts themselves would be megabytes of output.
        f.debug_struct("Dataset")
            .field("len", &self.len())
            .field("fingerprint", &format_args!("{:016x}", self.fingerprint))
            .finish_non_exhaustive()
    }
}

impl Dataset {
    /// Generates `count` realistic contacts of one fictional workspace,
    /// newest first. The same `(count, seed)` always gives the same bytes.
    ///
    /// Each contact has a name, company and role (sometimes null), two emails
    /// and two phone numbers, and six of the workspace's seven custom fields
    /// (one of each kind: multi-select, address, string, url, boolean, date,
    /// number), some null, booleans and numbers typed as the schema says (the
    /// server can send them as strings, as Quo's examples show:
    /// [`DemoConfig::with_string_typed_custom_fields`](super::DemoConfig::with_string_typed_custom_fields)). Ids are
    /// 24 hex characters, unique within the dataset (for up to 16 million
    /// contacts). A contact renders to about 1.4 KB of JSON.
    pub fn generate(count: usize, seed: u64) -> Dataset {
        let mut dataset = Dataset::default();
        dataset.entries.reserve(count);
        for contact in fake::generate(count, seed) {
            dataset.push_entry(Entry {
                json: Bytes::from(contact.json),
                id: Some(contact.id.into()),
                external_id: contact.external_id.map(Into::into),
                source: contact.source.map(Into::into),
            });
        }
        dataset
    }

    /// A realistic small workspace: [`DEMO_CONTACTS`] contacts generated from
    /// [`DEMO_SEED`]. Used by the demo and as the server's default dataset.
    pub fn demo() -> Dataset {
        Dataset::generate(DEMO_CONTACTS, DEMO_SEED)
    }

    /// The demo dataset, generated once per process and shared.
    pub(crate) fn shared_demo() -> Arc<Dataset> {
        static DEMO: OnceLock<Arc<Dataset>> = OnceLock::new();
        DEMO.get_or_init(|| Arc::new(Dataset::demo())).clone()
    }

    /// Builds a dataset from hand-made contacts, served in the given order, so
    /// tests can serve edge cases (unknown custom field kinds, odd values).
    ///
    /// Values are rendered as given; they need not match the API schema. A
    /// contact is findable by id only if it has a string `id` (the first one
    /// wins on duplicates), and matches filters through its string
    /// `externalId` and `source`.
    pub fn from_values(values: impl IntoIterator<Item = Value>) -> Dataset {
        let mut dataset = Dataset::default();
        dataset.extend(values);
        dataset
    }

    /// Appends one hand-made contact (see [`Dataset::from_values`]).
    pub fn push(&mut self, value: Value) {
        self.push_entry(Entry::from_value(&value));
    }

    /// This dataset with `value` first (a contact just created: the list
    /// is newest first).
    pub(crate) fn with_first(&self, value: &Value) -> Dataset {
        let entries = std::iter::once(Entry::from_value(value)).chain(self.entries.iter().cloned());
        Self::rebuilt(entries)
    }

    /// This dataset with contact `index` replaced by `value`.
    pub(crate) fn with_replaced(&self, index: usize, value: &Value) -> Dataset {
        let entries = self.entries.iter().enumerate().map(|(i, e)| {
            if i == index {
                Entry::from_value(value)
            } else {
                e.clone()
            }
        });
        Self::rebuilt(entries)
    }

    /// This dataset without contact `index`.
    pub(crate) fn without(&self, index: usize) -> Dataset {
        let entries = self
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, e)| e.clone());
        Self::rebuilt(entries)
    }

    /// A dataset of these entries, indexed afresh.
    fn rebuilt(entries: impl Iterator<Item = Entry>) -> Dataset {
        let mut dataset = Dataset::default();
        for entry in entries {
            dataset.push_entry(entry);
        }
        dataset
    }

    /// Appends hand-made contacts (see [`Dataset::from_values`]).
    pub fn extend(&mut self, values: impl IntoIterator<Item = Value>) {
        for value in values {
            self.push(value);
        }
    }

    fn push_entry(&mut self, entry: Entry) {
        let index = self.entries.len();
        let mut hash = Fnv64::new();
        hash.write(&self.fingerprint.to_le_bytes());
        hash.field(entry.id.as_deref().unwrap_or_default().as_bytes());
        hash.write(&(entry.json.len() as u64).to_le_bytes());
        self.fingerprint = hash.finish();
        if let Some(id) = &entry.id {
            self.by_id.entry(id.clone()).or_insert(index);
        }
        if let Some(external_id) = &entry.external_id {
            self.by_external_id
                .entry(external_id.clone())
                .or_default()
                .push(index);
        }
        self.entries.push(entry);
    }

    /// Number of contacts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the dataset has no contacts.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The JSON of contact `index`, exactly as the server sends it.
    ///
    /// # Panics
    /// If `index >= self.len()`, like slice indexing.
    pub fn contact_json(&self, index: usize) -> &[u8] {
        &self.entries[index].json
    }

    /// The JSON of contact `index` as shared [`Bytes`] (a cheap clone).
    ///
    /// # Panics
    /// If `index >= self.len()`, like slice indexing.
    pub fn contact_bytes(&self, index: usize) -> Bytes {
        self.entries[index].json.clone()
    }

    /// The ids of all contacts that have one, in list order.
    /// Generated contacts always have one; hand-made ones may not.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().filter_map(|e| e.id.as_deref())
    }

    /// The index of the contact with this `id`, if any.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Every contact parsed back into a [`Value`], in list order, for tests
    /// that compare what a client decoded with what was served.
    pub fn contacts_value(&self) -> Vec<Value> {
        (0..self.len()).map(|i| self.contact_value(i)).collect()
    }

    /// Contact `index` parsed back into a [`Value`] (`Null` if out of range).
    pub fn contact_value(&self, index: usize) -> Value {
        self.entries
            .get(index)
            .and_then(|e| serde_json::from_slice(&e.json).ok())
            .unwrap_or(Value::Null)
    }

    /// A stable hash of the dataset's contents, used to tie page tokens to it.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Indices of the contacts whose `externalId` is one of `external_ids`,
    /// in list order, without duplicates.
    pub(crate) fn indices_by_external_ids(&self, external_ids: &[String]) -> Vec<usize> {
        let mut found: Vec<usize> = external_ids
            .iter()
            .filter_map(|id| self.by_external_id.get(id.as_str()))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// `source` of contact `index` (`None` when null or absent).
    pub(crate) fn source(&self, index: usize) -> Option<&str> {
        self.entries.get(index).and_then(|e| e.source.as_deref())
    }

    /// The JSON of contact `index`, or `None` if out of range.
    pub(crate) fn get_json(&self, index: usize) -> Option<&[u8]> {
        self.entries.get(index).map(|e| &e.json[..])
    }
}
