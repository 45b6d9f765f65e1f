//! Custom-field values as callers write them, checked against the field's
//! definition and turned into what Quo reads.
//!
//! A caller names a field ("Lead Score") and gives a plain Rust value
//! (`42`); the definition says the key to write and the kind the value must
//! have. A value of the wrong kind is refused before anything is sent,
//! rather than left for Quo to refuse (or, worse, to store as text).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use quo_api::types::{
    CustomFieldDefinition, CustomFieldInput, CustomFieldInputValue, CustomFieldType,
};

use crate::custom_field_definitions::{DefinitionIndex, known_kind};
use crate::error::{Error, Result, quote_short};

/// A value for a custom field, in the caller's terms.
///
/// Made from Rust values with `From`: text (`&str`, `String`), numbers
/// (`f64`, `i32`, `i64`, `u32`), `bool`, a list of options (`Vec<String>`,
/// `Vec<&str>`, arrays of `&str`), a [`DateTime<Utc>`] or a [`NaiveDate`];
/// [`FieldValue::Clear`] empties the field.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldValue {
    /// Text: for `string`, `address` and `url` fields (any text, as the
    /// spec types them), and `date` fields given as RFC 3339 or
    /// `YYYY-MM-DD` text.
    Text(String),
    /// A finite number, for `number` fields.
    Number(f64),
    /// For `boolean` fields.
    Bool(bool),
    /// The chosen options, for `multi-select` fields.
    Options(Vec<String>),
    /// A point in time, for `date` fields.
    Date(DateTime<Utc>),
    /// Text as a spreadsheet or CSV cell holds it, read by the field's kind
    /// when the definitions are known: `"42.5"` for a number, `"true"`,
    /// `"yes"` or `"1"` for a boolean, `"2024-05-01"` for a date,
    /// `"a; b"` for a multi-select (options split on `;`), as it is for
    /// text. Blank text clears the field. Made by
    /// [`ContactDraft::custom_field_text`](super::ContactDraft::custom_field_text);
    /// text that does not fit the kind is refused naming the field, so a
    /// sync fails that row alone instead of each caller writing a
    /// converter.
    Unparsed(String),
    /// No value: empties the field.
    Clear,
}

impl From<&str> for FieldValue {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for FieldValue {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<f64> for FieldValue {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

impl From<i32> for FieldValue {
    fn from(value: i32) -> Self {
        Self::Number(f64::from(value))
    }
}

impl From<u32> for FieldValue {
    fn from(value: u32) -> Self {
        Self::Number(f64::from(value))
    }
}

impl From<i64> for FieldValue {
    /// Exact up to 2^53, as every JSON number Quo reads.
    #[allow(clippy::cast_precision_loss)]
    fn from(value: i64) -> Self {
        Self::Number(value as f64)
    }
}

impl From<bool> for FieldValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<Vec<String>> for FieldValue {
    fn from(value: Vec<String>) -> Self {
        Self::Options(value)
    }
}

impl From<Vec<&str>> for FieldValue {
    fn from(value: Vec<&str>) -> Self {
        Self::Options(value.into_iter().map(str::to_owned).collect())
    }
}

impl<const N: usize> From<[&str; N]> for FieldValue {
    fn from(value: [&str; N]) -> Self {
        Self::Options(value.into_iter().map(str::to_owned).collect())
    }
}

impl From<DateTime<Utc>> for FieldValue {
    fn from(value: DateTime<Utc>) -> Self {
        Self::Date(value)
    }
}

impl From<NaiveDate> for FieldValue {
    /// Midnight UTC of that day, as Quo stores dates.
    fn from(value: NaiveDate) -> Self {
        Self::Date(value.and_time(chrono::NaiveTime::MIN).and_utc())
    }
}

impl<T: Into<FieldValue>> From<Option<T>> for FieldValue {
    /// `None` clears the field.
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Clear, Into::into)
    }
}

/// The custom field a caller named and the value to write, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResolvedField {
    /// The field's key (how Quo identifies it on writes).
    pub(crate) key: String,
    /// The value as Quo reads it (`None`: clear).
    pub(crate) value: Option<CustomFieldInputValue>,
}

