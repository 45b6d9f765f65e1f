//! One shared `ApiError` schema for every 4xx/5xx body.
//!
//! Quo documents a separate inline error body per status. progenitor names
//! them all `{opId}-response`, so every operation's error type silently
//! became its success type; one `$ref` per status trips its
//! one-error-type assertion. Pointing every error body at a single
//! superset schema gives `Error<types::ApiError>` and real error values.
//!
//! The superset: the union of all error bodies' properties (`const`s
//! dropped, so any code or title decodes), with `required` the properties
//! every error body requires.

use serde_json::{Map, Value, json};

use crate::merge::METHODS;

/// The component name of the shared error body.
pub const API_ERROR: &str = "ApiError";

fn is_error_status(code: &str) -> bool {
    code == "default" || code.starts_with('4') || code.starts_with('5')
}

/// Replaces every JSON 4xx/5xx/default response body with `$ref: ApiError`
/// and adds the superset `ApiError` to `components.schemas`.
pub fn unify_error_responses(doc: &mut Value) {
    let reference = json!({"$ref": format!("#/components/schemas/{API_ERROR}")});
    let mut bodies: Vec<Value> = Vec::new();
    if let Some(existing) = doc.pointer(&format!("/components/schemas/{API_ERROR}")) {
        bodies.push(existing.clone());
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            let Some(responses) = item
                .get_mut(method)
                .and_then(|op| op.get_mut("responses"))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            for (code, response) in responses.iter_mut() {
                if !is_error_status(code) {
                    continue;
                }
                let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
                else {
                    continue;
                };
                for (media, body) in content.iter_mut() {
                    if !media.contains("json") {
                        continue;
                    }
                    if let Some(schema) = body.get_mut("schema")
                        && *schema != reference
                    {
                        bodies.push(std::mem::replace(schema, reference.clone()));
                    }
                }
            }
        }
    }
    if bodies.is_empty() {
        return;
    }
    let superset = superset(&bodies);
    let schemas = doc
        .as_object_mut()
        .expect("document is an object")
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("components is an object")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    if let Some(schemas) = schemas.as_object_mut() {
        schemas.insert(API_ERROR.into(), superset);
    }
}

/// Drops a single-value `enum` (a former `const`), keeping the type.
fn unpin(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(obj) = schema.as_object_mut()
        && obj
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1)
    {
        obj.remove("enum");
        obj.remove("example");
    }
    schema
}

/// The union of the bodies' properties; required = required by all.
pub fn superset(bodies: &[Value]) -> Value {
    let mut properties = Map::new();
    let mut required: Option<Vec<Value>> = None;
    for body in bodies {
        for (name, schema) in body
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties
                .entry(name.clone())
                .or_insert_with(|| unpin(schema));
        }
        let mine: Vec<Value> = body
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        required = Some(match required {
            None => mine,
            Some(prev) => prev.into_iter().filter(|r| mine.contains(r)).collect(),
        });
    }
    // Field-error items differ between specs (one shape in the seed pages, a
    // union of two in the full spec); as plain JSON none of their keys is lost.
    if let Some(errors) = properties.get_mut("errors")
        && errors.get("items").is_some()
    {
        errors["items"] = json!({});
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    out.insert(
        "description".into(),
        json!("The body of every Quo error response (4xx and 5xx)."),
    );
    out.insert("properties".into(), Value::Object(properties));
    if let Some(required) = required.filter(|r| !r.is_empty()) {
        out.insert("required".into(), Value::Array(required));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_body(code: &str, status: u16, extra: &[&str]) -> Value {
        let mut props = json!({
            "errors": {"type": "array", "items": {"type": "object", "properties": {"path": {"type": "string"}}}},
            "message": {"type": "string"},
            "code": {"type": "string", "enum": [code]},
            "status": {"type": "integer", "enum": [status]},
            "title": {"type": "string", "enum": ["T"]},
            "trace": {"type": "string"}
        });
        let mut required = vec![json!("message"), json!("code")];
        for e in extra {
            props[*e] = json!({"type": "string", "enum": ["X"]});
            required.push(json!(e));
        }
        json!({"type": "object", "required": required, "properties": props})
    }

    #[test]
    fn every_error_body_points_at_one_superset_api_error() {
        let mut doc = json!({"paths": {"/v1/contacts": {"get": {"responses": {
            "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"content": {"application/json": {"schema": error_body("0801400", 400, &["description"])}}},
            "404": {"content": {"application/json": {"schema": error_body("0800404", 404, &[])}}}
        }}}}});
        unify_error_responses(&mut doc);
        let responses = &doc["paths"]["/v1/contacts"]["get"]["responses"];
        let reference = json!({"$ref": "#/components/schemas/ApiError"});
        assert_eq!(
            responses["400"]["content"]["application/json"]["schema"],
            reference
        );
        assert_eq!(
            responses["404"]["content"]["application/json"]["schema"],
            reference
        );
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        let api_error = &doc["components"]["schemas"]["ApiError"];
        assert_eq!(api_error["required"], json!(["message", "code"]));
        assert_eq!(api_error["properties"]["code"], json!({"type": "string"}));
        assert_eq!(
            api_error["properties"]["status"],
            json!({"type": "integer"})
        );
        assert_eq!(
            api_error["properties"]["description"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn no_error_bodies_means_no_api_error() {
        let mut doc =
            json!({"paths": {"/x": {"get": {"responses": {"204": {"description": "ok"}}}}}});
        unify_error_responses(&mut doc);
        assert!(doc.get("components").is_none());
    }
}
