//! [`Items`]: the `data` of a list response, decoded item by item.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The items of a list response (its `data`), each decoded on its own.
///
/// An item that does not decode as `T` does not fail the page: it is kept
/// as its JSON in an [`UndecodedItem`] ([`undecoded`](Self::undecoded)),
/// with its position, and every other item is read. A missing or `null`
/// `data` is no items.
///
/// `Items` dereferences to the slice of decoded items, so
/// `page.data.len()`, `page.data[0]` and `for item in &page.data` see
/// those; it is written back as one array with every item, decoded or
/// not, in its place.
///
/// ```
/// use quo_api::pagination::Items;
///
/// let items: Items<u32> = serde_json::from_str(r#"[1, "two", 3]"#).unwrap();
/// assert_eq!(&items[..], [1, 3]);
/// assert_eq!(items.undecoded()[0].index(), 1);
/// assert_eq!(items.undecoded()[0].json(), r#""two""#);
/// assert_eq!(serde_json::to_string(&items).unwrap(), r#"[1,"two",3]"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Items<T> {
    decoded: Vec<T>,
    undecoded: Vec<UndecodedItem>,
}

impl<T> Items<T> {
    /// Items that all decoded.
    #[must_use]
    pub fn new(decoded: Vec<T>) -> Self {
        Self {
            decoded,
            undecoded: Vec::new(),
        }
    }

    /// The items that did not decode, in page order.
    #[must_use]
    pub fn undecoded(&self) -> &[UndecodedItem] {
        &self.undecoded
    }

    /// The decoded items and the undecoded ones, each in page order.
    #[must_use]
    pub fn into_parts(self) -> (Vec<T>, Vec<UndecodedItem>) {
        (self.decoded, self.undecoded)
    }

    /// How many items the server sent, decoded or not.
    #[must_use]
    pub fn sent(&self) -> usize {
        self.decoded.len() + self.undecoded.len()
    }
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl<T> From<Vec<T>> for Items<T> {
    fn from(decoded: Vec<T>) -> Self {
        Self::new(decoded)
    }
}

impl<T> std::ops::Deref for Items<T> {
    type Target = [T];

    /// The decoded items.
    fn deref(&self) -> &[T] {
        &self.decoded
    }
}

impl<T> IntoIterator for Items<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    /// The decoded items, by value.
    fn into_iter(self) -> Self::IntoIter {
        self.decoded.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Items<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    /// The decoded items, by reference.
    fn into_iter(self) -> Self::IntoIter {
        self.decoded.iter()
    }
}

/// An item of a list response that did not decode, kept as sent.
#[derive(Clone, Debug)]
pub struct UndecodedItem {
    index: usize,
    json: Box<RawValue>,
}

impl UndecodedItem {
    /// Its position in the page's `data`, counting from 0 (decoded items
    /// included).
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The item's JSON, as the server sent it.
    #[must_use]
    pub fn json(&self) -> &str {
        self.json.get()
    }

    /// The item's `id`, when it is an object with a string (or number) `id`.
    #[must_use]
    pub fn id(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct IdOnly {
            id: Option<serde_json::Value>,
        }
        match serde_json::from_str::<IdOnly>(self.json()).ok()?.id? {
            serde_json::Value::String(id) => Some(id),
            serde_json::Value::Number(id) => Some(id.to_string()),
            _ => None,
        }
    }

    /// Decodes the item again, for the error that made it undecodable.
    ///
    /// # Errors
    /// Why the JSON is not a `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.json())
    }
}

impl PartialEq for UndecodedItem {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.json() == other.json()
    }
}

impl<T: Serialize> Serialize for Items<T> {
    /// Every item in its place, the undecoded ones as sent.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.sent()))?;
        let mut decoded = self.decoded.iter();
        let mut undecoded = self.undecoded.iter().peekable();
        for index in 0..self.sent() {
            match undecoded.next_if(|item| item.index <= index) {
                Some(item) => seq.serialize_element(&item.json)?,
                None => match decoded.next() {
                    Some(item) => seq.serialize_element(item)?,
                    None => break,
                },
            }
        }
        // Undecoded items whose index lies past the end (built by hand).
        for item in undecoded {
            seq.serialize_element(&item.json)?;
        }
        seq.end()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Items<T> {
    /// An array (each element decoded on its own), or `null` or a missing
    /// key as no items.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(ItemsVisitor(std::marker::PhantomData))
    }
}

