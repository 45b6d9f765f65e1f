//! A tolerant, hand-written type for a contact's custom fields.
//!
//! Quo sends a contact's custom fields as a list of small objects:
//!
//! ```json
//! {"name": "Inbound Lead", "key": "inbound-lead", "id": "66d0...", "type": "boolean", "value": "false"}
//! ```
//!
//! The code generator would turn that into a type that rejects the whole
//! page as soon as one field is odd: a number sent as a string, a kind Quo
//! added after this SDK was released, a missing `key`. Custom fields are
//! user-defined data, so odd values are normal, and one of them must not hide
//! every other contact on the page. [`CustomField`] therefore replaces the
//! generated type and decodes every JSON object it is given:
//!
//! * a value that can be read as its kind becomes the typed variant of
//!   [`CustomFieldValue`] (numbers and booleans sent as strings included);
//! * a kind this SDK does not know becomes [`CustomFieldValue::Unknown`];
//! * a value that cannot be read as its (known) kind becomes
//!   [`CustomFieldValue::Invalid`], with the reason.
//!
//! In both of the last two cases the raw value is kept and written back
//! unchanged when the field is serialized, so nothing is lost.
//!
//! A key given twice keeps its first value (see `decode.rs`).
//!
//! The only input that fails to decode is one that is not a JSON object at all.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

mod decode;

/// The wire format of a date value when this SDK writes one: RFC 3339 in UTC
/// with milliseconds, the shape Quo itself sends (`2024-09-11T04:00:00.000Z`).
const DATE_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

/// Wire name of the multi-select kind (a list of strings).
const MULTI_SELECT: &str = "multi-select";
/// Wire name of the address kind (a string).
const ADDRESS: &str = "address";
/// Wire name of the string kind.
const STRING: &str = "string";
/// Wire name of the URL kind (a string).
const URL: &str = "url";
/// Wire name of the boolean kind.
const BOOLEAN: &str = "boolean";
/// Wire name of the date kind (an RFC 3339 date-time string).
const DATE: &str = "date";
/// Wire name of the number kind.
const NUMBER: &str = "number";

/// The custom-field kinds (the wire `type` strings) this SDK decodes into
/// typed [`CustomFieldValue`] variants. Any other kind decodes as
/// [`CustomFieldValue::Unknown`].
pub const KNOWN_KINDS: &[&str] = &[MULTI_SELECT, ADDRESS, STRING, URL, BOOLEAN, DATE, NUMBER];

/// One custom field of a contact, as Quo sends it in `customFields`.
///
/// Decoding never fails for a JSON object: see the [module documentation](self)
/// for how odd values are kept. Serializing writes the API's shape back
/// (`name`, `key` and `id` when present, `type`, `value`), so a field read from
/// Quo can be sent back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomField {
    /// The field's display name, e.g. `"Inbound Lead"`. Empty if Quo omitted it.
    pub name: String,
    /// The field's stable key, e.g. `"inbound-lead"`, when Quo sent one.
    /// Quo identifies a custom field by key when a contact is written.
    pub key: Option<String>,
    /// The field's identifier, when Quo sent one.
    pub id: Option<String>,
    /// The field's kind and value.
    pub value: CustomFieldValue,
}

impl CustomField {
    /// Creates a field with a name and a value and no key or id, for writes.
    ///
    /// Quo matches custom fields by key on writes, so usually follow this with
    /// [`with_key`](Self::with_key).
    #[must_use]
    pub fn new(name: impl Into<String>, value: CustomFieldValue) -> Self {
        Self {
            name: name.into(),
            key: None,
            id: None,
            value,
        }
    }

    /// Sets the field's key (how Quo identifies the field on writes).
    #[must_use]
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the field's id.
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The field's wire kind (its `type`), e.g. `"number"`; see
    /// [`CustomFieldValue::kind`].
    #[must_use]
    pub fn kind(&self) -> &str {
        self.value.kind()
    }

    /// Why the value could not be read as its kind, if it could not; see
    /// [`CustomFieldValue::problem`].
    #[must_use]
    pub fn problem(&self) -> Option<&str> {
        self.value.problem()
    }

    /// The whole field as the JSON object the API uses, the same as its
    /// serialized form.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("name".to_owned(), Value::String(self.name.clone()));
        if let Some(key) = &self.key {
            map.insert("key".to_owned(), Value::String(key.clone()));
        }
        if let Some(id) = &self.id {
            map.insert("id".to_owned(), Value::String(id.clone()));
        }
        if let Some(kind) = self.value.wire_kind() {
            map.insert("type".to_owned(), Value::String(kind.to_owned()));
        }
        map.insert("value".to_owned(), self.value.to_json());
        Value::Object(map)
    }
}