impl ResolvedField {
    /// The wire form, with the contact's existing item id when known.
    pub(crate) fn into_input(self, id: Option<String>) -> CustomFieldInput {
        CustomFieldInput {
            id,
            key: Some(self.key),
            value: self.value,
        }
    }
}

/// Finds the field `name_or_key` names and checks `value` against its kind.
///
/// Fails with [`Error::InvalidInput`] when the workspace has no such field
/// (naming it) or the value does not fit the field's kind.
pub(crate) fn resolve(
    index: &DefinitionIndex,
    name_or_key: &str,
    value: &FieldValue,
) -> Result<ResolvedField> {
    let definition = index.find(name_or_key)?.ok_or_else(|| Error::InvalidInput {
        field: "custom_field",
        message: format!(
            "the workspace has no custom field named or keyed {:?} (names are matched in any case)",
            quote_short(name_or_key)
        ),
    })?;
    let value = wire_value(definition, value)?;
    Ok(ResolvedField {
        key: definition.key.clone(),
        value,
    })
}

/// `value` as Quo reads it for `definition`'s kind, or why it does not fit.
///
/// Stricter than the spec's schema, which lets any key take any kind of
/// value (it cannot tie a key to its field): the definition says the
/// field's kind, and Quo refuses another kind with `0801400`.
fn wire_value(
    definition: &CustomFieldDefinition,
    value: &FieldValue,
) -> Result<Option<CustomFieldInputValue>> {
    use CustomFieldInputValue as Wire;
    if *value == FieldValue::Clear {
        return Ok(None);
    }
    let Some(kind) = known_kind(definition) else {
        // A kind newer than this crate: send what the caller gave.
        return Ok(Some(match value {
            FieldValue::Text(text) => Wire::String(text.clone()),
            FieldValue::Number(n) => Wire::Number(*n),
            FieldValue::Bool(b) => Wire::Boolean(*b),
            FieldValue::Options(options) => Wire::Array(options.clone()),
            FieldValue::Date(date) => Wire::String(date_text(date)),
            FieldValue::Unparsed(text) if text.trim().is_empty() => return Ok(None),
            FieldValue::Unparsed(text) => Wire::String(text.clone()),
            FieldValue::Clear => return Ok(None),
        }));
    };
    if let FieldValue::Unparsed(text) = value {
        return from_text(definition, kind, text, value);
    }
    let wire = match (kind, value) {
        // The spec types a `url` field's value as any string, like
        // `string` and `address`: `example.com` or a relative link is
        // Quo's to judge, not refused here.
        (
            CustomFieldType::String | CustomFieldType::Address | CustomFieldType::Url,
            FieldValue::Text(text),
        ) => Wire::String(text.clone()),
        (CustomFieldType::Number, FieldValue::Number(n)) if n.is_finite() => Wire::Number(*n),
        (CustomFieldType::Boolean, FieldValue::Bool(b)) => Wire::Boolean(*b),
        (CustomFieldType::MultiSelect, FieldValue::Options(options)) => {
            Wire::Array(options.clone())
        }
        (CustomFieldType::Date, FieldValue::Date(date)) => Wire::String(date_text(date)),
        (CustomFieldType::Date, FieldValue::Text(text)) => match parse_date(text) {
            Some(date) => Wire::String(date_text(&date)),
            None => return Err(mismatch(definition, "a date", value)),
        },
        (kind, _) => return Err(mismatch(definition, expected(kind), value)),
    };
    Ok(Some(wire))
}

