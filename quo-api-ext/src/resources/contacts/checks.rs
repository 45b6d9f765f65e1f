//! The limits Quo documents for contact writes, checked before sending.
//!
//! Each check returns [`Error::InvalidInput`] naming the field and quoting
//! the value (cut short), so a bad row in a sync fails on its own, with
//! nothing sent.

use crate::error::{Error, Result, quote_short};
use crate::resources::input;

/// Longest `externalId` Quo accepts, in characters.
pub const MAX_EXTERNAL_ID_CHARS: usize = 75;
/// Longest `source` Quo accepts, in characters.
pub const MAX_SOURCE_CHARS: usize = 72;
/// Longest `sourceUrl` Quo accepts, in characters.
pub const MAX_SOURCE_URL_CHARS: usize = 200;
/// The `source` values Quo keeps for itself.
pub const RESERVED_SOURCES: &[&str] = &[
    "openphone",
    "device",
    "csv",
    "zapier",
    "google-people",
    "other",
];
/// The `source` prefixes Quo keeps for itself.
pub const RESERVED_SOURCE_PREFIXES: &[&str] = &["openphone", "csv"];

fn refuse(field: &'static str, message: String) -> Error {
    Error::InvalidInput { field, message }
}

/// A first name: Quo requires one, and a blank one is no name.
///
/// Stricter than the spec (any string): a blank name leaves a contact that
/// no one can find or tell apart in Quo's app.
pub(crate) fn first_name(value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(refuse(
            "first_name",
            "a contact needs a first name that is not blank".into(),
        ));
    }
    Ok(())
}

/// `1..=75` characters.
pub(crate) fn external_id(value: &str) -> Result<()> {
    length("external_id", value, MAX_EXTERNAL_ID_CHARS)
}

/// `1..=72` characters, not one Quo reserves: the spec's reserved words
/// and prefixes, matched exactly as it writes them (lower case), so
/// `OpenPhone-sync` is allowed as the spec allows it.
///
/// Updates are held to 72 characters too although the spec's `PATCH`
/// allows 75: the generated `ContactSource` type that both writes share
/// carries the create's limit, and a sync re-creates contacts from it.
pub(crate) fn source(value: &str) -> Result<()> {
    length("source", value, MAX_SOURCE_CHARS)?;
    if RESERVED_SOURCES.contains(&value) {
        return Err(refuse(
            "source",
            format!("{:?} is reserved by Quo", quote_short(value)),
        ));
    }
    if let Some(prefix) = RESERVED_SOURCE_PREFIXES
        .iter()
        .find(|p| value.starts_with(*p))
    {
        return Err(refuse(
            "source",
            format!(
                "{:?} starts with {prefix:?}, a prefix reserved by Quo",
                quote_short(value)
            ),
        ));
    }
    Ok(())
}

/// An absolute URL of at most 200 characters: the spec's `format: uri`
/// (a URI has a scheme) and `maxLength`.
pub(crate) fn source_url(value: &str) -> Result<()> {
    length("source_url", value, MAX_SOURCE_URL_CHARS)?;
    if url::Url::parse(value).is_err() {
        return Err(refuse(
            "source_url",
            format!("{:?} is not an absolute URL", quote_short(value)),
        ));
    }
    Ok(())
}

/// A contact's phone number: any text that is not blank, as the spec
/// types it (a string), so `(555) 555-0123` or `555-0123 ext. 4` from a CRM
/// is Quo's to take or refuse.
///
/// Stricter than the spec only in refusing blank text: a blank number is no
/// number, and removing one is [`ContactChanges::remove_phone_number`](super::ContactChanges::remove_phone_number).
pub(crate) fn phone_number(value: &str) -> Result<()> {
    not_blank("phone_number", value, "a phone number")
}

/// A contact's email address: any text that is not blank, as the spec
/// types it (a string).
///
/// Stricter than the spec only in refusing blank text: a blank address is
/// no address, and removing one is [`ContactChanges::remove_email`](super::ContactChanges::remove_email).
pub(crate) fn email(value: &str) -> Result<()> {
    not_blank("email", value, "an email address")
}

fn not_blank(field: &'static str, value: &str, what: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(refuse(
            field,
            format!("{:?} is blank: not {what}", quote_short(value)),
        ));
    }
    Ok(())
}

fn length(field: &'static str, value: &str, max: usize) -> Result<()> {
    input::length(field, value, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<()>) -> &'static str {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn sources_reserved_by_quo_are_refused() {
        for bad in [
            "openphone",
            "csv",
            "csv-import",
            "openphone-sync",
            "zapier",
            "other",
            "",
            &"s".repeat(73),
        ] {
            assert_eq!(field(source(bad)), "source", "{bad}");
        }
        // The spec reserves the words as written: other cases are allowed.
        for ok in [
            "crm-sync",
            "public-api",
            "my-csv",
            "CSV",
            "OpenPhone-sync",
            "Zapier",
            &"s".repeat(72),
        ] {
            assert!(source(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn lengths_urls_names_and_emails() {
        assert!(external_id(&"x".repeat(75)).is_ok());
        assert_eq!(field(external_id(&"x".repeat(76))), "external_id");
        assert_eq!(field(external_id("")), "external_id");
        assert!(source_url("https://crm.example.com/c/1").is_ok());
        assert_eq!(field(source_url("crm/c/1")), "source_url");
        let long = format!("https://example.com/{}", "a".repeat(181));
        assert_eq!(field(source_url(&long)), "source_url");
        assert_eq!(field(first_name("  ")), "first_name");
        for ok in ["ada@example.com", "ada", "a da@example.com"] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in ["", "  "] {
            assert_eq!(field(email(bad)), "email", "{bad:?}");
        }
        for ok in ["+15555550123", "555-0123", "(555) 555-0123 ext. 4"] {
            assert!(phone_number(ok).is_ok(), "{ok}");
        }
        assert_eq!(field(phone_number(" ")), "phone_number");
    }
}