/// The kind and value of a [`CustomField`].
///
/// Every typed variant holds an `Option` because Quo sends `null` for a field
/// that has no value. New variants may be added as Quo adds kinds, hence
/// `#[non_exhaustive]`; until then such kinds arrive as [`Unknown`](Self::Unknown).
///
/// Serializing a value writes its wire value only (e.g. `42`, `"2024-09-11T04:00:00.000Z"`,
/// `null`), without the kind.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CustomFieldValue {
    /// Kind `multi-select`: the chosen options.
    MultiSelect(Option<Vec<String>>),
    /// Kind `address`: a free-text address.
    Address(Option<String>),
    /// Kind `string`: free text.
    String(Option<String>),
    /// Kind `url`: a URL, kept as the text Quo sent (not validated).
    Url(Option<String>),
    /// Kind `boolean`. Also decoded from the strings `"true"` / `"false"`.
    Boolean(Option<bool>),
    /// Kind `date`: a point in time, in UTC. Decoded from RFC 3339 or a bare
    /// `YYYY-MM-DD` date (taken as midnight UTC).
    Date(Option<DateTime<Utc>>),
    /// Kind `number`. Also decoded from a string holding a finite number.
    Number(Option<f64>),
    /// A kind this SDK does not know yet; kept verbatim so it can be inspected
    /// and written back unchanged. `kind` is empty when Quo sent no string `type`.
    Unknown {
        /// The wire `type` string, or empty if there was none.
        kind: String,
        /// The raw value as Quo sent it.
        value: Value,
    },
    /// A known kind whose value could not be read as that kind; kept verbatim
    /// with the reason, so one odd value does not fail the whole contact.
    Invalid {
        /// The wire `type` string (one of [`KNOWN_KINDS`]).
        kind: String,
        /// The raw value as Quo sent it.
        value: Value,
        /// Why the value could not be read as `kind`.
        reason: String,
    },
}

impl CustomFieldValue {
    /// Decodes a raw wire value of the given kind (the field's `type`),
    /// following the same tolerant rules as deserializing a [`CustomField`].
    /// Never fails: unreadable values become [`Invalid`](Self::Invalid), and
    /// unknown kinds become [`Unknown`](Self::Unknown).
    #[must_use]
    pub fn from_wire(kind: &str, value: Value) -> Self {
        match kind {
            MULTI_SELECT => decode_multi_select(value),
            ADDRESS => decode_text(value, ADDRESS, Self::Address),
            STRING => decode_text(value, STRING, Self::String),
            URL => decode_text(value, URL, Self::Url),
            BOOLEAN => decode_boolean(value),
            DATE => decode_date(value),
            NUMBER => decode_number(value),
            _ => Self::Unknown {
                kind: kind.to_owned(),
                value,
            },
        }
    }

    /// The wire kind (the field's `type` string), e.g. `"multi-select"`.
    /// For [`Unknown`](Self::Unknown) and [`Invalid`](Self::Invalid) this is
    /// the kind as received (possibly empty for `Unknown`).
    #[must_use]
    pub fn kind(&self) -> &str {
        match self {
            Self::MultiSelect(_) => MULTI_SELECT,
            Self::Address(_) => ADDRESS,
            Self::String(_) => STRING,
            Self::Url(_) => URL,
            Self::Boolean(_) => BOOLEAN,
            Self::Date(_) => DATE,
            Self::Number(_) => NUMBER,
            Self::Unknown { kind, .. } | Self::Invalid { kind, .. } => kind,
        }
    }

    /// The kind to write as `type`, or `None` for an `Unknown` value that
    /// arrived without a `type` (so that it is written back without one).
    fn wire_kind(&self) -> Option<&str> {
        match self {
            Self::Unknown { kind, .. } if kind.is_empty() => None,
            other => Some(other.kind()),
        }
    }

    /// Whether the field has no value (Quo sent `null` or no value).
    #[must_use]
    pub fn is_null(&self) -> bool {
        match self {
            Self::MultiSelect(v) => v.is_none(),
            Self::Address(v) | Self::String(v) | Self::Url(v) => v.is_none(),
            Self::Boolean(v) => v.is_none(),
            Self::Date(v) => v.is_none(),
            Self::Number(v) => v.is_none(),
            Self::Unknown { value, .. } | Self::Invalid { value, .. } => value.is_null(),
        }
    }

    /// The value of a `boolean` field, if it has one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Boolean(v) => *v,
            _ => None,
        }
    }

    /// The value of a `number` field, if it has one.
    #[must_use]
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Self::Number(v) => *v,
            _ => None,
        }
    }

    /// The text of an `address`, `string` or `url` field, if it has one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Address(v) | Self::String(v) | Self::Url(v) => v.as_deref(),
            _ => None,
        }
    }

    /// The value of a `date` field, if it has one.
    #[must_use]
    pub fn as_date(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::Date(v) => *v,
            _ => None,
        }
    }

    /// The chosen options of a `multi-select` field, if it has a value.
    #[must_use]
    pub fn as_multi_select(&self) -> Option<&[String]> {
        match self {
            Self::MultiSelect(v) => v.as_deref(),
            _ => None,
        }
    }

    /// Why the value could not be read as its kind, for an
    /// [`Invalid`](Self::Invalid) value; `None` otherwise.
    #[must_use]
    pub fn problem(&self) -> Option<&str> {
        match self {
            Self::Invalid { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The wire value as JSON, the same as the value's serialized form: typed
    /// values in the API's shape, `Unknown` and `Invalid` values verbatim.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Self::MultiSelect(v) => v.as_ref().map_or(Value::Null, |items| {
                Value::Array(items.iter().cloned().map(Value::String).collect())
            }),
            Self::Address(v) | Self::String(v) | Self::Url(v) => {
                v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
            }
            Self::Boolean(v) => v.map_or(Value::Null, Value::Bool),
            Self::Date(v) => v.map_or(Value::Null, |d| Value::String(format_date(&d))),
            Self::Number(v) => v.map_or(Value::Null, |n| match integral(n) {
                Some(i) => Value::from(i),
                // Non-finite numbers have no JSON form; serde_json writes them as null too.
                None => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
            }),
            Self::Unknown { value, .. } | Self::Invalid { value, .. } => value.clone(),
        }
    }
}

