//! [`ItemError`]s for the items a page could not decode.

use quo_api::pagination::UndecodedItem;
use serde::de::DeserializeOwned;

use crate::error::decode_error;
use crate::error::{Error, ItemError, quote_display, quote_short};

/// Why `item` is not a `T`, bounded: the item is decoded again to name the
/// failing field and quote the text around it.
pub(crate) fn item_error<T: DeserializeOwned>(item: &UndecodedItem) -> ItemError {
    let id = item.id().map(|id| quote_short(&id));
    let (path, message, excerpt) = match item.decode::<T>() {
        Err(original) => match decode_error::<T>(None, item.json().as_bytes(), original) {
            Error::Decode {
                path,
                message,
                excerpt,
                ..
            } => (path, message, excerpt),
            other => (None, quote_display(&other), String::new()),
        },
        // Decoding is deterministic; kept for completeness.
        Ok(_) => (None, "the item did not decode".to_owned(), String::new()),
    };
    ItemError {
        index: item.index(),
        id,
        path,
        message,
        excerpt,
    }
}

#[cfg(test)]
mod tests {
    use super::item_error;
    use crate::error::{MAX_EXCERPT_CHARS, MAX_ID_CHARS};
    use quo_api::pagination::Items;
    use quo_api::types::Contact;

    fn undecoded(json: &str) -> Vec<quo_api::pagination::UndecodedItem> {
        let items: Items<Contact> = serde_json::from_str(json).unwrap();
        items.into_parts().1
    }

    #[test]
    fn names_the_index_id_and_field() {
        let items = undecoded(r#"[{"id": "CT1", "createdAt": 42}, "odd"]"#);
        let first = item_error::<Contact>(&items[0]);
        assert_eq!(first.index, 0);
        assert_eq!(first.id.as_deref(), Some("CT1"));
        assert_eq!(first.path.as_deref(), Some("createdAt"));
        assert!(first.message.contains("integer `42`"), "{}", first.message);
        let second = item_error::<Contact>(&items[1]);
        assert_eq!((second.index, second.id, second.path), (1, None, None));
    }

    #[test]
    fn stays_small_whatever_the_item() {
        let huge = "x".repeat(1_000_000);
        let json = format!(r#"[{{"id": "{huge}", "createdAt": "{huge}"}}]"#);
        let e = item_error::<Contact>(&undecoded(&json)[0]);
        assert!(e.id.as_ref().unwrap().chars().count() <= MAX_ID_CHARS + 1);
        assert!(e.message.chars().count() <= MAX_EXCERPT_CHARS);
        assert!(e.excerpt.chars().count() <= MAX_EXCERPT_CHARS);
        assert!(e.to_string().chars().count() < 400);
    }
}
