//! Enums in response data are open: a value Quo adds later never fails a page.
//!
//! [`schema::simplify`](super::schema) marks every string enum it meets in
//! response data with [`MARK`]. This step, run after naming and hoisting,
//! gives each marked enum a component of its own (named after where it sits:
//! `Call.status` → `CallStatus`, unless the naming table already named it),
//! and points every use at a second component, `Open{Name}`, that carries
//! [`OPEN_OF`]. The build replaces each `Open{Name}` with
//! `quo_api::Open<types::{Name}>`, which decodes a value it does not know to
//! `Open::Other(text)`. The strict enum stays a type of its own, so requests
//! (never marked) keep strict enums and users match on the known values.
//! Enums inside union members are left alone: they are the tags typify
//! needs to tell the members apart.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::pascal;
use crate::json::to_key;

/// Marks a string enum of response data (set by `schema::simplify`).
pub const MARK: &str = "x-quo-open";
/// On an `Open{Name}` component: the strict enum it wraps.
pub const OPEN_OF: &str = "x-quo-open-enum";

/// Makes every marked enum open; see the module docs.
pub fn open_enums(doc: &mut Value) {
    let mut lifted: BTreeMap<String, Value> = BTreeMap::new();
    let mut by_shape: BTreeMap<String, String> = BTreeMap::new();
    let names: Vec<String> = component_names(doc);
    // 1. Inline marked enums in components and in operations become components.
    for name in &names {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            lift_children(schema, name, &mut lifted, &mut by_shape);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                let name = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(pascal)
                    .unwrap_or_default();
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                for response in responses.values_mut() {
                    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
                    else {
                        continue;
                    };
                    for media in content.values_mut() {
                        if let Some(schema) = media.get_mut("schema") {
                            lift_children(
                                schema,
                                &format!("{name}Response"),
                                &mut lifted,
                                &mut by_shape,
                            );
                        }
                    }
                }
            }
        }
    }
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, body) in lifted {
        schemas.entry(name).or_insert(body);
    }
    // 2. Each marked component gets its open twin; uses point at the twin.
    let marked: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| s.get(MARK).is_some())
        .map(|(n, _)| n.clone())
        .collect();
    for name in &marked {
        if let Some(schema) = schemas.get_mut(name).and_then(Value::as_object_mut) {
            schema.remove(MARK);
            schema.remove("nullable");
        }
        let description = schemas[name].get("description").cloned();
        let mut twin = json!({"type": "string", OPEN_OF: name});
        if let Some(d) = description {
            twin["description"] = d;
        }
        schemas.insert(format!("Open{name}"), twin);
    }
    let renames: BTreeMap<String, String> = marked
        .iter()
        .map(|n| {
            (
                format!("#/components/schemas/{n}"),
                format!("#/components/schemas/Open{n}"),
            )
        })
        .collect();
    retarget(doc, &renames);
    strip_marks(doc);
}

fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

fn is_marked_enum(schema: &Value) -> bool {
    schema.get(MARK).is_some() && schema.get("enum").is_some() && schema.get("$ref").is_none()
}

/// Lifts the marked enums under `schema` (not `schema` itself, not inside
/// union members) into `lifted`, replacing each with a `$ref`.
fn lift_children(
    schema: &mut Value,
    context: &str,
    lifted: &mut BTreeMap<String, Value>,
    by_shape: &mut BTreeMap<String, String>,
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (prop, child) in props.iter_mut() {
            lift(
                child,
                &format!("{context}{}", pascal(prop)),
                lifted,
                by_shape,
            );
        }
    }
    if let Some(items) = obj.get_mut("items") {
        lift(items, &format!("{context}Item"), lifted, by_shape);
    }
}

fn lift(
    schema: &mut Value,
    name: &str,
    lifted: &mut BTreeMap<String, Value>,
    by_shape: &mut BTreeMap<String, String>,
) {
    if !is_marked_enum(schema) {
        lift_children(schema, name, lifted, by_shape);
        return;
    }
    let mut body = schema.clone();
    if let Some(o) = body.as_object_mut() {
        o.remove("nullable");
        o.remove("default");
    }
    let mut shape = body.clone();
    if let Some(o) = shape.as_object_mut() {
        o.remove("description");
        o.remove("example");
    }
    let key = to_key(&shape);
    let chosen = match by_shape.get(&key) {
        Some(existing) => existing.clone(),
        None => {
            by_shape.insert(key, name.to_owned());
            lifted.insert(name.to_owned(), body);
            name.to_owned()
        }
    };
    *schema = json!({"$ref": format!("#/components/schemas/{chosen}")});
}

fn retarget(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get_mut("$ref")
                && let Some(to) = renames.get(r.as_str())
            {
                *r = to.clone();
            }
            obj.values_mut().for_each(|v| retarget(v, renames));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget(v, renames)),
        _ => {}
    }
}

fn strip_marks(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            obj.remove(MARK);
            obj.values_mut().for_each(strip_marks);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_marks),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(values: &[&str]) -> Value {
        json!({"type": "string", "enum": values, MARK: true})
    }

    #[test]
    fn response_enums_become_open_twins_of_one_strict_enum_and_requests_stay_strict() {
        let mut doc = json!({
            "components": {"schemas": {
                "Call": {"type": "object", "properties": {
                    "status": status(&["queued", "completed"]),
                    "tags": {"type": "array", "items": status(&["a", "b"])},
                    "kind": {"oneOf": [{"type": "object", "properties": {"type": status(&["x"])}}]}
                }},
                "NewCall": {"type": "object", "properties": {"status": {"type": "string", "enum": ["queued"]}}},
                "Named": status(&["on", "off"]),
                "User": {"type": "object", "properties": {"power": {"$ref": "#/components/schemas/Named"}}}
            }},
            "paths": {"/calls/{id}": {"get": {"operationId": "getCall_v1", "responses": {"200": {"content": {"application/json": {"schema":
                {"type": "object", "properties": {"other": status(&["queued", "completed"])}}}}}}}}}
        });
        open_enums(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Call"]["properties"]["status"],
            json!({"$ref": "#/components/schemas/OpenCallStatus"})
        );
        assert_eq!(
            schemas["CallStatus"],
            json!({"type": "string", "enum": ["queued", "completed"]})
        );
        assert_eq!(
            schemas["OpenCallStatus"],
            json!({"type": "string", OPEN_OF: "CallStatus"})
        );
        assert_eq!(
            schemas["Call"]["properties"]["tags"]["items"],
            json!({"$ref": "#/components/schemas/OpenCallTagsItem"})
        );
        assert_eq!(
            schemas["Call"]["properties"]["kind"]["oneOf"][0]["properties"]["type"],
            json!({"type": "string", "enum": ["x"]}),
            "union tags stay inline and strict"
        );
        assert_eq!(
            schemas["NewCall"]["properties"]["status"],
            json!({"type": "string", "enum": ["queued"]})
        );
        assert_eq!(
            schemas["User"]["properties"]["power"],
            json!({"$ref": "#/components/schemas/OpenNamed"}),
            "a named enum keeps its name; its uses go through the twin"
        );
        let op = &doc["paths"]["/calls/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(
            op["properties"]["other"],
            json!({"$ref": "#/components/schemas/OpenCallStatus"}),
            "one shape, one strict enum"
        );
        assert!(!doc.to_string().contains(&format!("\"{MARK}\"")));
    }
}
