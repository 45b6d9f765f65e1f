//! `totalItems` of list responses becomes a shared `TotalItems`.
//!
//! Quo documents `totalItems` as not accurate. A count that is only a hint
//! must never fail a page: this step points every list response's
//! `totalItems` (a response object with a `data` array beside it) at one
//! `TotalItems` component. The build replaces that component with
//! `quo_api::pagination::TotalItems`, which reads a number, a numeric
//! string, `null`, anything else or a missing key without failing, so the
//! property stays required (the field is a `TotalItems`, not an `Option`
//! of one, and each value has one form).

use serde_json::{Value, json};

use super::{Direction, root_schemas};

/// The component every list response's `totalItems` refers to.
pub const TOTAL_ITEMS: &str = "TotalItems";

/// Rewrites every list response's `totalItems`; see the module docs.
pub fn total_items_as_hint(doc: &mut Value) {
    let mut description = None;
    for root in root_schemas(doc) {
        if root.direction != Direction::Response || root.is_component {
            continue;
        }
        let Some(schema) = doc.pointer_mut(&root.pointer) else {
            continue;
        };
        if let Some(text) = rewrite(schema) {
            description.get_or_insert(text);
        }
    }
    let Some(description) = description else {
        return;
    };
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    if let Some(schemas) = schemas.as_object_mut() {
        let mut component = json!({"type": "integer", "nullable": true});
        if let Some(text) = description {
            component["description"] = Value::String(text);
        }
        schemas.insert(TOTAL_ITEMS.to_owned(), component);
    }
}

/// Rewrites `schema` if it is a list response; returns the first
/// `totalItems` description found (`Some(None)`: rewritten, no description).
fn rewrite(schema: &mut Value) -> Option<Option<String>> {
    let props = schema.get_mut("properties")?.as_object_mut()?;
    let is_list = props
        .get("data")
        .is_some_and(|data| data.get("type").and_then(Value::as_str) == Some("array"));
    if !is_list {
        return None;
    }
    let total = props.get_mut("totalItems")?;
    if total.get("$ref").is_some() {
        return None;
    }
    let description = total
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned);
    *total = json!({"$ref": format!("#/components/schemas/{TOTAL_ITEMS}")});
    Some(description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(response: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/v1/things": {"get": {
                "operationId": "listThings",
                "responses": {"200": {"content": {"application/json": {"schema": response}}}}
            }}}
        })
    }

    const SCHEMA: &str = "/paths/~1v1~1things/get/responses/200/content/application~1json/schema";

    #[test]
    fn list_responses_share_one_total_items() {
        let mut d = doc(json!({
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"type": "string"}},
                "totalItems": {"type": "integer", "description": "Not accurate."},
                "nextPageToken": {"type": "string", "nullable": true}
            },
            "required": ["data", "totalItems"]
        }));
        total_items_as_hint(&mut d);
        let schema = d.pointer(SCHEMA).unwrap();
        assert_eq!(
            schema["properties"]["totalItems"],
            json!({"$ref": "#/components/schemas/TotalItems"})
        );
        assert_eq!(schema["required"], json!(["data", "totalItems"]));
        assert_eq!(
            d["components"]["schemas"]["TotalItems"],
            json!({"type": "integer", "nullable": true, "description": "Not accurate."})
        );
    }

    #[test]
    fn other_responses_are_left_alone() {
        let response = json!({
            "type": "object",
            "properties": {"data": {"type": "object"}, "totalItems": {"type": "integer"}},
            "required": ["data", "totalItems"]
        });
        let mut d = doc(response.clone());
        total_items_as_hint(&mut d);
        assert_eq!(d.pointer(SCHEMA).unwrap(), &response);
        assert!(d.pointer("/components/schemas/TotalItems").is_none());
    }
}
