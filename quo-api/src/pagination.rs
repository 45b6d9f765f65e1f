//! The shape shared by Quo's v1 list operations.
//!
//! Every v1 list operation takes `maxResults` and `pageToken` and answers
//! `{ data: [...], totalItems, nextPageToken }`. The build script implements
//! [`Paginated`] for each such generated response type, which is what lets
//! `quo-api-ext` offer the same page and item streams for contacts, calls,
//! messages and any list operation a future spec adds.
//!
//! A list response's `data` is an [`Items`]: each item is decoded on its
//! own, so an item that cannot be read is kept aside ([`UndecodedItem`])
//! instead of failing the page.

pub(crate) mod items;

pub use items::{Items, UndecodedItem};

/// A page of a v1 list response.
pub trait Paginated {
    /// The element type of `data`.
    type Item: serde::de::DeserializeOwned;
    /// The token for the next page; `None` (or empty) when this is the last.
    fn next_page_token(&self) -> Option<&str>;
    /// `totalItems`, if the response has it. Quo documents it as
    /// unreliable, so treat it as a hint only.
    fn total_items_hint(&self) -> Option<u64>;
    /// The page's items: those that decoded, and those that did not.
    fn into_items(self) -> Items<Self::Item>;
    /// The item's identifier (its `id` field), when the item type has one.
    ///
    /// Used to recognise a page that was already seen in a walk even when
    /// it came back under a different page token. `None` (the default)
    /// means items cannot be told apart by id.
    fn item_id(item: &Self::Item) -> Option<&str> {
        let _ = item;
        None
    }
}

/// Reads a generated `id` field of a list item, whichever type it has.
pub trait ItemId {
    /// The id, if present.
    fn id(&self) -> Option<&str>;
}

impl ItemId for String {
    fn id(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl ItemId for Option<String> {
    fn id(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// Reads a generated `next_page_token` field, whichever type it has.
pub trait NextPageToken {
    /// The token, if present.
    fn token(&self) -> Option<&str>;
}

impl NextPageToken for Option<String> {
    fn token(&self) -> Option<&str> {
        self.as_deref()
    }
}

impl NextPageToken for String {
    fn token(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

/// Reads a generated `total_items` field, whichever numeric type it has.
pub trait TotalItemsHint {
    /// The count, if it is a non-negative whole number.
    fn hint(&self) -> Option<u64>;
}

impl TotalItemsHint for i64 {
    fn hint(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }
}

impl TotalItemsHint for u64 {
    fn hint(&self) -> Option<u64> {
        Some(*self)
    }
}

impl TotalItemsHint for f64 {
    fn hint(&self) -> Option<u64> {
        (self.is_finite() && *self >= 0.0 && self.fract() == 0.0 && *self <= u64::MAX as f64)
            .then_some(*self as u64)
    }
}

impl<T: TotalItemsHint> TotalItemsHint for Option<T> {
    fn hint(&self) -> Option<u64> {
        self.as_ref().and_then(TotalItemsHint::hint)
    }
}

/// `totalItems` of a list response: a count Quo documents as not accurate,
/// so it is read as a hint that never fails a page.
///
/// A non-negative whole number, or a string holding one, is kept; anything
/// else (`null`, a negative or fractional number, other text, a missing
/// key) is `None`. It is written back as the number or `null`.
///
/// (A struct field of this type may be missing from the JSON: it then reads
/// as `None`, like an `Option` field.)
///
/// ```
/// use quo_api::pagination::TotalItems;
///
/// let read = |json: &str| serde_json::from_str::<TotalItems>(json).unwrap().get();
/// assert_eq!(read("120"), Some(120));
/// assert_eq!(read("\"120\""), Some(120));
/// assert_eq!(read("null"), None);
/// assert_eq!(read("\"many\""), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TotalItems(Option<u64>);

impl TotalItems {
    /// A count, or none.
    #[must_use]
    pub const fn new(count: Option<u64>) -> Self {
        Self(count)
    }

    /// The count, if Quo sent a readable one.
    #[must_use]
    pub const fn get(self) -> Option<u64> {
        self.0
    }
}

impl TotalItemsHint for TotalItems {
    fn hint(&self) -> Option<u64> {
        self.0
    }
}

impl serde::Serialize for TotalItems {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for TotalItems {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through `deserialize_option`: serde then also reads a missing
        // `totalItems` key as `None` instead of failing the page.
        deserializer
            .deserialize_option(LenientCount)
            .map(TotalItems)
    }
}

/// Reads any JSON value as a count, keeping only what is clearly one.
struct LenientCount;

impl<'de> serde::de::Visitor<'de> for LenientCount {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).ok())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.hint())
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse::<u64>().ok())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ContactPage;

    fn total_of(json: &str) -> Option<u64> {
        let page: ContactPage = serde_json::from_str(json).expect("the page decodes");
        page.total_items.get()
    }

    #[test]
    fn total_items_never_fails_a_page() {
        assert_eq!(total_of(r#"{"data": [], "totalItems": 7}"#), Some(7));
        assert_eq!(total_of(r#"{"data": [], "totalItems": " 7 "}"#), Some(7));
        assert_eq!(total_of(r#"{"data": [], "totalItems": 7.0}"#), Some(7));
        for odd in [
            "-1",
            "7.5",
            "\"seven\"",
            "true",
            "null",
            "[1]",
            "{\"n\": 1}",
        ] {
            let json = format!(r#"{{"data": [], "totalItems": {odd}}}"#);
            assert_eq!(total_of(&json), None, "{odd}");
        }
        assert_eq!(total_of(r#"{"data": []}"#), None);
    }

    #[test]
    fn total_items_round_trips() {
        for total in [TotalItems::new(Some(42)), TotalItems::new(None)] {
            let json = serde_json::to_string(&total).unwrap();
            assert_eq!(serde_json::from_str::<TotalItems>(&json).unwrap(), total);
        }
    }
}
