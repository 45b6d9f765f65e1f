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

/// `1..=72` characters, not one Quo reserves (any case).
pub(crate) fn source(value: &str) -> Result<()> {
    length("source", value, MAX_SOURCE_CHARS)?;
    let lower = value.to_lowercase();
    if RESERVED_SOURCES.contains(&lower.as_str()) {
        return Err(refuse(
            "source",
            format!("{:?} is reserved by Quo", quote_short(value)),
        ));
    }
    if let Some(prefix) = RESERVED_SOURCE_PREFIXES
        .iter()
        .find(|p| lower.starts_with(*p))
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

/// An absolute URL of at most 200 characters.
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

/// A phone number in E.164: `+`, then 2 to 15 digits, the first not 0.
pub(crate) fn phone_number(value: &str) -> Result<()> {
    input::e164("phone_number", value)
}

/// An email address: text on both sides of one `@`, no spaces.
pub(crate) fn email(value: &str) -> Result<()> {
    let ok = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !value.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(refuse(
            "email",
            format!("{:?} is not an email address", quote_short(value)),
        ))
    }
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
            "CSV",
            "csv-import",
            "openphone-sync",
            "zapier",
            "other",
            "",
            &"s".repeat(73),
        ] {
            assert_eq!(field(source(bad)), "source", "{bad}");
        }
        for ok in ["crm-sync", "public-api", "my-csv", &"s".repeat(72)] {
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
        assert!(email("ada@example.com").is_ok());
        for bad in ["ada", "@example.com", "ada@", "a da@example.com", "a@b@c"] {
            assert_eq!(field(email(bad)), "email", "{bad}");
        }
    }
}
