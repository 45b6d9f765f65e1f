//! Turning an error response body into a [`ServiceError`].
//!
//! Quo answers errors in two shapes: the flat one its OpenAPI document
//! describes (`{message, code, status, docs, title, trace, errors}`) and the
//! nested one the live API sends (`{"error": {message, key, trace}}`). Either
//! can arrive, and so can a body in neither shape (an HTML page from a
//! proxy, an empty body). All become a [`ServiceError`] with the HTTP status,
//! every field that could be read, and a bounded excerpt of the raw body.
//!
//! Every text kept is cut to a bounded excerpt, and only the first
//! [`MAX_FIELD_ERRORS`] field errors are kept, so the error stays small
//! whatever the body holds.

use std::io;

use quo_api::types::ApiError;
use serde_json::{Map, Value};

use crate::error::{
    ErrorCode, FieldError, MAX_FIELD_ERRORS, MAX_ID_CHARS, ServiceError, quote_body, quote_short,
    quote_text,
};

/// Largest error body read as JSON. Quo's error bodies are well under a
/// kilobyte; a larger body is a proxy's page or hostile, and parsing it
/// into a JSON tree would take many times its size in memory. Its excerpt
/// is still kept.
pub(crate) const MAX_PARSED_ERROR_BODY: usize = 64 * 1024;

/// The one place that reads the generated [`ApiError`]. It goes through
/// the body's JSON form rather than its fields, so a spec whose error
/// fields have other types (the full public spec's `errors` items are a
/// union, for one) needs no change here.
pub(crate) fn from_api_error(status: u16, body: &ApiError) -> ServiceError {
    match serde_json::to_value(body) {
        Ok(value) => from_value(status, &value),
        Err(_) => ServiceError::new(status),
    }
}

/// Reads an error body in either shape (or neither) for a response with `status`.
pub(crate) fn from_bytes(status: u16, bytes: &[u8]) -> ServiceError {
    let parsed = match bytes.len() {
        1..=MAX_PARSED_ERROR_BODY => serde_json::from_slice::<Value>(bytes).ok(),
        _ => None,
    };
    let mut out = match parsed {
        Some(value) => from_value(status, &value),
        None => ServiceError::new(status),
    };
    if !bytes.is_empty() {
        out.body_excerpt = Some(quote_body(bytes));
    }
    out
}

/// Reads an error body, already parsed, in either shape (or neither).
fn from_value(status: u16, value: &Value) -> ServiceError {
    let mut out = ServiceError::new(status);
    let Value::Object(root) = value else {
        return out;
    };
    // The live API nests the error under `error`.
    let fields = match root.get("error") {
        Some(Value::Object(inner)) => inner,
        _ => root,
    };
    out.code_text = text(fields, "code", quote_short).or_else(|| text(fields, "key", quote_short));
    out.code = out.code_text.as_deref().map(ErrorCode::from);
    out.message = text(fields, "message", quote_text);
    out.title =
        text(fields, "title", quote_short).or_else(|| text(fields, "description", quote_short));
    out.docs = text(fields, "docs", quote_text);
    out.trace = text(fields, "trace", quote_short);
    if let Some(Value::Array(errors)) = fields.get("errors") {
        out.field_errors = errors
            .iter()
            .filter_map(field_error)
            .take(MAX_FIELD_ERRORS)
            .collect();
    }
    if out.message.is_none()
        && let Some(Value::String(message)) = root.get("error")
    {
        // `{"error": "text"}`, as some gateways answer.
        out.message = non_empty(message).map(quote_text);
    }
    out
}

/// A string (or number) field, if present and non-empty, quoted with `quote`.
fn text(map: &Map<String, Value>, key: &str, quote: fn(&str) -> String) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => non_empty(s).map(quote),
        Value::Number(n) => Some(quote(&n.to_string())),
        _ => None,
    }
}

fn field_error(value: &Value) -> Option<FieldError> {
    let Value::Object(map) = value else {
        return None;
    };
    let path = text(map, "path", quote_short).unwrap_or_default();
    let message = text(map, "message", quote_text).unwrap_or_default();
    if path.is_empty() && message.is_empty() {
        return None;
    }
    let mut field = FieldError::new(path, message);
    field.value = map.get("value").map(bounded_value);
    Some(field)
}

/// `value` itself when its JSON is at most [`MAX_ID_CHARS`] bytes, else a
/// string holding an excerpt of its JSON. Only as much JSON as the excerpt
/// needs is written.
fn bounded_value(value: &Value) -> Value {
    let mut json = Capped(Vec::new());
    match serde_json::to_writer(&mut json, value) {
        Ok(()) if json.0.len() <= MAX_ID_CHARS => value.clone(),
        _ => Value::String(quote_short(&String::from_utf8_lossy(&json.0))),
    }
}

