//! Lenient readers for the shapes Quo's payloads take in practice: a list
//! sent as one string, `null` for an empty list, numbers sent as text.

use serde::de::{self, Deserializer};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::Value;

/// A list of strings (phone numbers or ids), also accepting `null` (an
/// empty list) and one string (`"to": "+1555..."`), which older payloads
/// send for a group message with the recipients joined by commas
/// (`"+15550001,+15550002"`): each is an entry of its own. Neither a phone
/// number nor an id holds a comma.
pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(one)) => one
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(OneOrMany::Many(many)) => many,
    })
}

/// A list, `null` meaning empty.
pub(crate) fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A whole number: an integer, a float without a fraction, or the same as text.
pub(crate) fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let Some(value) = Option::<Value>::deserialize(d)? else {
        return Ok(None);
    };
    let number = match &value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().and_then(exact_u64)),
        Value::String(text) => {
            let text = text.trim();
            text.parse::<u64>()
                .ok()
                .or_else(|| text.parse::<f64>().ok().and_then(exact_u64))
        }
        _ => None,
    };
    number
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("expected a whole number, got {value}")))
}

/// A number, or the same as text.
pub(crate) fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let Some(value) = Option::<Value>::deserialize(d)? else {
        return Ok(None);
    };
    let number = match &value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    };
    number
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("expected a number, got {value}")))
}

fn exact_u64(n: f64) -> Option<u64> {
    // 2^64 as f64; `as` saturates, so the range check keeps it exact.
    (n.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&n)).then_some(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "string_list")]
        to: Vec<String>,
        #[serde(default, deserialize_with = "whole")]
        duration: Option<u64>,
        #[serde(default, deserialize_with = "number")]
        start: Option<f64>,
    }

    fn probe(value: Value) -> Result<Probe, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn lists_come_as_one_string_many_or_null() {
        assert_eq!(probe(json!({"to": "+1"})).unwrap().to, ["+1"]);
        // A group message's recipients joined in one string.
        assert_eq!(
            probe(json!({"to": "+15550001, +15550002,+15550003,"}))
                .unwrap()
                .to,
            ["+15550001", "+15550002", "+15550003"]
        );
        assert_eq!(probe(json!({"to": ["+1", "+2"]})).unwrap().to, ["+1", "+2"]);
        assert!(probe(json!({"to": null})).unwrap().to.is_empty());
        assert!(probe(json!({})).unwrap().to.is_empty());
        assert!(probe(json!({"to": 5})).is_err());
    }

    #[test]
    fn numbers_come_as_numbers_or_text() {
        assert_eq!(probe(json!({"duration": 60})).unwrap().duration, Some(60));
        assert_eq!(probe(json!({"duration": 60.0})).unwrap().duration, Some(60));
        assert_eq!(
            probe(json!({"duration": " 60 "})).unwrap().duration,
            Some(60)
        );
        assert_eq!(probe(json!({"duration": null})).unwrap().duration, None);
        for bad in [
            json!(60.5),
            json!(-1),
            json!("soon"),
            json!(1e30),
            json!([1]),
        ] {
            assert!(probe(json!({ "duration": bad })).is_err(), "{bad}");
        }
        assert_eq!(
            probe(json!({"start": 5.123456})).unwrap().start,
            Some(5.123456)
        );
        assert_eq!(probe(json!({"start": "5.5"})).unwrap().start, Some(5.5));
        assert!(probe(json!({"start": "NaN"})).is_err());
    }
}
