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
            FieldValue::Clear => return Ok(None),
        }));
    };
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
        FieldValue::Text(text) => format!("the text {:?}", quote_short(text)),
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