/// Formats a date the way Quo sends dates.
///
/// Milliseconds are written as Quo writes them (`.000Z`); a date with a
/// finer fraction keeps it (6 or 9 digits), so that what was read is what
/// is written back.
fn format_date(date: &DateTime<Utc>) -> String {
    if date.timestamp_subsec_nanos().is_multiple_of(1_000_000) {
        date.format(DATE_FORMAT).to_string()
    } else {
        date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// `n` as an `i64` when it is a whole number in `i64` range, so that whole
/// numbers are written as JSON integers (`424242`, not `424242.0`).
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn integral(n: f64) -> Option<i64> {
    // `i64::MAX as f64` is 2^63, just outside the range, hence `<`.
    if n.is_finite() && n.fract() == 0.0 && n >= i64::MIN as f64 && n < i64::MAX as f64 {
        Some(n as i64)
    } else {
        None
    }
}

/// A short description of a JSON value's type, for [`CustomFieldValue::Invalid`] reasons.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Builds an [`CustomFieldValue::Invalid`] for a known kind.
fn invalid(kind: &str, value: Value, reason: String) -> CustomFieldValue {
    CustomFieldValue::Invalid {
        kind: kind.to_owned(),
        value,
        reason,
    }
}

/// Builds an [`CustomFieldValue::Invalid`] saying what was expected instead of the value's type.
fn unexpected(kind: &str, value: Value, expected: &str) -> CustomFieldValue {
    let reason = format!("expected {expected}, found {}", describe(&value));
    invalid(kind, value, reason)
}

/// `multi-select`: an array of strings.
fn decode_multi_select(value: Value) -> CustomFieldValue {
    match value {
        Value::Null => CustomFieldValue::MultiSelect(None),
        Value::Array(items) => {
            if let Some((index, item)) = items.iter().enumerate().find(|(_, v)| !v.is_string()) {
                let reason = format!(
                    "expected an array of strings, but element {index} is {}",
                    describe(item)
                );
                return invalid(MULTI_SELECT, Value::Array(items), reason);
            }
            let strings = items
                .into_iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect();
            CustomFieldValue::MultiSelect(Some(strings))
        }
        other => unexpected(MULTI_SELECT, other, "an array of strings"),
    }
}

/// `address`, `string`, `url`: a string; numbers and booleans are taken as their text.
fn decode_text(
    value: Value,
    kind: &str,
    variant: fn(Option<String>) -> CustomFieldValue,
) -> CustomFieldValue {
    match value {
        Value::Null => variant(None),
        Value::String(s) => variant(Some(s)),
        Value::Number(n) => variant(Some(n.to_string())),
        Value::Bool(b) => variant(Some(b.to_string())),
        other => unexpected(kind, other, "a string"),
    }
}

/// `boolean`: a JSON boolean, or the string `true` / `false` (any ASCII case, trimmed).
fn decode_boolean(value: Value) -> CustomFieldValue {
    match value {
        Value::Null => CustomFieldValue::Boolean(None),
        Value::Bool(b) => CustomFieldValue::Boolean(Some(b)),
        Value::String(s) => match bool_from_text(&s) {
            Some(b) => CustomFieldValue::Boolean(Some(b)),
            None => {
                let reason = format!("expected a boolean or \"true\"/\"false\", found {s:?}");
                invalid(BOOLEAN, Value::String(s), reason)
            }
        },
        other => unexpected(BOOLEAN, other, "a boolean"),
    }
}

/// `number`: a JSON number, or a string holding a finite number (trimmed).
fn decode_number(value: Value) -> CustomFieldValue {
    match value {
        Value::Null => CustomFieldValue::Number(None),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.is_finite() => CustomFieldValue::Number(Some(f)),
            _ => {
                let reason = format!("the number {n} does not fit in an f64");
                invalid(NUMBER, Value::Number(n), reason)
            }
        },
        Value::String(s) => match number_from_text(&s) {
            Some(f) => CustomFieldValue::Number(Some(f)),
            None => {
                let reason = format!("expected a number or a numeric string, found {s:?}");
                invalid(NUMBER, Value::String(s), reason)
            }
        },
        other => unexpected(NUMBER, other, "a number"),
    }
}

/// `date`: an RFC 3339 date-time (converted to UTC), or a bare `YYYY-MM-DD` date (midnight UTC).
fn decode_date(value: Value) -> CustomFieldValue {
    match value {
        Value::Null => CustomFieldValue::Date(None),
        Value::String(s) => match date_from_text(&s) {
            Some(date) => CustomFieldValue::Date(Some(date)),
            None => {
                let reason = format!("expected an RFC 3339 date-time or YYYY-MM-DD, found {s:?}");
                invalid(DATE, Value::String(s), reason)
            }
        },
        other => unexpected(DATE, other, "an RFC 3339 date-time string"),
    }
}

/// The boolean a `boolean` field's string holds: `true` / `false` in any
/// ASCII case, surrounding whitespace ignored.
fn bool_from_text(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The finite number a `number` field's string holds, surrounding
/// whitespace ignored.
fn number_from_text(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// The date a `date` field's string holds, surrounding whitespace ignored;
/// see [`parse_date`].
fn date_from_text(text: &str) -> Option<DateTime<Utc>> {
    parse_date(text.trim())
}

/// Parses an RFC 3339 date-time, or a bare `YYYY-MM-DD` date as midnight UTC.
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    // Only a bare date is accepted here: exactly `YYYY-MM-DD`, four digit
    // year (what RFC 3339 allows, so the date can be written back as one).
    if is_bare_date(text)
        && let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
    {
        return date.and_hms_opt(0, 0, 0).map(|naive| naive.and_utc());
    }
    None
}

/// Whether `text` is shaped `YYYY-MM-DD`, ASCII digits only.
fn is_bare_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

impl Serialize for CustomFieldValue {
    /// Writes the wire value only, without the kind; see [`CustomFieldValue::to_json`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::MultiSelect(v) => v.serialize(serializer),
            Self::Address(v) | Self::String(v) | Self::Url(v) => v.serialize(serializer),
            Self::Boolean(v) => v.serialize(serializer),
            Self::Date(None) | Self::Number(None) => serializer.serialize_none(),
            Self::Date(Some(date)) => serializer.serialize_str(&format_date(date)),
            Self::Number(Some(n)) => match integral(*n) {
                Some(i) => serializer.serialize_i64(i),
                None => serializer.serialize_f64(*n),
            },
            Self::Unknown { value, .. } | Self::Invalid { value, .. } => {
                value.serialize(serializer)
            }
        }
    }
}

