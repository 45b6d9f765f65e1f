//! Date-times of response data: RFC 3339, or without an offset (read as UTC).

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::Deserializer;
use serde::de::{self, Unexpected, Visitor};

/// The form of a date-time without an offset: `2024-01-02T03:04:05`, with
/// optional fractional seconds.
const WITHOUT_OFFSET: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// Reads a date-time as chrono's own decoding does (RFC 3339, e.g.
/// `2024-01-02T03:04:05Z` or `…+02:00`), or, when it carries no offset
/// (`2024-01-02T03:04:05`, `2024-01-02T03:04:05.123`), as UTC.
///
/// ```
/// use quo_api::lenient::parse_utc;
///
/// let utc = parse_utc("2024-01-02T03:04:05Z").unwrap();
/// assert_eq!(parse_utc("2024-01-02T03:04:05"), Some(utc));
/// assert_eq!(parse_utc("2024-01-02T05:04:05+02:00"), Some(utc));
/// assert_eq!(parse_utc("yesterday"), None);
/// ```
#[must_use]
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(time) = text.parse::<DateTime<FixedOffset>>() {
        return Some(time.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, WITHOUT_OFFSET)
        .ok()
        .map(|time| time.and_utc())
}

/// Reads a date-time with [`parse_utc`]; for `#[serde(deserialize_with)]`.
///
/// # Errors
/// A value that is not a string, or text [`parse_utc`] does not read.
pub fn utc<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(Timestamp)
}

/// Reads an optional date-time with [`parse_utc`] (`null` is `None`); for
/// `#[serde(default, deserialize_with)]`.
///
/// # Errors
/// A value that is neither `null` nor a string [`parse_utc`] reads.
pub fn utc_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    deserializer.deserialize_option(OptionalTimestamp)
}

/// Accepts a string [`parse_utc`] reads.
struct Timestamp;

impl Visitor<'_> for Timestamp {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 date and time, or one without offset (UTC)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        parse_utc(text).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
    }
}

/// Accepts `null` or what [`Timestamp`] accepts.
struct OptionalTimestamp;

impl<'de> Visitor<'de> for OptionalTimestamp {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or an RFC 3339 date and time, or one without offset (UTC)")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        utc(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn times_without_offset_are_utc() {
        assert_eq!(
            parse_utc("2024-01-02T03:04:05"),
            Some(at("2024-01-02T03:04:05Z"))
        );
        assert_eq!(
            parse_utc("2024-01-02T03:04:05.123"),
            Some(at("2024-01-02T03:04:05.123Z"))
        );
        assert_eq!(
            parse_utc("2024-01-02T03:04:05.123456789"),
            Some(at("2024-01-02T03:04:05.123456789Z"))
        );
    }

    #[test]
    fn times_with_offset_read_as_before() {
        assert_eq!(
            parse_utc("2024-01-02T03:04:05.5Z"),
            Some(at("2024-01-02T03:04:05.5Z"))
        );
        assert_eq!(
            parse_utc("2024-01-02T04:04:05+01:00"),
            Some(at("2024-01-02T03:04:05Z"))
        );
    }

    #[test]
    fn other_text_is_refused() {
        for odd in ["", "2024-01-02", "03:04:05", "2024-13-02T03:04:05", "now"] {
            assert_eq!(parse_utc(odd), None, "{odd}");
        }
    }

    #[test]
    fn the_deserializers_read_json() {
        let mut de = serde_json::Deserializer::from_str("\"2024-01-02T03:04:05\"");
        assert_eq!(utc(&mut de).unwrap(), at("2024-01-02T03:04:05Z"));
        let mut de = serde_json::Deserializer::from_str("42");
        let error = utc(&mut de).unwrap_err().to_string();
        assert!(error.contains("invalid type: integer `42`"), "{error}");
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(utc_opt(&mut de).unwrap(), None);
        let mut de = serde_json::Deserializer::from_str("\"2024-01-02T03:04:05.123\"");
        assert_eq!(
            utc_opt(&mut de).unwrap(),
            Some(at("2024-01-02T03:04:05.123Z"))
        );
    }

    #[test]
    fn generated_date_time_fields_read_times_without_offset() {
        let json = r#"{"id": "CT1", "createdAt": "2024-01-02T03:04:05",
            "updatedAt": "2024-01-02T03:04:05.123", "defaultFields": {}}"#;
        let contact: crate::types::Contact = serde_json::from_str(json).unwrap();
        assert_eq!(contact.created_at, at("2024-01-02T03:04:05Z"));
        assert_eq!(contact.updated_at, at("2024-01-02T03:04:05.123Z"));
        let call = r#"{"id": "AC1", "createdAt": "2024-01-02T03:04:05", "answeredAt": "2024-01-02T03:04:06",
            "completedAt": null, "direction": "incoming", "duration": 1, "participants": [],
            "phoneNumberId": "PN1", "status": "completed", "userId": "US1"}"#;
        let call: crate::types::Call = serde_json::from_str(call).unwrap();
        assert_eq!(call.answered_at, Some(at("2024-01-02T03:04:06Z")));
        assert_eq!(call.completed_at, None);
        assert_eq!(call.updated_at, None);
        // Written back with its offset.
        let written = serde_json::to_value(&contact).unwrap();
        assert_eq!(written["createdAt"], "2024-01-02T03:04:05Z");
    }
}
