//! Naming shared shapes: identical inline schemas become one component.
//!
//! Every inline object, union and string enum is registered bottom-up under
//! its identity (its canonical JSON without documentation keywords, with
//! already-registered children as references). A shape is then kept as a
//! named component when it occurs more than once (named after its first
//! occurrence, `{Parent}{Property}..`; the naming table in [`super::names`]
//! has already named the shapes users touch). Everything else is put back
//! inline, exactly as it was. Direct members of a union stay inline so
//! that typify can turn tagged unions into `#[serde(tag = ..)]` enums.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::{pascal, root_schemas};
use crate::json::to_key;

const DOC_KEYWORDS: [&str; 4] = ["description", "example", "title", "externalDocs"];
const PLACEHOLDER: &str = "#/x-hoisted/";

#[derive(Clone)]
struct Context {
    name: String,
}

struct Entry {
    body: Value,
    hint: String,
    count: usize,
}

#[derive(Default)]
struct Registry {
    by_key: BTreeMap<String, usize>,
    entries: Vec<Entry>,
}

/// Hoists shared and table-named shapes of `doc` into `components.schemas`.
pub fn hoist(doc: &mut Value) {
    let mut registry = Registry::default();
    for root in root_schemas(doc) {
        let Some(schema) = doc.pointer_mut(&root.pointer) else {
            continue;
        };
        let context = Context {
            name: root.name.clone(),
        };
        if root.is_component {
            visit_children(schema, &context, &mut registry);
        } else {
            visit(schema, &context, &mut registry);
        }
    }
    let existing: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let names = assign_names(&registry, existing);
    resolve(doc, &registry, &names);
    let mut kept: Vec<(String, Value)> = Vec::new();
    for (i, entry) in registry.entries.iter().enumerate() {
        if let Some(name) = &names[i] {
            let mut body = entry.body.clone();
            resolve(&mut body, &registry, &names);
            kept.push((name.clone(), body));
        }
    }
    if kept.is_empty() {
        return;
    }
    let root = doc.as_object_mut().expect("document is an object");
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let schemas = components.entry("schemas").or_insert_with(|| json!({}));
    if let Some(schemas) = schemas.as_object_mut() {
        for (name, body) in kept {
            schemas.insert(name, body);
        }
    }
}

fn visit(schema: &mut Value, context: &Context, registry: &mut Registry) {
    visit_children(schema, context, registry);
    if !hoistable(schema) {
        return;
    }
    let key = identity(schema);
    let index = match registry.by_key.get(&key) {
        Some(&i) => i,
        None => {
            registry.entries.push(Entry {
                body: schema.clone(),
                hint: context.name.clone(),
                count: 0,
            });
            let i = registry.entries.len() - 1;
            registry.by_key.insert(key, i);
            i
        }
    };
    let entry = &mut registry.entries[index];
    entry.count += 1;
    *schema = json!({"$ref": format!("{PLACEHOLDER}{index}")});
}

fn visit_children(schema: &mut Value, context: &Context, registry: &mut Registry) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            let child = Context {
                name: format!("{}{}", context.name, pascal(name)),
            };
            visit(prop, &child, registry);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        let child = Context {
            name: format!("{}Item", context.name),
        };
        visit(items, &child, registry);
    }
    if let Some(extra) = obj
        .get_mut("additionalProperties")
        .filter(|v| v.is_object())
    {
        let child = Context {
            name: format!("{}Value", context.name),
        };
        visit(extra, &child, registry);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(members) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for (i, member) in members.iter_mut().enumerate() {
                let child = Context {
                    name: format!("{}Variant{i}", context.name),
                };
                // Members stay inline (tagged unions need them there);
                // their own children are still shared.
                visit_children(member, &child, registry);
            }
        }
    }
}

fn hoistable(schema: &Value) -> bool {
    if schema.get("$ref").is_some() {
        return false;
    }
    let union = ["anyOf", "oneOf"].iter().any(|k| {
        schema
            .get(*k)
            .and_then(Value::as_array)
            .is_some_and(|m| m.len() >= 2)
    });
    let object = schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    let string_enum = schema.get("type") == Some(&json!("string"))
        && schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() >= 2);
    union || object || string_enum
}

/// The identity of a shape: canonical JSON without documentation keywords.
fn identity(schema: &Value) -> String {
    to_key(&strip_docs(schema))
}

fn strip_docs(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = serde_json::Map::new();
    for (k, v) in obj {
        if DOC_KEYWORDS.contains(&k.as_str()) {
            continue;
        }
        let v = match k.as_str() {
            "properties" => Value::Object(
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, s)| (name.clone(), strip_docs(s)))
                    .collect(),
            ),
            "items" | "not" | "additionalProperties" => strip_docs(v),
            "anyOf" | "oneOf" | "allOf" => {
                Value::Array(v.as_array().into_iter().flatten().map(strip_docs).collect())
            }
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    Value::Object(out)
}

fn assign_names(registry: &Registry, mut taken: BTreeSet<String>) -> Vec<Option<String>> {
    let mut names: Vec<Option<String>> = vec![None; registry.entries.len()];
    for (i, entry) in registry.entries.iter().enumerate() {
        if entry.count < 2 {
            continue;
        }
        let base = entry.hint.clone();
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    names
}

fn resolve(value: &mut Value, registry: &Registry, names: &[Option<String>]) {
    match value {
        Value::Object(obj) => {
            let index = obj
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(PLACEHOLDER))
                .and_then(|i| i.parse::<usize>().ok());
            if let Some(i) = index {
                *value = match &names[i] {
                    Some(name) => json!({"$ref": format!("#/components/schemas/{name}")}),
                    None => {
                        let mut body = registry.entries[i].body.clone();
                        resolve(&mut body, registry, names);
                        body
                    }
                };
                return;
            }
            for child in obj.values_mut() {
                resolve(child, registry, names);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, registry, names)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str, schema: Value) -> Value {
        json!({"operationId": id, "responses": {"200": {"content": {"application/json": {"schema": schema}}}}})
    }

    #[test]
    fn identical_unnamed_shapes_get_a_deterministic_name_and_singles_stay_inline() {
        let shared = json!({"type": "object", "properties": {"url": {"type": "string"}}});
        let mut doc = json!({"paths": {
            "/a": {"get": op("getA_v1", json!({"type": "object", "properties": {"data": shared.clone(), "only": {"type": "object", "properties": {"x": {"type": "string"}}}}}))},
            "/b": {"get": op("getB_v1", json!({"type": "object", "properties": {"data": shared}}))}
        }});
        hoist(&mut doc);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["GetAV1ResponseData"]);
        let a =
            &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            a["properties"]["only"],
            json!({"type": "object", "properties": {"x": {"type": "string"}}})
        );
    }
}