impl Serialize for CustomField {
    /// Writes the API's shape: `name`, `key` and `id` (each only when present),
    /// `type` (omitted only for an `Unknown` value that arrived without one) and `value`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let kind = self.value.wire_kind();
        // `name` and `value` are always written.
        let len = 2
            + usize::from(self.key.is_some())
            + usize::from(self.id.is_some())
            + usize::from(kind.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("name", &self.name)?;
        if let Some(key) = &self.key {
            map.serialize_entry("key", key)?;
        }
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if let Some(kind) = kind {
            map.serialize_entry("type", kind)?;
        }
        map.serialize_entry("value", &self.value)?;
        map.end()
    }
}

impl schemars::JsonSchema for CustomField {
    fn schema_name() -> String {
        "CustomField".to_owned()
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed(concat!(module_path!(), "::CustomField"))
    }

    /// An object with `name` (required), `key`, `id`, `type` and `value`.
    /// `type` is an open set of strings and `value` is unconstrained, since
    /// Quo may add kinds and this type keeps any value it is sent.
    fn json_schema(_generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, ObjectValidation, Schema, SchemaObject};

        fn described(instance_type: Option<InstanceType>, description: &str) -> Schema {
            SchemaObject {
                instance_type: instance_type.map(Into::into),
                metadata: Some(Box::new(Metadata {
                    description: Some(description.to_owned()),
                    ..Metadata::default()
                })),
                ..SchemaObject::default()
            }
            .into()
        }

        let mut object = ObjectValidation::default();
        object.properties.insert(
            "name".to_owned(),
            described(Some(InstanceType::String), "The field's display name."),
        );
        object.properties.insert(
            "key".to_owned(),
            described(Some(InstanceType::String), "The field's stable key."),
        );
        object.properties.insert(
            "id".to_owned(),
            described(Some(InstanceType::String), "The field's identifier."),
        );
        object.properties.insert(
            "type".to_owned(),
            described(
                Some(InstanceType::String),
                "The field's kind: multi-select, address, string, url, boolean, date or number \
                 (more may be added).",
            ),
        );
        object.properties.insert(
            "value".to_owned(),
            described(
                None,
                "The field's value, shaped by its kind: an array of strings, a string, a \
                 boolean, an RFC 3339 date-time string, a number, or null.",
            ),
        );
        object.required.insert("name".to_owned());