/// Cell text read as a value of `kind`; blank text clears the field.
fn from_text(
    definition: &CustomFieldDefinition,
    kind: CustomFieldType,
    text: &str,
    value: &FieldValue,
) -> Result<Option<CustomFieldInputValue>> {
    use CustomFieldInputValue as Wire;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let wire = match kind {
        // Text kinds keep the cell as written: spaces may be meant.
        CustomFieldType::String | CustomFieldType::Address | CustomFieldType::Url => {
            Wire::String(text.to_owned())
        }
        CustomFieldType::Number => match trimmed.parse::<f64>() {
            Ok(n) if n.is_finite() => Wire::Number(n),
            _ => return Err(mismatch(definition, expected(kind), value)),
        },
        CustomFieldType::Boolean => match parse_bool(trimmed) {
            Some(b) => Wire::Boolean(b),
            None => {
                return Err(mismatch(
                    definition,
                    "true or false (also yes/no, y/n, 1/0)",
                    value,
                ));
            }
        },
        CustomFieldType::MultiSelect => Wire::Array(
            trimmed
                .split(';')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        CustomFieldType::Date => match parse_date(trimmed) {
            Some(date) => Wire::String(date_text(&date)),
            None => {
                return Err(mismatch(
                    definition,
                    "a date (YYYY-MM-DD or RFC 3339)",
                    value,
                ));
            }
        },
    };
    Ok(Some(wire))
}

/// The spellings of a boolean spreadsheets and CRMs export, in any case.
fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// What a field of `kind` takes, for error messages.
fn expected(kind: CustomFieldType) -> &'static str {
    match kind {
        CustomFieldType::String | CustomFieldType::Address => "text",
        CustomFieldType::Url => "text (a URL)",
        CustomFieldType::Number => "a finite number",
        CustomFieldType::Boolean => "true or false",
        CustomFieldType::MultiSelect => "a list of options",
        CustomFieldType::Date => "a date",
    }
}

fn mismatch(definition: &CustomFieldDefinition, expected: &str, value: &FieldValue) -> Error {
    let given = match value {
        FieldValue::Text(text) | FieldValue::Unparsed(text) => {
            format!("the text {:?}", quote_short(text))
        }
        FieldValue::Number(n) => format!("the number {n}"),
        FieldValue::Bool(b) => format!("the boolean {b}"),
        FieldValue::Options(options) => format!("a list of {} options", options.len()),
        FieldValue::Date(date) => format!("the date {}", date_text(date)),
        FieldValue::Clear => "no value".to_owned(),
    };
    Error::InvalidInput {
        field: "custom_field",
        message: format!(
            "custom field {:?} (kind {}) takes {expected}, got {given}",
            quote_short(&definition.name),
            definition.type_
        ),
    }
}

