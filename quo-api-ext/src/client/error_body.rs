//! Turning an error response body into a [`ServiceError`].
//!
//! Quo answers errors in two shapes: the flat one its OpenAPI document
//! describes (`{message, code, status, docs, title, trace, errors}`) and the
//! nested one the live API sends (`{"error": {message, key, trace}}`). Either
//! can arrive, and so can a body in neither shape (an HTML page from a
//! proxy, an empty body). All become a [`ServiceError`] with the HTTP status,
//! every field that could be read, and a bounded excerpt of the raw body.

use quo_api::types::ApiError;
use serde_json::{Map, Value};

use crate::error::{ErrorCode, FieldError, ServiceError, excerpt};

/// The one place that reads the generated [`ApiError`]. It goes through
/// the body's JSON form rather than its fields, so a spec whose error
/// fields have other types (the full public spec's `errors` items are a
/// union, for one) needs no change here.
pub(crate) fn from_api_error(status: u16, body: &ApiError) -> ServiceError {
    match serde_json::to_vec(body) {
        Ok(bytes) => ServiceError {
            body_excerpt: None,
            ..from_bytes(status, &bytes)
        },
        Err(_) => ServiceError::new(status),
    }
}

/// Reads an error body in either shape (or neither) for a response with `status`.
pub(crate) fn from_bytes(status: u16, bytes: &[u8]) -> ServiceError {
    let mut out = ServiceError::new(status);
    if !bytes.is_empty() {
        out.body_excerpt = Some(excerpt(bytes));
    }
    let Ok(Value::Object(root)) = serde_json::from_slice::<Value>(bytes) else {
        return out;
    };
    // The live API nests the error under `error`.
    let fields = match root.get("error") {
        Some(Value::Object(inner)) => inner,
        _ => &root,
    };
    out.code = text(fields, "code")
        .or_else(|| text(fields, "key"))
        .as_deref()
        .map(ErrorCode::from);
    out.message = text(fields, "message");
    out.title = text(fields, "title").or_else(|| text(fields, "description"));
    out.docs = text(fields, "docs");
    out.trace = text(fields, "trace");
    if let Some(Value::Array(errors)) = fields.get("errors") {
        out.field_errors = errors.iter().filter_map(field_error).collect();
    }
    if out.message.is_none()
        && let Some(Value::String(message)) = root.get("error")
    {
        // `{"error": "text"}`, as some gateways answer.
        out.message = non_empty(message).map(str::to_owned);
    }
    out
}

/// A string (or number) field, if present and non-empty.
fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => non_empty(s).map(str::to_owned),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn field_error(value: &Value) -> Option<FieldError> {
    let Value::Object(map) = value else {
        return None;
    };
    let path = text(map, "path").unwrap_or_default();
    let message = text(map, "message").unwrap_or_default();
    if path.is_empty() && message.is_empty() {
        return None;
    }
    let mut field = FieldError::new(path, message);
    field.value = map.get("value").cloned();
    Some(field)
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