        SchemaObject {
            instance_type: Some(InstanceType::Object.into()),
            metadata: Some(Box::new(Metadata {
                description: Some("A custom field of a contact.".to_owned()),
                ..Metadata::default()
            })),
            object: Some(Box::new(object)),
            ..SchemaObject::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn decode(value: Value) -> CustomField {
        serde_json::from_value(value).expect("any object decodes")
    }

    fn field(kind: &str, value: Value) -> CustomField {
        decode(json!({"name": "Field", "key": "field", "id": "cf_1", "type": kind, "value": value}))
    }

    fn value_of(kind: &str, value: Value) -> CustomFieldValue {
        field(kind, value).value
    }

    fn assert_invalid(kind: &str, value: Value) {
        let decoded = value_of(kind, value.clone());
        match &decoded {
            CustomFieldValue::Invalid {
                kind: k,
                value: v,
                reason,
            } => {
                assert_eq!(k, kind);
                assert_eq!(v, &value);
                assert!(!reason.is_empty());
            }
            other => panic!("{kind} {value}: expected Invalid, got {other:?}"),
        }
        assert!(decoded.problem().is_some());
        assert_eq!(decoded.kind(), kind);
        // Invalid values are written back verbatim.
        assert_eq!(decoded.to_json(), value);
    }

    fn round_trip(field: &CustomField) {
        let text = serde_json::to_string(field).unwrap();
        let back: CustomField = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, field, "round trip through {text}");
        assert_eq!(serde_json::to_value(field).unwrap(), field.to_json());
    }

    #[test]
    fn known_kinds_lists_the_seven_kinds() {
        assert_eq!(
            KNOWN_KINDS,
            &[
                "multi-select",
                "address",
                "string",
                "url",
                "boolean",
                "date",
                "number"
            ]
        );
        for kind in KNOWN_KINDS {
            let value = CustomFieldValue::from_wire(kind, Value::Null);
            assert_eq!(value.kind(), *kind);
            assert!(value.is_null());
            assert!(!matches!(value, CustomFieldValue::Unknown { .. }));
        }
    }

    #[test]
    fn decodes_the_documented_example() {
        let f = decode(json!({
            "name": "Inbound Lead",
            "key": "inbound-lead",
            "id": "66d0d87d534de8fd1c433cec",
            "type": "multi-select",
            "value": ["option1", "option2"]
        }));
        assert_eq!(f.name, "Inbound Lead");
        assert_eq!(f.key.as_deref(), Some("inbound-lead"));
        assert_eq!(f.id.as_deref(), Some("66d0d87d534de8fd1c433cec"));
        assert_eq!(f.kind(), "multi-select");
        assert_eq!(
            f.value.as_multi_select(),
            Some(&["option1".to_owned(), "option2".to_owned()][..])
        );
        assert_eq!(f.problem(), None);
    }

