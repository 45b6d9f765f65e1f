//! The shape shared by Quo's v1 list operations.
//!
//! Every v1 list operation takes `maxResults` and `pageToken` and answers
//! `{ data: [...], totalItems, nextPageToken }`. The build script implements
//! [`Paginated`] for each such generated response type, which is what lets
//! `quo-api-ext` offer the same page and item streams for contacts, calls,
//! messages and any list operation a future spec adds.

/// A page of a v1 list response.
pub trait Paginated {
    /// The element type of `data`.
    type Item;
    /// The token for the next page; `None` (or empty) when this is the last.
    fn next_page_token(&self) -> Option<&str>;
    /// `totalItems`, if the response has it. Quo documents it as
    /// unreliable, so treat it as a hint only.
    fn total_items_hint(&self) -> Option<u64>;
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
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