thread_local! {
    /// While a decode runs [`in_one_pass`]: `Some(met)`, `met` saying
    /// whether it has read any [`Items`] array yet. `None` otherwise.
    static ONE_PASS: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Runs `decode` with every [`Items`] array it meets read in one pass:
/// each item decoded straight from the document, none kept aside, so an
/// item that does not decode fails the whole `decode`. Returns its result
/// and whether it met any such array: only then can a failure come from
/// this mode, and the caller decode again, item by item. A page whose
/// items all decode (nearly every page) is thus read once instead of twice
/// (once to find each item's JSON, once to decode it).
///
/// A flag on the thread, because serde gives `Deserialize` no context: it
/// is set only while the synchronous `decode` runs, and restored after,
/// even if `decode` panics.
pub(crate) fn in_one_pass<R>(decode: impl FnOnce() -> R) -> (R, bool) {
    let _restore = Restore(ONE_PASS.replace(Some(false)));
    let result = decode();
    (result, ONE_PASS.get() == Some(true))
}

/// Runs `decode` with every [`Items`] array read item by item, as outside
/// [`in_one_pass`]: for the second decode, which may itself run inside
/// another decode's one pass (a `Deserialize` impl calling `from_json`).
pub(crate) fn item_by_item<R>(decode: impl FnOnce() -> R) -> R {
    let _restore = Restore(ONE_PASS.replace(None));
    decode()
}

/// Puts the mode back as it was, when dropped (even by a panic).
struct Restore(Option<bool>);

impl Drop for Restore {
    fn drop(&mut self) {
        ONE_PASS.set(self.0);
    }
}

struct ItemsVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ItemsVisitor<T> {
    type Value = Items<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of items or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Items::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Items::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Items::new(Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024)));
        if ONE_PASS.get().is_some() {
            ONE_PASS.set(Some(true));
            while let Some(item) = seq.next_element::<T>()? {
                items.decoded.push(item);
            }
            return Ok(items);
        }
        let mut index = 0;
        while let Some(json) = seq.next_element::<Box<RawValue>>()? {
            match serde_json::from_str::<T>(json.get()) {
                Ok(item) => items.decoded.push(item),
                Err(_) => items.undecoded.push(UndecodedItem { index, json }),
            }
            index += 1;
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ContactPage;

    #[test]
    fn an_unreadable_item_is_kept_aside_and_the_rest_decode() {
        let page: ContactPage = serde_json::from_str(
            r#"{"data": [
                {"id": "CT1", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z", "defaultFields": {}},
                {"id": "CT2", "createdAt": 42},
                7,
                {"id": "CT4", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z", "defaultFields": {}}
            ], "nextPageToken": "next"}"#,
        )
        .unwrap();
        let ids: Vec<&str> = page.data.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["CT1", "CT4"]);
        let undecoded = page.data.undecoded();
        assert_eq!(undecoded.len(), 2);
        assert_eq!(
            (undecoded[0].index(), undecoded[0].id()),
            (1, Some("CT2".to_owned()))
        );
        assert_eq!((undecoded[1].index(), undecoded[1].id()), (2, None));
        assert_eq!(undecoded[1].json(), "7");
        assert!(undecoded[0].decode::<crate::types::Contact>().is_err());
        assert_eq!(page.data.sent(), 4);
    }

    #[test]
    fn the_sdk_decoder_keeps_unreadable_items_aside_too() {
        let json = br#"{"data": [
            {"id": "CT1", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z", "defaultFields": {}},
            {"id": "CT2", "createdAt": 42}
        ], "nextPageToken": null}"#;
        let ours: ContactPage = crate::decode::from_json(json).unwrap();
        let theirs: ContactPage = serde_json::from_slice(json).unwrap();
        assert_eq!(ours.data, theirs.data);
        assert_eq!(ours.data.len(), 1);
        assert_eq!(ours.data.undecoded()[0].index(), 1);
        // The one-pass mode ends with the decode, failed or not.
        assert_eq!(ONE_PASS.get(), None);
        let all_good = br#"{"data": [7, 8]}"#;
        let items: std::collections::HashMap<String, Items<u8>> =
            crate::decode::from_json(all_good).unwrap();
        assert_eq!(&items["data"][..], [7, 8]);
        assert_eq!(ONE_PASS.get(), None);
        // It tells whether the decode met a list of items.
        let (_, met) = in_one_pass(|| serde_json::from_str::<Items<u8>>("[1, 2]"));
        assert!(met);
        let (_, met) = in_one_pass(|| serde_json::from_str::<Items<u8>>("null"));
        assert!(!met);
        assert_eq!(ONE_PASS.get(), None);
    }

    /// A page inside a string of another document, decoded by its own
    /// `Deserialize` with `from_json` while the outer decode runs; a page
    /// that fails is `None`, so the outer decode cannot see the failure.
    #[derive(Debug, PartialEq)]
    struct Embedded(Option<ContactPage>);

    impl<'de> Deserialize<'de> for Embedded {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let text = String::deserialize(deserializer)?;
            Ok(Embedded(crate::decode::from_json(text.as_bytes()).ok()))
        }
    }

    #[test]
    fn a_decode_inside_a_decode_keeps_unreadable_items_aside_too() {
        let inner = r#"{"data": [{"id": "CT2", "createdAt": 42}, 7]}"#;
        let outer = serde_json::json!([inner]).to_string();
        let ours: Items<Embedded> = crate::decode::from_json(outer.as_bytes()).unwrap();
        let theirs: Items<Embedded> = serde_json::from_slice(outer.as_bytes()).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.len(), 1);
        let page = ours[0].0.as_ref().expect("the inner page decodes");
        assert_eq!(page.data.undecoded().len(), 2);
    }

    #[test]
    fn items_are_written_back_in_their_places() {
        let json = r#"[{"a":1},2,"x",4,null]"#;
        let items: Items<u8> = serde_json::from_str(json).unwrap();
        assert_eq!(&items[..], [2, 4]);
        assert_eq!(serde_json::to_string(&items).unwrap(), json);
        let from_value: Items<u8> = serde_json::from_value(serde_json::json!([1, "y"])).unwrap();
        assert_eq!(&from_value[..], [1]);
        assert_eq!(from_value.undecoded()[0].json(), r#""y""#);
    }

    #[test]
    fn null_or_missing_data_is_no_items() {
        for json in [r#"{"data": null}"#, "{}"] {
            let page: ContactPage = serde_json::from_str(json).unwrap();
            assert_eq!(page.data.sent(), 0);
        }
        assert!(serde_json::from_str::<Items<u8>>("{}").is_err());
    }
}