    #[test]
    fn multi_select() {
        assert_eq!(
            value_of("multi-select", json!(["a", "b"])),
            CustomFieldValue::MultiSelect(Some(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            value_of("multi-select", json!([])),
            CustomFieldValue::MultiSelect(Some(vec![]))
        );
        assert_eq!(
            value_of("multi-select", Value::Null),
            CustomFieldValue::MultiSelect(None)
        );
    }

    #[test]
    fn multi_select_invalid() {
        assert_invalid("multi-select", json!(["a", 1]));
        assert_invalid("multi-select", json!([null]));
        assert_invalid("multi-select", json!("a"));
        assert_invalid("multi-select", json!({"a": 1}));
        let reason = value_of("multi-select", json!(["a", 1]))
            .problem()
            .unwrap()
            .to_owned();
        assert!(reason.contains("element 1"), "{reason}");
    }

    #[test]
    fn text_kinds() {
        assert_eq!(
            value_of("address", json!("1 Main St")),
            CustomFieldValue::Address(Some("1 Main St".into()))
        );
        assert_eq!(
            value_of("string", json!("hello")),
            CustomFieldValue::String(Some("hello".into()))
        );
        assert_eq!(
            value_of("url", json!("https://quo.com")),
            CustomFieldValue::Url(Some("https://quo.com".into()))
        );
        assert_eq!(
            value_of("address", Value::Null),
            CustomFieldValue::Address(None)
        );
        assert_eq!(
            value_of("string", Value::Null),
            CustomFieldValue::String(None)
        );
        assert_eq!(value_of("url", Value::Null), CustomFieldValue::Url(None));
        assert_eq!(value_of("string", json!("hello")).as_str(), Some("hello"));
        assert_eq!(value_of("url", json!("x")).as_str(), Some("x"));
        assert_eq!(value_of("address", json!("y")).as_str(), Some("y"));
    }

    #[test]
    fn text_kinds_accept_scalars_as_text() {
        assert_eq!(
            value_of("string", json!(42)),
            CustomFieldValue::String(Some("42".into()))
        );
        assert_eq!(
            value_of("string", json!(1.5)),
            CustomFieldValue::String(Some("1.5".into()))
        );
        assert_eq!(
            value_of("address", json!(true)),
            CustomFieldValue::Address(Some("true".into()))
        );
        assert_eq!(
            value_of("url", json!(false)),
            CustomFieldValue::Url(Some("false".into()))
        );
    }

    #[test]
    fn text_kinds_invalid() {
        for kind in ["address", "string", "url"] {
            assert_invalid(kind, json!(["a"]));
            assert_invalid(kind, json!({"street": "Main"}));
        }
    }

    #[test]
    fn boolean() {
        assert_eq!(
            value_of("boolean", json!(true)),
            CustomFieldValue::Boolean(Some(true))
        );
        assert_eq!(
            value_of("boolean", json!(false)),
            CustomFieldValue::Boolean(Some(false))
        );
        assert_eq!(
            value_of("boolean", Value::Null),
            CustomFieldValue::Boolean(None)
        );
        assert_eq!(value_of("boolean", json!(true)).as_bool(), Some(true));
    }

    #[test]
    fn boolean_from_strings() {
        for (text, expected) in [
            ("false", false),
            ("true", true),
            ("TRUE", true),
            ("False", false),
            ("  true ", true),
        ] {
            assert_eq!(
                value_of("boolean", json!(text)),
                CustomFieldValue::Boolean(Some(expected)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn boolean_invalid() {
        assert_invalid("boolean", json!("yes"));
        assert_invalid("boolean", json!(""));
        assert_invalid("boolean", json!(1));
        assert_invalid("boolean", json!([true]));
        assert_invalid("boolean", json!({}));
    }

    #[test]
    fn number() {
        assert_eq!(
            value_of("number", json!(42)),
            CustomFieldValue::Number(Some(42.0))
        );
        assert_eq!(
            value_of("number", json!(-1.25)),
            CustomFieldValue::Number(Some(-1.25))
        );
        assert_eq!(
            value_of("number", Value::Null),
            CustomFieldValue::Number(None)
        );
        assert_eq!(value_of("number", json!(7)).as_number(), Some(7.0));
    }

    #[test]
    fn number_from_strings() {
        assert_eq!(
            value_of("number", json!("424242")),
            CustomFieldValue::Number(Some(424_242.0))
        );
        assert_eq!(
            value_of("number", json!(" 3.5 ")),
            CustomFieldValue::Number(Some(3.5))
        );
        assert_eq!(
            value_of("number", json!("-2e3")),
            CustomFieldValue::Number(Some(-2000.0))
        );
    }

    #[test]
    fn number_invalid() {
        assert_invalid("number", json!("abc"));
        assert_invalid("number", json!(""));
        assert_invalid("number", json!("NaN"));
        assert_invalid("number", json!("inf"));
        assert_invalid("number", json!(true));
        assert_invalid("number", json!([1]));
        assert_invalid("number", json!({"n": 1}));
    }

    #[test]
    fn date() {
        let expected = Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap();
        assert_eq!(
            value_of("date", json!("2024-09-11T04:00:00.000Z")),
            CustomFieldValue::Date(Some(expected))
        );
        // Offsets are converted to UTC.
        assert_eq!(
            value_of("date", json!("2024-09-11T00:00:00-04:00")),
            CustomFieldValue::Date(Some(expected))
        );
        assert_eq!(value_of("date", Value::Null), CustomFieldValue::Date(None));
        assert_eq!(
            value_of("date", json!("2024-09-11T04:00:00.000Z")).as_date(),
            Some(expected)
        );
    }

    #[test]
    fn bare_date_is_midnight_utc() {
        assert_eq!(
            value_of("date", json!("2024-09-11")),
            CustomFieldValue::Date(Some(Utc.with_ymd_and_hms(2024, 9, 11, 0, 0, 0).unwrap()))
        );
    }

    #[test]
    fn date_invalid() {
        assert_invalid("date", json!("yesterday"));
        assert_invalid("date", json!("2024-13-01"));
        assert_invalid("date", json!("2024-9-1"));
        // A negative or five-digit year cannot be written back as RFC 3339.
        assert_invalid("date", json!("-024-09-11"));
        assert_invalid("date", json!("+2024-09-1"));
        assert_invalid("date", json!(""));
        assert_invalid("date", json!(1_726_027_200));
        assert_invalid("date", json!(true));
        assert_invalid("date", json!(["2024-09-11"]));
    }

    #[test]
    fn dates_finer_than_milliseconds_are_written_back_unchanged() {
        for text in [
            "2024-09-11T04:00:00.000100Z",
            "2024-09-11T04:00:00.123456789Z",
        ] {
            let value = value_of("date", json!(text));
            assert_eq!(value.to_json(), json!(text));
            assert_eq!(serde_json::to_value(&value).unwrap(), json!(text));
        }
        // A shorter fraction comes back with the digits it needs.
        let value = value_of("date", json!("2024-09-11T04:00:00.0001Z"));
        assert_eq!(value.to_json(), json!("2024-09-11T04:00:00.000100Z"));
    }

    #[test]
    fn date_formatting() {
        let date = Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap();
        let f = CustomField::new("Due", CustomFieldValue::Date(Some(date))).with_key("due");
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"name": "Due", "key": "due", "type": "date", "value": "2024-09-11T04:00:00.000Z"})
        );
        let with_millis = date + chrono::Duration::milliseconds(123);
        assert_eq!(
            CustomFieldValue::Date(Some(with_millis)).to_json(),
            json!("2024-09-11T04:00:00.123Z")
        );
        assert_eq!(
            serde_json::to_string(&CustomFieldValue::Date(Some(with_millis))).unwrap(),
            "\"2024-09-11T04:00:00.123Z\""
        );
    }

    #[test]
    fn unknown_kind_is_kept_verbatim() {
        let raw = json!({"currency": "USD", "amount": 5});
        let f = field("money", raw.clone());
        assert_eq!(
            f.value,
            CustomFieldValue::Unknown {
                kind: "money".into(),
                value: raw.clone()
            }
        );
        assert_eq!(f.kind(), "money");
        assert_eq!(f.problem(), None);
        assert!(!f.value.is_null());
        assert_eq!(f.value.as_str(), None);
        assert_eq!(
            f.to_json(),
            json!({"name": "Field", "key": "field", "id": "cf_1", "type": "money", "value": raw})
        );
        round_trip(&f);
        // Kinds are matched exactly.
        assert!(matches!(
            value_of("Number", json!(1)),
            CustomFieldValue::Unknown { .. }
        ));
    }

    #[test]
    fn missing_or_non_string_type_is_unknown_with_empty_kind() {
        let f = decode(json!({"name": "x", "value": 5}));
        assert_eq!(
            f.value,
            CustomFieldValue::Unknown {
                kind: String::new(),
                value: json!(5)
            }
        );
        // Written back without a `type`, as received.
        assert_eq!(f.to_json(), json!({"name": "x", "value": 5}));
        round_trip(&f);

        for kind in [json!(3), json!(null), json!(["number"]), json!({"k": 1})] {
            let f = decode(json!({"name": "x", "type": kind, "value": "v"}));
            assert_eq!(
                f.value,
                CustomFieldValue::Unknown {
                    kind: String::new(),
                    value: json!("v")
                },
                "type {kind}"
            );
        }
    }

    #[test]
    fn missing_key_id_and_value() {
        let f = decode(json!({"name": "Score", "type": "number"}));
        assert_eq!(f.name, "Score");
        assert_eq!(f.key, None);
        assert_eq!(f.id, None);
        assert_eq!(f.value, CustomFieldValue::Number(None));
        assert!(f.value.is_null());
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"name": "Score", "type": "number", "value": null})
        );
    }

