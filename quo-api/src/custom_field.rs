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

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

mod deserialize;

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

#[cfg(test)]
mod tests;
