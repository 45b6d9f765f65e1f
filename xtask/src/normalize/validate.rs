//! The last gate: anything left that progenitor cannot take is an error
//! naming its JSON pointer, instead of a panic in `quo-api/build.rs`.

use serde_json::Value;

use super::{NormalizeError, root_schemas};
use crate::merge::{METHODS, escape};

/// JSON Schema keywords of OpenAPI 3.1 that 3.0 (and so progenitor) lacks.
const UNSUPPORTED: [&str; 13] = [
    "const",
    "examples",
    "prefixItems",
    "$defs",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
];

/// Checks a normalised document.
pub fn validate(doc: &Value) -> Result<(), NormalizeError> {
    for root in root_schemas(doc) {
        if let Some(schema) = doc.pointer(&root.pointer) {
            check_schema(schema, &root.pointer)?;
        }
    }
    check_success_responses(doc)?;
    serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()).map_err(|e| NormalizeError {
        pointer: String::new(),
        message: format!("the normalised document is not valid OpenAPI 3.0: {e}"),
    })?;
    Ok(())
}

fn err(pointer: &str, message: impl Into<String>) -> NormalizeError {
    NormalizeError {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

fn check_schema(schema: &Value, pointer: &str) -> Result<(), NormalizeError> {
    let Some(obj) = schema.as_object() else {
        return Err(err(pointer, "a schema must be an object"));
    };
    for key in UNSUPPORTED {
        if obj.contains_key(key) {
            return Err(err(
                pointer,
                format!("`{key}` is not supported by the generator"),
            ));
        }
    }
    match obj.get("type") {
        None => {}
        Some(Value::String(t))
            if ["string", "number", "integer", "boolean", "array", "object"]
                .contains(&t.as_str()) => {}
        Some(other) => return Err(err(pointer, format!("unsupported `type`: {other}"))),
    }
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str)
        && !reference.starts_with("#/components/schemas/")
    {
        return Err(err(
            pointer,
            format!("unsupported reference {reference:?} (only #/components/schemas/..)"),
        ));
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            check_schema(prop, &format!("{pointer}/properties/{}", escape(name)))?;
        }
    }
    for key in ["items", "not"] {
        if let Some(child) = obj.get(key) {
            check_schema(child, &format!("{pointer}/{key}"))?;
        }
    }
    if let Some(child) = obj.get("additionalProperties").filter(|v| v.is_object()) {
        check_schema(child, &format!("{pointer}/additionalProperties"))?;
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(members) = obj.get(key).and_then(Value::as_array) {
            for (i, m) in members.iter().enumerate() {
                check_schema(m, &format!("{pointer}/{key}/{i}"))?;
            }
        }
    }
    Ok(())
}

/// progenitor asserts at most one success body type per operation.
fn check_success_responses(doc: &Value) -> Result<(), NormalizeError> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(responses) = item
                .get(method)
                .and_then(|op| op.get("responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let mut bodies: Vec<&Value> = Vec::new();
            for (code, response) in responses {
                if !code.starts_with('2') {
                    continue;
                }
                for body in response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|c| c.values())
                {
                    if let Some(schema) = body.get("schema")
                        && !bodies.contains(&schema)
                    {
                        bodies.push(schema);
                    }
                }
            }
            if bodies.len() > 1 {
                return Err(err(
                    &format!("/paths/{}/{method}/responses", escape(path)),
                    "several different success bodies; the generator takes one per operation",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc_with(schema: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {}, "components": {"schemas": {"X": schema}}})
    }

    #[test]
    fn leftover_3_1_keywords_are_named_by_pointer() {
        let e = validate(&doc_with(
            json!({"type": "object", "properties": {"a": {"prefixItems": []}}}),
        ))
        .unwrap_err();
        assert_eq!(e.pointer, "/components/schemas/X/properties/a");
        assert!(e.message.contains("prefixItems"));
        let e = validate(&doc_with(json!({"type": "null"}))).unwrap_err();
        assert!(e.message.contains("unsupported `type`"), "{e}");
        let e = validate(&doc_with(json!({"$ref": "other.json#/X"}))).unwrap_err();
        assert!(e.message.contains("unsupported reference"), "{e}");
    }

    #[test]
    fn several_success_bodies_are_refused() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"responses": {
            "200": {"description": "a", "content": {"application/json": {"schema": {"type": "string"}}}},
            "201": {"description": "b", "content": {"application/json": {"schema": {"type": "integer"}}}}}}}}});
        let e = validate(&doc).unwrap_err();
        assert_eq!(e.pointer, "/paths/~1x/get/responses");
    }

    #[test]
    fn a_clean_document_passes() {
        validate(&doc_with(
            json!({"type": "object", "properties": {"a": {"type": "string", "nullable": true}}}),
        ))
        .unwrap();
    }
}