    #[test]
    fn missing_name_is_empty() {
        let f = decode(json!({"key": "k", "type": "string", "value": "v"}));
        assert_eq!(f.name, "");
        assert_eq!(f.key.as_deref(), Some("k"));
        assert_eq!(f.value, CustomFieldValue::String(Some("v".into())));
        assert_eq!(decode(json!({})).name, "");
        assert_eq!(
            decode(json!({})).value,
            CustomFieldValue::Unknown {
                kind: String::new(),
                value: Value::Null
            }
        );
    }

    #[test]
    fn a_key_given_twice_keeps_its_first_value() {
        let read = |json: &str| serde_json::from_str::<CustomField>(json).expect(json);
        let f = read(
            r#"{"name": "a", "name": "b", "key": "k", "key": "l", "id": "1", "id": "2",
            "type": "number", "value": 5, "type": "string", "value": "x"}"#,
        );
        assert_eq!(f.name, "a");
        assert_eq!(f.key.as_deref(), Some("k"));
        assert_eq!(f.id.as_deref(), Some("1"));
        assert_eq!(f.value, CustomFieldValue::Number(Some(5.0)));
        // A value before its type, given twice.
        let f = read(r#"{"value": "true", "value": [1], "type": "boolean"}"#);
        assert_eq!(f.value, CustomFieldValue::Boolean(Some(true)));
        // Inside a contact, the duplicate does not fail the contact.
        let contact: crate::types::Contact = serde_json::from_str(
            r#"{"id": "CT1", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z",
                "defaultFields": {}, "customFields": [{"name": "a", "name": "b", "key": "k", "type": "string", "value": "v"}]}"#,
        )
        .unwrap();
        assert_eq!(contact.custom_fields[0].name, "a");
    }

    #[test]
    fn oddly_typed_name_key_id_do_not_fail() {
        let f = decode(json!({"name": 12, "key": null, "id": 99, "type": "string", "value": "v"}));
        assert_eq!(f.name, "12");
        assert_eq!(f.key, None);
        assert_eq!(f.id.as_deref(), Some("99"));
        let f = decode(json!({"name": ["a"], "key": {"x": 1}, "type": "string", "value": "v"}));
        assert_eq!(f.name, "");
        assert_eq!(f.key, None);
        assert_eq!(f.value.as_str(), Some("v"));
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let f = decode(json!({
            "name": "n", "type": "boolean", "value": "true",
            "extra": {"nested": [1, 2, 3]}, "createdAt": "2024-01-01"
        }));
        assert_eq!(f.value, CustomFieldValue::Boolean(Some(true)));
    }

    #[test]
    fn non_object_input_fails() {
        for input in [
            "42",
            "\"text\"",
            "[]",
            "[\"n\", \"k\", \"i\", \"string\", \"v\"]",
            "null",
            "true",
        ] {
            assert!(
                serde_json::from_str::<CustomField>(input).is_err(),
                "{input} should not decode"
            );
        }
    }

    #[test]
    fn one_odd_field_does_not_fail_the_list() {
        let fields: Vec<CustomField> = serde_json::from_str(
            r#"[
                {"name": "A", "type": "number", "value": "not a number"},
                {"name": "B", "type": "number", "value": "424242"},
                {"name": "C", "type": "brand-new-kind", "value": {"x": 1}},
                {"name": "D", "type": "boolean", "value": "false"}
            ]"#,
        )
        .unwrap();
        assert_eq!(fields.len(), 4);
        assert!(fields[0].problem().is_some());
        assert_eq!(fields[1].value.as_number(), Some(424_242.0));
        assert_eq!(fields[2].kind(), "brand-new-kind");
        assert_eq!(fields[3].value.as_bool(), Some(false));
    }

    #[test]
    fn serialize_round_trip_for_each_valid_kind() {
        let date = Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap()
            + chrono::Duration::milliseconds(250);
        let values = [
            CustomFieldValue::MultiSelect(Some(vec!["a".into(), "b".into()])),
            CustomFieldValue::MultiSelect(None),
            CustomFieldValue::Address(Some("1 Main St".into())),
            CustomFieldValue::Address(None),
            CustomFieldValue::String(Some("s".into())),
            CustomFieldValue::String(None),
            CustomFieldValue::Url(Some("https://quo.com".into())),
            CustomFieldValue::Url(None),
            CustomFieldValue::Boolean(Some(true)),
            CustomFieldValue::Boolean(Some(false)),
            CustomFieldValue::Boolean(None),
            CustomFieldValue::Date(Some(date)),
            CustomFieldValue::Date(None),
            CustomFieldValue::Number(Some(424_242.0)),
            CustomFieldValue::Number(Some(-0.5)),
            CustomFieldValue::Number(Some(1e300)),
            CustomFieldValue::Number(None),
        ];
        for value in values {
            round_trip(&CustomField::new("F", value.clone()));
            round_trip(&CustomField::new("F", value).with_key("f").with_id("cf_9"));
        }
    }

    #[test]
    fn invalid_round_trips_verbatim() {
        let f = field("number", json!("abc"));
        assert_eq!(f.to_json()["value"], json!("abc"));
        assert_eq!(f.to_json()["type"], json!("number"));
        round_trip(&f);
    }

    #[test]
    fn numbers_serialize_as_integers_when_integral() {
        let n = |x: f64| serde_json::to_string(&CustomFieldValue::Number(Some(x))).unwrap();
        assert_eq!(n(424_242.0), "424242");
        assert_eq!(n(-3.0), "-3");
        assert_eq!(n(1.5), "1.5");
        assert_eq!(
            CustomFieldValue::Number(Some(424_242.0)).to_json(),
            json!(424_242)
        );
        assert_eq!(CustomFieldValue::Number(Some(1.5)).to_json(), json!(1.5));
        // A string-encoded number is written back as a JSON number.
        assert_eq!(
            field("number", json!("424242")).to_json()["value"],
            json!(424_242)
        );
    }

    #[test]
    fn null_values_serialize_as_null() {
        for kind in KNOWN_KINDS {
            let f = field(kind, Value::Null);
            assert!(f.value.is_null());
            assert_eq!(serde_json::to_value(&f).unwrap()["value"], Value::Null);
            assert_eq!(f.value.to_json(), Value::Null);
        }
    }

    #[test]
    fn accessors_return_none_for_other_kinds() {
        let v = CustomFieldValue::Boolean(Some(true));
        assert_eq!(v.as_number(), None);
        assert_eq!(v.as_str(), None);
        assert_eq!(v.as_date(), None);
        assert_eq!(v.as_multi_select(), None);
        assert_eq!(v.problem(), None);
        assert_eq!(CustomFieldValue::Number(Some(1.0)).as_bool(), None);
    }

    #[test]
    fn builders() {
        let f = CustomField::new("Lead", CustomFieldValue::Boolean(Some(true)))
            .with_key("lead")
            .with_id("cf_1");
        assert_eq!(f.name, "Lead");
        assert_eq!(f.key.as_deref(), Some("lead"));
        assert_eq!(f.id.as_deref(), Some("cf_1"));
        assert_eq!(
            f.to_json(),
            json!({"name": "Lead", "key": "lead", "id": "cf_1", "type": "boolean", "value": true})
        );
    }

    #[test]
    fn json_schema_describes_an_object() {
        let schema = schemars::schema_for!(CustomField);
        let json = serde_json::to_value(&schema).unwrap();
        assert_eq!(json["type"], json!("object"));
        assert_eq!(json["required"], json!(["name"]));
        for property in ["name", "key", "id", "type", "value"] {
            assert!(json["properties"][property].is_object(), "{property}");
        }
        assert_eq!(json["properties"]["type"]["type"], json!("string"));
        assert!(json["properties"]["value"].get("type").is_none());
    }
}
