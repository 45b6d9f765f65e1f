//! Canonical JSON: sorted keys, two-space indentation, a final newline.
//! The same document always gives the same bytes (no timestamps, no
//! dependence on map insertion order).

use serde_json::{Map, Value};

/// `value` with every object's keys sorted.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&map[k]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Pretty, canonical text of `value`, ending in a newline.
pub fn to_pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&canonical(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// Compact, canonical text of `value` (used as an identity key).
pub fn to_key(value: &Value) -> String {
    serde_json::to_string(&canonical(value)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_change_the_text() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"d": 2, "c": 3}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a": {"c": 3, "d": 2}, "b": 1}"#).unwrap();
        assert_eq!(to_pretty(&a), to_pretty(&b));
        assert_eq!(to_key(&a), r#"{"a":{"c":3,"d":2},"b":1}"#);
        assert!(to_pretty(&json!({})).ends_with('\n'));
    }
}