/// A writer that takes a few bytes beyond what an excerpt needs (so that
/// the excerpt knows it was cut), then fails, ending the serialisation.
struct Capped(Vec<u8>);

impl io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = (4 * MAX_ID_CHARS + 8).saturating_sub(self.0.len());
        if room == 0 {
            return Err(io::Error::other("long enough for an excerpt"));
        }
        let taken = buf.len().min(room);
        self.0.extend_from_slice(&buf[..taken]);
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::MAX_EXCERPT_CHARS;

    #[test]
    fn flat_shape() {
        let body = br#"{"message":"maxResults is required","code":"0801400","status":400,
            "docs":"https://quo.com/docs","title":"Invalid Custom Field Item","trace":"t-1",
            "errors":[{"path":"/maxResults","message":"Required property","value":null,
            "schema":{"type":"integer"}}]}"#;
        let e = from_bytes(400, body);
        assert_eq!(e.status, 400);
        assert_eq!(e.code, Some(ErrorCode::InvalidCustomFieldItem));
        assert_eq!(e.title.as_deref(), Some("Invalid Custom Field Item"));
        assert_eq!(e.message.as_deref(), Some("maxResults is required"));
        assert_eq!(e.docs.as_deref(), Some("https://quo.com/docs"));
        assert_eq!(e.trace.as_deref(), Some("t-1"));
        assert_eq!(e.field_errors.len(), 1);
        assert_eq!(e.field_errors[0].path, "/maxResults");
        assert_eq!(e.field_errors[0].value, Some(Value::Null));
    }

    #[test]
    fn nested_shape() {
        let body = br#"{"error":{"message":"Contact not found","key":"0800404","trace":"abc"}}"#;
        let e = from_bytes(404, body);
        assert_eq!(e.code, Some(ErrorCode::NotFound));
        assert_eq!(e.message.as_deref(), Some("Contact not found"));
        assert_eq!(e.trace.as_deref(), Some("abc"));
        assert_eq!(e.title, None);
    }

    #[test]
    fn neither_shape() {
        let e = from_bytes(502, b"<html><body>Bad Gateway</body></html>");
        assert_eq!(e.status, 502);
        assert_eq!(e.code, None);
        assert_eq!(e.message, None);
        assert_eq!(
            e.body_excerpt.as_deref(),
            Some("<html><body>Bad Gateway</body></html>")
        );
        let e = from_bytes(500, b"");
        assert_eq!(e.body_excerpt, None);
        let e = from_bytes(503, br#"[1,2]"#);
        assert_eq!(e.message, None);
        let e = from_bytes(503, br#"{"error":"upstream down"}"#);
        assert_eq!(e.message.as_deref(), Some("upstream down"));
    }

    #[test]
    fn everything_kept_is_bounded() {
        let huge = "x".repeat(100_000);
        let errors: Vec<Value> = (0..100)
            .map(|_| serde_json::json!({"path": huge, "message": huge, "value": [huge]}))
            .collect();
        let body = serde_json::json!({
            "message": huge, "code": huge, "title": huge, "docs": huge, "trace": huge,
            "errors": errors,
        });
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        // Too large to be parsed: only the excerpt is kept.
        let e = from_bytes(400, &bytes);
        assert_eq!(e.message, None);
        assert!(
            e.body_excerpt
                .is_some_and(|x| x.chars().count() <= MAX_EXCERPT_CHARS)
        );
        // The same fields from the generated type (any size) are cut.
        let e = from_value(400, &body);
        let lengths = [&e.message, &e.title, &e.docs, &e.trace]
            .map(|field| field.as_deref().map_or(0, |text| text.chars().count()));
        assert!(
            lengths
                .iter()
                .all(|&n| (1..=MAX_EXCERPT_CHARS).contains(&n)),
            "{lengths:?}"
        );
        assert!(
            e.code_text
                .as_ref()
                .is_some_and(|code| code.chars().count() <= 65)
        );
        assert_eq!(e.field_errors.len(), MAX_FIELD_ERRORS);
        for field in &e.field_errors {
            assert!(field.path.chars().count() <= MAX_ID_CHARS + 1);
            assert!(field.message.chars().count() <= MAX_EXCERPT_CHARS);
            match &field.value {
                Some(Value::String(json)) => {
                    assert!(json.starts_with("[\"xxx") && json.ends_with('…'), "{json}");
                    assert!(json.chars().count() <= MAX_ID_CHARS + 1);
                }
                other => panic!("{other:?}"),
            }
        }
        let shown = crate::Error::Api(Box::new(e));
        assert!(shown.to_string().chars().count() < 1_000, "{shown}");
        assert!(format!("{shown:?}").chars().count() < 3_000, "{shown:?}");
    }

    #[test]
    fn small_values_are_kept_as_they_are() {
        let value = serde_json::json!(["a", 1, null]);
        assert_eq!(bounded_value(&value), value);
    }
}
