//! How fields of response data are read leniently.
//!
//! The generated types call these through `#[serde(deserialize_with)]`
//! (the build script adds the attributes, see `codegen.rs`), so a value
//! Quo sends in a slightly odd form still decodes:
//!
//! - an array that may be absent ([`null_as_empty`]) also reads `null` as
//!   empty, so the field stays a plain `Vec`;
//! - a date-time ([`utc`], [`utc_opt`]) without an offset, such as
//!   `2024-01-02T03:04:05`, is read as UTC.
//!
//! Only reading changes: the types serialise exactly as before, so a
//! request never carries `null` for an array nor a time without offset.

mod timestamp;

pub use timestamp::{parse_utc, utc, utc_opt};

use serde::{Deserialize, Deserializer};

/// Reads a field that may be present with `null`: `Some(None)` for `null`,
/// `Some(Some(v))` for a value (a missing field is `None`, through
/// `#[serde(default)]`). The generated `PATCH` bodies use it, where `null`
/// means "clear" and a missing field means "keep".
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Patch {
///     #[serde(default, deserialize_with = "quo_api::lenient::present")]
///     role: Option<Option<String>>,
/// }
/// let read = |json: &str| serde_json::from_str::<Patch>(json).unwrap().role;
/// assert_eq!(read(r#"{"role": "CTO"}"#), Some(Some("CTO".into())));
/// assert_eq!(read(r#"{"role": null}"#), Some(None));
/// assert_eq!(read("{}"), None);
/// ```
///
/// # Errors
/// Those of reading the value itself.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Reads an array, or `null` as an empty one.
///
/// (A field that is missing altogether is served by `#[serde(default)]`,
/// which the generated fields using this carry.)
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Tags {
///     #[serde(default, deserialize_with = "quo_api::lenient::null_as_empty")]
///     tags: Vec<String>,
/// }
/// let read = |json: &str| serde_json::from_str::<Tags>(json).unwrap().tags;
/// assert_eq!(read(r#"{"tags": ["a"]}"#), ["a"]);
/// assert!(read(r#"{"tags": null}"#).is_empty());
/// assert!(read("{}").is_empty());
/// ```
///
/// # Errors
/// Those of reading the array itself.
pub fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use crate::types::{Contact, ContactPage};

    fn contact(defaults: &str, extra: &str) -> String {
        format!(
            r#"{{"id": "CT1", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z",
                "createdByUserId": "US1", "defaultFields": {defaults}{extra}}}"#
        )
    }

    #[test]
    fn absent_and_null_arrays_read_as_empty_in_generated_types() {
        for defaults in [
            "{}",
            r#"{"emails": null, "phoneNumbers": null}"#,
            r#"{"emails": [], "phoneNumbers": null}"#,
        ] {
            for extra in ["", r#", "customFields": null"#] {
                let json = contact(defaults, extra);
                let got: Contact = serde_json::from_str(&json).expect(&json);
                assert!(got.default_fields.emails.is_empty());
                assert!(got.default_fields.phone_numbers.is_empty());
                assert!(got.custom_fields.is_empty());
            }
        }
        let page: ContactPage = serde_json::from_str(r#"{"data": null}"#).unwrap();
        assert!(page.data.is_empty());
        let page: ContactPage = serde_json::from_str("{}").unwrap();
        assert!(page.data.is_empty());
    }

    #[test]
    fn an_entry_without_name_and_a_contact_without_its_creator_decode() {
        let json = contact(
            r#"{"emails": [{"value": "a@example.com"}], "phoneNumbers": [{"value": "+15555550100"}]}"#,
            "",
        )
        .replace(r#""createdByUserId": "US1","#, "");
        let got: Contact = serde_json::from_str(&json).expect(&json);
        assert_eq!(got.created_by_user_id, None);
        assert_eq!(got.default_fields.emails[0].name, None);
        assert_eq!(got.default_fields.phone_numbers[0].name, None);
    }

    #[test]
    fn null_arrays_are_written_as_arrays() {
        let json = contact(r#"{"emails": null, "phoneNumbers": null}"#, "");
        let got: Contact = serde_json::from_str(&json).unwrap();
        let written = serde_json::to_value(&got).unwrap();
        assert!(!written.to_string().contains("null"), "{written}");
    }
}
