//! [`ItemError`]: one item of a list page that could not be read.

use std::fmt;

/// An item of a list page that could not be decoded, while the rest of the
/// page could.
///
/// The items stream yields it as [`Error::UnreadableItem`](crate::Error::UnreadableItem)
/// at the item's place and goes on with the next item; a
/// [`Page`](crate::pagination::Page) lists its own in
/// [`item_errors`](crate::pagination::Page::item_errors). Like every error, it quotes
/// bounded excerpts only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemError {
    /// The item's position in its page's `data`, counting from 0.
    pub index: usize,
    /// The item's `id`, when it has a readable one, cut to
    /// [`MAX_ID_CHARS`](crate::MAX_ID_CHARS) characters.
    pub id: Option<String>,
    /// JSON path of the field that failed inside the item, e.g.
    /// `createdAt`; `None` when the item itself is the wrong shape.
    pub path: Option<String>,
    /// What was wrong (from the JSON decoder), cut to
    /// [`MAX_EXCERPT_CHARS`](crate::MAX_EXCERPT_CHARS) characters.
    pub message: String,
    /// Up to [`MAX_EXCERPT_CHARS`](crate::MAX_EXCERPT_CHARS)
    /// characters of the item around the failure.
    pub excerpt: String,
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item {} of the page", self.index)?;
        if let Some(id) = &self.id {
            write!(f, " (id `{id}`)")?;
        }
        f.write_str(" could not be decoded")?;
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ItemError {}

#[cfg(test)]
mod tests {
    use super::ItemError;

    #[test]
    fn display_names_the_item_and_the_field() {
        let e = ItemError {
            index: 3,
            id: Some("CT1".into()),
            path: Some("createdAt".into()),
            message: "invalid type: integer `42`".into(),
            excerpt: String::new(),
        };
        assert_eq!(
            e.to_string(),
            "item 3 of the page (id `CT1`) could not be decoded at `createdAt`: invalid type: integer `42`"
        );
    }
}