/// A date as Quo writes it: RFC 3339 in UTC with milliseconds.
fn date_text(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// RFC 3339, or a bare `YYYY-MM-DD` (midnight UTC).
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::{FieldValue, resolve};
    use crate::custom_field_definitions::DefinitionIndex;
    use crate::error::Error;
    use quo_api::types::{CustomFieldDefinition, CustomFieldInputValue as Wire, CustomFieldType};

    fn index() -> DefinitionIndex {
        let definition = |name: &str, key: &str, kind| CustomFieldDefinition {
            name: name.into(),
            key: key.into(),
            type_: quo_api::Open::Known(kind),
        };
        DefinitionIndex::new(vec![
            definition("Lead Score", "lead-score", CustomFieldType::Number),
            definition("Website", "website", CustomFieldType::Url),
            definition("VIP", "vip", CustomFieldType::Boolean),
            definition("Interests", "interests", CustomFieldType::MultiSelect),
            definition("Renewal", "renewal", CustomFieldType::Date),
            definition("Notes", "notes", CustomFieldType::String),
            CustomFieldDefinition {
                name: "Rating".into(),
                key: "rating".into(),
                type_: quo_api::Open::Other("stars".into()),
            },
        ])
    }

    fn wire(name: &str, value: impl Into<FieldValue>) -> Option<Wire> {
        resolve(&index(), name, &value.into()).unwrap().value
    }

    fn refused(name: &str, value: impl Into<FieldValue>) -> String {
        match resolve(&index(), name, &value.into()) {
            Err(Error::InvalidInput { field, message }) => {
                assert_eq!(field, "custom_field");
                message
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn values_of_the_right_kind_become_the_wire_value_under_the_key() {
        let resolved = resolve(&index(), "lead score", &42.into()).unwrap();
        assert_eq!(resolved.key, "lead-score");
        assert_eq!(resolved.value, Some(Wire::Number(42.0)));
        assert_eq!(wire("VIP", true), Some(Wire::Boolean(true)));
        assert_eq!(
            wire("interests", ["a", "b"]),
            Some(Wire::Array(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            wire("Website", "https://example.com/x"),
            Some(Wire::String("https://example.com/x".into()))
        );
        // Any text, as the spec types a url field's value.
        assert_eq!(
            wire("Website", "example.com/x"),
            Some(Wire::String("example.com/x".into()))
        );
        assert_eq!(
            wire("Renewal", "2026-03-01"),
            Some(Wire::String("2026-03-01T00:00:00.000Z".into()))
        );
        assert_eq!(wire("Notes", FieldValue::Clear), None);
        assert_eq!(wire("rating", 5), Some(Wire::Number(5.0)));
    }

    fn text(name: &str, cell: &str) -> Option<Wire> {
        wire(name, FieldValue::Unparsed(cell.into()))
    }

    fn text_refused(name: &str, cell: &str) -> String {
        refused(name, FieldValue::Unparsed(cell.into()))
    }

    #[test]
    fn cell_text_is_read_by_the_field_kind() {
        assert_eq!(text("Lead Score", " 42.5 "), Some(Wire::Number(42.5)));
        assert_eq!(text("Lead Score", "-3"), Some(Wire::Number(-3.0)));
        for yes in ["true", "TRUE", "yes", "Y", "1"] {
            assert_eq!(text("VIP", yes), Some(Wire::Boolean(true)), "{yes}");
        }
        for no in ["false", "No", "n", "0"] {
            assert_eq!(text("VIP", no), Some(Wire::Boolean(false)), "{no}");
        }
        assert_eq!(
            text("Interests", "a; b ;;c"),
            Some(Wire::Array(vec!["a".into(), "b".into(), "c".into()]))
        );
        assert_eq!(
            text("Renewal", "2024-05-01"),
            Some(Wire::String("2024-05-01T00:00:00.000Z".into()))
        );
        assert_eq!(
            text("Notes", " as written "),
            Some(Wire::String(" as written ".into()))
        );
        assert_eq!(
            text("rating", "5 stars"),
            Some(Wire::String("5 stars".into()))
        );
        // A blank cell clears, whatever the kind.
        assert_eq!(text("Lead Score", "  "), None);
        assert_eq!(text("VIP", ""), None);
    }

    #[test]
    fn cell_text_that_does_not_fit_names_the_field_and_the_text() {
        let message = text_refused("Lead Score", "42,5");
        assert!(message.contains("\"Lead Score\""), "{message}");
        assert!(message.contains("\"42,5\""), "{message}");
        assert!(message.contains("finite number"), "{message}");
        assert!(text_refused("Lead Score", "NaN").contains("finite number"));
        assert!(text_refused("VIP", "maybe").contains("\"VIP\""));
        assert!(text_refused("Renewal", "May 1st").contains("\"Renewal\""));
        assert!(text_refused("Nope", "1").contains("no custom field"));
    }

    #[test]
    fn unknown_fields_and_values_of_the_wrong_kind_are_refused() {
        assert!(refused("Lead Scor", 1).contains("no custom field"));
        assert!(refused("Lead Score", "high").contains("takes a finite number"));
        assert!(refused("Lead Score", f64::NAN).contains("finite number"));
        assert!(refused("VIP", "yes").contains("true or false"));
        assert!(refused("Website", 3).contains("text (a URL)"));
        assert!(refused("Renewal", "next week").contains("a date"));
        assert!(refused("Interests", "a").contains("list of options"));
        assert!(refused("Notes", 3).contains("text"));
    }
}
