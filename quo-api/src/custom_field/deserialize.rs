//! Deserializing a [`CustomField`] in one pass over the object.
//!
//! Contact pages carry several custom fields per contact, so this is a hot
//! path. The object is read key by key. The `type` is matched against the
//! known kinds without allocating, and when it comes before `value` (the
//! order Quo sends) the value is read straight into its typed variant: a
//! date, number or boolean is parsed from the borrowed text, and a
//! multi-select goes straight into a `Vec<String>`.
//!
//! Every other case goes through [`CustomFieldValue::from_wire`] with the
//! raw value: a `value` before its `type`, an unknown kind, and any value
//! that is not the expected shape. The result is therefore always what
//! `from_wire` gives for the raw value, only reached with fewer allocations.
//!
//! A key given twice (`{"name": "a", "name": "b", ..}`) keeps its first
//! value; later ones are skipped. (A derived `Deserialize` would fail the
//! field, and with it the contact.) The first one wins so that a `value`
//! read as its `type` stays consistent with the `type` kept.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{
    BOOLEAN, CustomField, CustomFieldValue, DATE, KNOWN_KINDS, MULTI_SELECT, NUMBER,
    bool_from_text, date_from_text, number_from_text,
};

impl<'de> Deserialize<'de> for CustomField {
    /// Decodes any JSON object; see the [module documentation](super).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CustomFieldVisitor)
    }
}

/// Accepts only a map (a JSON object), whatever its keys.
struct CustomFieldVisitor;

impl<'de> Visitor<'de> for CustomFieldVisitor {
    type Value = CustomField;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a custom field object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // The outer `Option` records whether the key was seen: a key given
        // again is skipped (see the module documentation).
        let mut name: Option<Option<String>> = None;
        let mut key: Option<Option<String>> = None;
        let mut id: Option<Option<String>> = None;
        let mut kind: Option<Option<Kind>> = None;
        let mut value: Option<Read> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Name if name.is_none() => name = Some(map.next_value_seed(text(true))?),
                Field::Key if key.is_none() => key = Some(map.next_value_seed(text(true))?),
                Field::Id if id.is_none() => id = Some(map.next_value_seed(text(true))?),
                Field::Type if kind.is_none() => kind = Some(map.next_value_seed(KindSeed)?),
                Field::Value if value.is_none() => {
                    value = Some(match &kind {
                        Some(Some(Kind::Known(known))) => {
                            map.next_value_seed(TypedValue(known)).map(Read::Typed)?
                        }
                        _ => map.next_value::<Value>().map(Read::Raw)?,
                    });
                }
                // Another key, or one seen already.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let raw = |value: Option<Read>| match value {
            Some(Read::Raw(raw)) => raw,
            // A value is only read typed once its known kind was seen.
            Some(Read::Typed(_)) | None => Value::Null,
        };
        let value = match (kind.flatten(), value) {
            (_, Some(Read::Typed(typed))) => typed,
            (Some(Kind::Known(known)), value) => CustomFieldValue::from_wire(known, raw(value)),
            (Some(Kind::Other(kind)), value) => CustomFieldValue::Unknown {
                kind,
                value: raw(value),
            },
            (None, value) => CustomFieldValue::Unknown {
                kind: String::new(),
                value: raw(value),
            },
        };
        Ok(CustomField {
            name: name.flatten().unwrap_or_default(),
            key: key.flatten(),
            id: id.flatten(),
            value,
        })
    }
}

/// A `value` as read: typed (its known kind came first) or raw.
enum Read {
    Typed(CustomFieldValue),
    Raw(Value),
}

/// The keys of a custom-field object.
enum Field {
    Name,
    Key,
    Id,
    Type,
    Value,
    /// Any other key; its value is skipped.
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct FieldVisitor;

impl Visitor<'_> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a custom field key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
        Ok(match v {
            "name" => Field::Name,
            "key" => Field::Key,
            "id" => Field::Id,
            "type" => Field::Type,
            "value" => Field::Value,
            _ => Field::Other,
        })
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Field, E> {
        match std::str::from_utf8(v) {
            Ok(v) => self.visit_str(v),
            Err(_) => Ok(Field::Other),
        }
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Field, E> {
        Ok(Field::Other)
    }
}

/// A field's `type`, when it is a string.
enum Kind {
    /// One of [`KNOWN_KINDS`], matched without copying.
    Known(&'static str),
    /// Any other string.
    Other(String),
}

impl Kind {
    fn from_text(text: &str) -> Self {
        match KNOWN_KINDS.iter().find(|known| **known == text) {
            Some(known) => Kind::Known(known),
            None => Kind::Other(text.to_owned()),
        }
    }
}

/// Reads a `type`: a string, or `None` for anything else (which is skipped).
struct KindSeed;

impl<'de> DeserializeSeed<'de> for KindSeed {
    type Value = Option<Kind>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(LenientText {
            scalars_as_text: false,
            from_text: Kind::from_text,
        })
    }
}

/// Reads `name`, `key` or `id`: a string, or (if `scalars_as_text`) a
/// number or boolean as its text; `None` for anything else (skipped).
fn text(scalars_as_text: bool) -> LenientText<String> {
    LenientText {
        scalars_as_text,
        from_text: str::to_owned,
    }
}

/// A visitor that accepts any value and keeps only text, so an oddly typed
/// `name`, `key`, `id` or `type` never fails the field.
struct LenientText<T> {
    /// Whether numbers and booleans are kept as their text (otherwise `None`).
    scalars_as_text: bool,
    /// What is kept of the text.
    from_text: fn(&str) -> T,
}

impl<T> LenientText<T> {
    /// `value`'s text if scalars are kept, otherwise `None`.
    fn scalar(&self, value: impl ToString) -> Option<T> {
        self.scalars_as_text
            .then(|| (self.from_text)(&value.to_string()))
    }
}

impl<'de, T> DeserializeSeed<'de> for LenientText<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T> Visitor<'de> for LenientText<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some((self.from_text)(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.scalar(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.scalar(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.scalar(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Written the way serde_json writes it, e.g. `1.5`.
        Ok(self.scalar(Value::from(v)))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Reads the `value` of a field whose known kind has already been read.
///
/// Each `visit_*` method either takes a fast path for the shape the kind
/// expects or rebuilds the JSON value exactly as `serde_json::Value` would
/// and hands it to [`CustomFieldValue::from_wire`].
struct TypedValue(&'static str);

impl<'de> DeserializeSeed<'de> for TypedValue {
    type Value = CustomFieldValue;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl TypedValue {
    fn wire(&self, value: Value) -> CustomFieldValue {
        CustomFieldValue::from_wire(self.0, value)
    }
}

impl<'de> Visitor<'de> for TypedValue {
    type Value = CustomFieldValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let parsed = match self.0 {
            BOOLEAN => bool_from_text(v).map(|b| CustomFieldValue::Boolean(Some(b))),
            DATE => date_from_text(v).map(|d| CustomFieldValue::Date(Some(d))),
            NUMBER => number_from_text(v).map(|n| CustomFieldValue::Number(Some(n))),
            _ => None,
        };
        Ok(parsed.unwrap_or_else(|| self.wire(Value::String(v.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(self.wire(Value::String(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.wire(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.wire(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.wire(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.wire(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.wire(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.wire(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.0 != MULTI_SELECT {
            let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
            return Ok(self.wire(value));
        }
        // Strings go straight into the list; the first element that is not
        // a string turns the rest into a raw array for `from_wire`.
        let mut strings = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            match item {
                Value::String(s) => strings.push(s),
                odd => {
                    let mut items: Vec<Value> = strings.into_iter().map(Value::String).collect();
                    items.push(odd);
                    while let Some(item) = seq.next_element::<Value>()? {
                        items.push(item);
                    }
                    return Ok(self.wire(Value::Array(items)));
                }
            }
        }
        Ok(CustomFieldValue::MultiSelect(Some(strings)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok(self.wire(value))
    }
}
