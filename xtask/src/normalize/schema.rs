//! Per-schema rules, applied bottom-up to every schema.
//!
//! | rule | 3.1 input | 3.0 output |
//! |---|---|---|
//! | meta keywords | `$id`, `$schema`, `$comment`, `contentMediaType` | removed |
//! | `examples` | array (or, in the wild, a scalar) | `example`: the first |
//! | `const` | `const: v` | `enum: [v]` (a whole number `type: number` becomes `integer`) |
//! | type arrays | `type: [T, 'null']` | `type: T`, `nullable: true` |
//! | null members | `anyOf`/`oneOf` with `{type: 'null'}` | the rest, `nullable: true` |
//! | null in enums | `enum: [a, null]` | `enum: [a]`, `nullable: true` |
//! | single member | `anyOf: [X]` | `X`, merged with the outer keywords |
//! | scalar unions | `anyOf` of same-typed scalars (or arrays of them) | one schema |
//! | `allOf` over a union | `allOf: [base, anyOf: [a, b]]` | `oneOf: [base+a, base+b]` |
//! | tagged unions | object members with disjoint string `enum`s on one required property | `oneOf`, one member per tag value |
//! | numeric bounds | `exclusiveMinimum: 5` | `minimum: 5`, `exclusiveMinimum: true` |
//! | patterns | `pattern: ^US(.*)$` | removed: Quo validates ids itself, and a generated regex is a runtime dependency that could reject real data |
//! | lenient responses | `additionalProperties: false`, length and item bounds | removed in response data |
//! | absent nulls | a nullable property listed in `required` (response data) | no longer required: a missing key reads as null |
//! | absent arrays | an array property, required or nullable (response data) | neither: a plain `Vec` that reads a missing key (and, see `quo-api/codegen.rs`, `null`) as empty |
//! | open enums | a string `enum` in response data | marked for [`open_enums`](super::open_enums) |

use serde_json::{Map, Value, json};

use super::{Direction, NormalizeError};

const META_KEYWORDS: [&str; 6] = [
    "$id",
    "$schema",
    "$comment",
    "contentMediaType",
    "contentEncoding",
    "$anchor",
];
const LENIENT_DROPS: [&str; 5] = [
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
];
const SCALARS: [&str; 4] = ["string", "number", "integer", "boolean"];

/// Applies every rule to `schema` and, first, to all of its subschemas.
pub fn simplify(
    schema: &mut Value,
    direction: Direction,
    pointer: &str,
) -> Result<(), NormalizeError> {
    if let Value::Bool(b) = schema {
        *schema = if *b { json!({}) } else { json!({"not": {}}) };
        return Ok(());
    }
    let Some(obj) = schema.as_object_mut() else {
        return Err(NormalizeError {
            pointer: pointer.to_owned(),
            message: format!("a schema must be an object, found {schema}"),
        });
    };
    for key in META_KEYWORDS {
        obj.remove(key);
    }
    examples_to_example(obj);
    const_to_enum(obj);
    type_array(obj);
    exclusive_bounds(obj);
    null_in_enum(obj);
    strip_null_members(obj);
    recurse(obj, direction, pointer)?;
    lone_null_type(obj);
    single_member(obj);
    collapse_scalar_union(obj);
    distribute_all_of(obj);
    merge_plain_all_of(obj);
    split_tagged_union(obj);
    obj.remove("pattern");
    if direction == Direction::Response {
        lenient(obj);
        arrays_may_be_absent(obj);
        if obj.get("type") == Some(&json!("string")) && obj.get("enum").is_some() {
            obj.insert(super::open_enums::MARK.into(), Value::Bool(true));
        }
    }
    Ok(())
}

fn recurse(
    obj: &mut Map<String, Value>,
    direction: Direction,
    pointer: &str,
) -> Result<(), NormalizeError> {
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            let ptr = format!("{pointer}/properties/{}", crate::merge::escape(name));
            simplify(prop, direction, &ptr)?;
        }
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = obj.get_mut(key)
            && (child.is_object() || (key != "additionalProperties" && child.is_boolean()))
        {
            simplify(child, direction, &format!("{pointer}/{key}"))?;
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(members) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for (i, member) in members.iter_mut().enumerate() {
                simplify(member, direction, &format!("{pointer}/{key}/{i}"))?;
            }
        }
    }
    Ok(())
}

/// `examples: [a, ..]` (or a scalar) → `example: a`.
pub fn examples_to_example(obj: &mut Map<String, Value>) {
    let Some(examples) = obj.remove("examples") else {
        return;
    };
    let first = match examples {
        Value::Array(a) => a.into_iter().next(),
        Value::Object(_) => None,
        other => Some(other),
    };
    if let Some(first) = first {
        obj.entry("example").or_insert(first);
    }
}

/// `const: v` → `enum: [v]`; a whole-number const on `type: number` makes it `integer`.
pub fn const_to_enum(obj: &mut Map<String, Value>) {
    let Some(value) = obj.remove("const") else {
        return;
    };
    if value.is_null() {
        obj.insert("nullable".into(), Value::Bool(true));
        obj.insert("enum".into(), json!([null]));
        return;
    }
    if (value.is_i64() || value.is_u64()) && obj.get("type") == Some(&json!("number")) {
        obj.insert("type".into(), json!("integer"));
    }
    if !obj.contains_key("type") {
        let ty = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let Some(ty) = ty {
            obj.insert("type".into(), json!(ty));
        }
    }
    obj.insert("enum".into(), Value::Array(vec![value]));
}

/// `type: [T, 'null']` → `type: T, nullable: true`; several non-null types → `anyOf`.
pub fn type_array(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type") else {
        return;
    };
    let non_null: Vec<Value> = types
        .iter()
        .filter(|t| t.as_str() != Some("null"))
        .cloned()
        .collect();
    let nullable = non_null.len() != types.len();
    obj.remove("type");
    match non_null.len() {
        0 => {}
        1 => {
            obj.insert("type".into(), non_null[0].clone());
        }
        _ => {
            let members = non_null.into_iter().map(|t| json!({"type": t})).collect();
            obj.insert("anyOf".into(), Value::Array(members));
        }
    }
    if nullable {
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

/// 3.1 numeric `exclusiveMinimum`/`exclusiveMaximum` → 3.0 bound plus flag.
pub fn exclusive_bounds(obj: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = obj.get(exclusive).filter(|v| v.is_number()).cloned() {
            obj.insert(bound.into(), n);
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `enum: [a, null]` → `enum: [a], nullable: true`.
pub fn null_in_enum(obj: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = obj.get_mut("enum") else {
        return;
    };
    if values.len() > 1 && values.iter().any(Value::is_null) {
        values.retain(|v| !v.is_null());
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => {
            schema.get("const").is_some_and(Value::is_null)
                || schema.get("enum") == Some(&json!([null]))
        }
    }
}

/// Removes `{type: 'null'}` members from `anyOf`/`oneOf`, marking the schema nullable.
pub fn strip_null_members(obj: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = obj.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| !is_null_schema(m));
        if members.len() != before {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        if obj
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            obj.remove(key);
        }
    }
}

/// A schema that is only `type: 'null'` → `nullable: true` with no type.
pub fn lone_null_type(obj: &mut Map<String, Value>) {
    if obj.get("type") == Some(&json!("null")) {
        obj.remove("type");
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

/// `anyOf: [X]` (or `oneOf`) → `X`, with the outer keywords kept on top.
/// A lone `$ref` member becomes `allOf: [$ref]`, since 3.0 ignores
/// siblings of `$ref` (such as `nullable`).
pub fn single_member(obj: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let single = matches!(obj.get(key), Some(Value::Array(m)) if m.len() == 1);
        if !single {
            continue;
        }
        let Some(Value::Array(mut members)) = obj.remove(key) else {
            continue;
        };
        let member = members.remove(0);
        if member.get("$ref").is_some() {
            obj.insert("allOf".into(), Value::Array(vec![member]));
            continue;
        }
        if let Value::Object(inner) = member {
            for (k, v) in inner {
                if k == "nullable" {
                    if v == Value::Bool(true) {
                        obj.insert(k, v);
                    }
                    continue;
                }
                obj.entry(k).or_insert(v);
            }
        }
    }
}

/// The `type` of a member that can be collapsed into a scalar union.
fn collapsible_type(member: &Value) -> Option<String> {
    let obj = member.as_object()?;
    if obj.contains_key("$ref") || obj.contains_key("properties") {
        return None;
    }
    let ty = obj.get("type")?.as_str()?;
    if SCALARS.contains(&ty) {
        return Some(ty.to_owned());
    }
    if ty == "array" {
        let items = obj.get("items")?;
        let inner = collapsible_type(items)?;
        return Some(format!("array<{inner}>"));
    }
    None
}

/// `anyOf` of same-typed scalars (or of arrays of same-typed scalars) → one schema.
pub fn collapse_scalar_union(obj: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = obj.get(key) else {
            continue;
        };
        if members.len() < 2 {
            continue;
        }
        let types: Option<Vec<String>> = members.iter().map(collapsible_type).collect();
        let Some(types) = types else { continue };
        let numeric = |t: &str| t == "number" || t == "integer";
        let all_same = types.iter().all(|t| t == &types[0]);
        let all_numeric = types.iter().all(|t| numeric(t));
        if !all_same && !all_numeric {
            continue;
        }
        let Some(Value::Array(members)) = obj.remove(key) else {
            continue;
        };
        let merged = merge_scalars(&members);
        if let Value::Object(merged) = merged {
            for (k, v) in merged {
                obj.entry(k).or_insert(v);
            }
        }
    }
}

fn merge_scalars(members: &[Value]) -> Value {
    let objs: Vec<&Map<String, Value>> = members.iter().filter_map(Value::as_object).collect();
    let mut out = Map::new();
    let types: Vec<&str> = objs
        .iter()
        .filter_map(|o| o.get("type").and_then(Value::as_str))
        .collect();
    let ty = if types.iter().all(|t| *t == types[0]) {
        types[0]
    } else {
        "number"
    };
    out.insert("type".into(), json!(ty));
    if ty == "array" {
        let items: Vec<Value> = objs
            .iter()
            .filter_map(|o| o.get("items").cloned())
            .collect();
        out.insert("items".into(), merge_scalars(&items));
    }
    if objs.iter().all(|o| o.contains_key("enum")) {
        let mut values: Vec<Value> = Vec::new();
        for o in &objs {
            for v in o
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
        }
        out.insert("enum".into(), Value::Array(values));
    }
    // Any other keyword survives only when every member agrees on it.
    if let Some(first) = objs.first() {
        for (k, v) in first.iter() {
            if matches!(
                k.as_str(),
                "type" | "items" | "enum" | "description" | "example"
            ) {
                continue;
            }
            if objs.iter().all(|o| o.get(k) == Some(v)) {
                out.insert(k.clone(), v.clone());
            }
        }
        for k in ["description", "example"] {
            if let Some(v) = objs.iter().find_map(|o| o.get(k)) {
                out.insert(k.into(), v.clone());
            }
        }
    }
    if objs
        .iter()
        .any(|o| o.get("nullable") == Some(&Value::Bool(true)))
    {
        out.insert("nullable".into(), Value::Bool(true));
    }
    Value::Object(out)
}

fn is_plain_object(schema: &Value) -> bool {
    schema.get("$ref").is_none()
        && schema.get("anyOf").is_none()
        && schema.get("oneOf").is_none()
        && schema.get("allOf").is_none()
        && (schema.get("properties").is_some() || schema.get("type") == Some(&json!("object")))
}

fn merge_objects(parts: &[&Value]) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    let mut props = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for part in parts {
        let Some(obj) = part.as_object() else {
            continue;
        };
        for (k, v) in obj {
            match k.as_str() {
                "properties" => {
                    for (name, schema) in v.as_object().into_iter().flatten() {
                        props.insert(name.clone(), schema.clone());
                    }
                }
                "required" => {
                    for r in v.as_array().into_iter().flatten() {
                        if !required.contains(r) {
                            required.push(r.clone());
                        }
                    }
                }
                "type" => {}
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    out.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    Value::Object(out)
}

/// `allOf: [base.., anyOf: [a, b]]` → `oneOf: [base+a, base+b]` when the
/// other parts are plain inline objects: progenitor then sees one union of
/// complete objects instead of an anonymous flattening.
pub fn distribute_all_of(obj: &mut Map<String, Value>) {
    let Some(Value::Array(parts)) = obj.get("allOf") else {
        return;
    };
    let unions: Vec<&Value> = parts
        .iter()
        .filter(|p| p.get("anyOf").is_some() || p.get("oneOf").is_some())
        .collect();
    let plain: Vec<&Value> = parts.iter().filter(|p| is_plain_object(p)).collect();
    if unions.len() != 1 || plain.len() + 1 != parts.len() {
        return;
    }
    let union = unions[0];
    let members = union
        .get("oneOf")
        .or_else(|| union.get("anyOf"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !members.iter().all(is_plain_object) {
        return;
    }
    let merged: Vec<Value> = members
        .iter()
        .map(|m| {
            let mut pieces = plain.clone();
            pieces.push(m);
            merge_objects(&pieces)
        })
        .collect();
    obj.remove("allOf");
    obj.insert("oneOf".into(), Value::Array(merged));
}

/// `allOf` of plain inline objects only → one object.
pub fn merge_plain_all_of(obj: &mut Map<String, Value>) {
    let Some(Value::Array(parts)) = obj.get("allOf") else {
        return;
    };
    if parts.len() < 2 || !parts.iter().all(is_plain_object) {
        return;
    }
    let Some(Value::Array(parts)) = obj.remove("allOf") else {
        return;
    };
    let refs: Vec<&Value> = parts.iter().collect();
    if let Value::Object(merged) = merge_objects(&refs) {
        for (k, v) in merged {
            obj.entry(k).or_insert(v);
        }
    }
}

fn string_enum<'a>(member: &'a Value, property: &str) -> Option<Vec<&'a str>> {
    let required = member.get("required")?.as_array()?;
    if !required.iter().any(|r| r == property) {
        return None;
    }
    let values = member
        .get("properties")?
        .get(property)?
        .get("enum")?
        .as_array()?;
    let strings: Option<Vec<&str>> = values.iter().map(Value::as_str).collect();
    strings.filter(|s| !s.is_empty())
}

/// Finds the tag property of a union of objects: required in every member,
/// a string `enum` in each, no value shared by two members. `type` first.
fn tag_property(members: &[Value]) -> Option<String> {
    let first = members.first()?.get("properties")?.as_object()?;
    let mut candidates: Vec<&String> = first.keys().collect();
    candidates.sort_by_key(|k| (k.as_str() != "type", k.as_str()));
    'candidate: for name in candidates {
        let mut seen: Vec<&str> = Vec::new();
        for member in members {
            let Some(values) = string_enum(member, name) else {
                continue 'candidate;
            };
            for v in values {
                if seen.contains(&v) {
                    continue 'candidate;
                }
                seen.push(v);
            }
        }
        return Some(name.clone());
    }
    None
}

/// A union of objects tagged by one property becomes a `oneOf` with one
/// member per tag value (a member listing `address`, `string` and `url`
/// becomes three), which typify turns into `#[serde(tag = "...")]` enums.
pub fn split_tagged_union(obj: &mut Map<String, Value>) {
    let key = if obj.contains_key("oneOf") {
        "oneOf"
    } else {
        "anyOf"
    };
    let Some(Value::Array(members)) = obj.get(key) else {
        return;
    };
    if members.len() < 2 || !members.iter().all(is_plain_object) {
        return;
    }
    let Some(tag) = tag_property(members) else {
        return;
    };
    let mut split = Vec::new();
    for member in members {
        let values: Vec<String> = string_enum(member, &tag)
            .unwrap_or_default()
            .into_iter()
            .map(str::to_owned)
            .collect();
        for value in values {
            let mut copy = member.clone();
            if let Some(prop) =
                copy.pointer_mut(&format!("/properties/{}", crate::merge::escape(&tag)))
            {
                *prop = json!({"type": "string", "enum": [value]});
            }
            split.push(copy);
        }
    }
    obj.remove(key);
    obj.insert("oneOf".into(), Value::Array(split));
}

/// Response data is read leniently: the server's data is not ours to
/// validate, and a new field or a longer id must never fail a page.
pub fn lenient(obj: &mut Map<String, Value>) {
    let nullable: Vec<String> = obj
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter(|(_, p)| p.get("nullable") == Some(&Value::Bool(true)))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !nullable.iter().any(|n| n == r)));
        if required.is_empty() {
            obj.remove("required");
        }
    }
    if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
        obj.remove("additionalProperties");
    }
    for key in LENIENT_DROPS {
        obj.remove(key);
    }
}

/// In response data, an array property is neither required nor nullable:
/// typify then makes it a `Vec` with `#[serde(default)]`, so a missing key
/// reads as empty, and the build script lets that field read `null` as
/// empty too. Users get a plain `Vec` (never `Option<Vec<_>>`) whatever Quo
/// leaves out, and a contact without `emails` does not fail its page.
pub fn arrays_may_be_absent(obj: &mut Map<String, Value>) {
    let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    let mut arrays = Vec::new();
    for (name, prop) in props.iter_mut() {
        let Some(prop) = prop.as_object_mut() else {
            continue;
        };
        if prop.get("type") == Some(&json!("array")) {
            prop.remove("nullable");
            arrays.push(name.clone());
        }
    }
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !arrays.iter().any(|a| a == r)));
        if required.is_empty() {
            obj.remove("required");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: Value, direction: Direction) -> Value {
        let mut schema = input;
        simplify(&mut schema, direction, "#").unwrap();
        schema
    }

    fn req(input: Value) -> Value {
        run(input, Direction::Request)
    }

    #[test]
    fn examples_array_becomes_first_example_and_scalar_examples_too() {
        assert_eq!(
            req(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
        assert_eq!(
            req(json!({"type": "string", "examples": "U55"})),
            json!({"type": "string", "example": "U55"})
        );
        assert_eq!(
            req(json!({"type": "string", "examples": ["a"], "example": "kept"})),
            json!({"type": "string", "example": "kept"})
        );
    }

    #[test]
    fn const_becomes_single_enum_and_whole_number_becomes_integer() {
        assert_eq!(
            req(json!({"const": "0801400", "type": "string"})),
            json!({"type": "string", "enum": ["0801400"]})
        );
        assert_eq!(
            req(json!({"const": 400, "type": "number"})),
            json!({"type": "integer", "enum": [400]})
        );
        assert_eq!(
            req(json!({"const": true})),
            json!({"type": "boolean", "enum": [true]})
        );
    }

    #[test]
    fn any_of_with_null_becomes_nullable_merged_schema() {
        let out = req(
            json!({"anyOf": [{"type": "string", "description": "d", "examples": ["x"]}, {"type": "null"}]}),
        );
        assert_eq!(
            out,
            json!({"type": "string", "description": "d", "example": "x", "nullable": true})
        );
    }

    #[test]
    fn outer_keywords_win_over_the_single_member() {
        let out = req(
            json!({"description": "outer", "example": "1", "anyOf": [{"type": "number", "description": "inner"}, {"type": "null"}]}),
        );
        assert_eq!(
            out,
            json!({"type": "number", "description": "outer", "example": "1", "nullable": true})
        );
    }

    #[test]
    fn one_of_with_null_and_a_ref_keeps_the_ref_in_all_of() {
        let out = req(json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
        assert_eq!(
            out,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
    }

    #[test]
    fn type_arrays_become_type_and_nullable() {
        assert_eq!(
            req(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            req(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn null_in_enum_becomes_nullable() {
        assert_eq!(
            req(json!({"type": "string", "enum": ["a", null]})),
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
    }

    #[test]
    fn a_lone_null_type_is_nullable_any() {
        assert_eq!(req(json!({"type": "null"})), json!({"nullable": true}));
    }

    #[test]
    fn same_typed_scalar_unions_collapse() {
        let out = req(json!({"description": "from", "anyOf": [
            {"type": "string", "pattern": "^\\+1", "example": "+1555"},
            {"type": "string", "pattern": "^PN"}]}));
        assert_eq!(
            out,
            json!({"type": "string", "description": "from", "example": "+1555"})
        );
        let enums = req(
            json!({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b", "a"]}]}),
        );
        assert_eq!(enums, json!({"type": "string", "enum": ["a", "b"]}));
        let numbers = req(json!({"anyOf": [{"type": "integer"}, {"type": "number"}]}));
        assert_eq!(numbers, json!({"type": "number"}));
    }

    #[test]
    fn arrays_of_same_typed_scalars_collapse() {
        let out = req(json!({"anyOf": [
            {"type": "array", "items": {"type": "string", "pattern": "^PN"}},
            {"type": "array", "items": {"type": "string", "pattern": "^US"}}]}));
        assert_eq!(out, json!({"type": "array", "items": {"type": "string"}}));
    }

    #[test]
    fn differently_typed_unions_are_kept() {
        let input = json!({"anyOf": [{"type": "string"}, {"type": "boolean"}]});
        assert_eq!(req(input.clone()), input);
    }

    #[test]
    fn all_of_over_a_tagged_union_becomes_one_of_with_a_member_per_tag() {
        let out = req(json!({"allOf": [
            {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            {"anyOf": [
                {"type": "object", "required": ["type", "value"], "properties": {
                    "type": {"type": "string", "enum": ["multi-select"]},
                    "value": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}}},
                {"type": "object", "required": ["type", "value"], "properties": {
                    "type": {"type": "string", "enum": ["address", "string"]},
                    "value": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}
            ]}
        ]}));
        let members = out["oneOf"].as_array().unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(
            members[0],
            json!({"type": "object", "required": ["name", "type", "value"], "properties": {
                "name": {"type": "string"},
                "type": {"type": "string", "enum": ["multi-select"]},
                "value": {"type": "array", "items": {"type": "string"}, "nullable": true}}})
        );
        assert_eq!(
            members[1]["properties"]["type"],
            json!({"type": "string", "enum": ["address"]})
        );
        assert_eq!(
            members[2]["properties"]["type"],
            json!({"type": "string", "enum": ["string"]})
        );
        assert_eq!(
            members[2]["properties"]["value"],
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn unions_without_a_disjoint_tag_are_not_split() {
        let input = json!({"anyOf": [
            {"type": "object", "required": ["k"], "properties": {"k": {"type": "string", "enum": ["a", "b"]}}},
            {"type": "object", "required": ["k"], "properties": {"k": {"type": "string", "enum": ["b"]}}}]});
        assert_eq!(req(input.clone()), input);
    }

    #[test]
    fn all_of_of_plain_objects_merges() {
        let out = req(json!({"allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "integer"}}}]}));
        assert_eq!(
            out,
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_become_3_0_flags() {
        assert_eq!(
            req(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn patterns_are_dropped_and_request_length_bounds_kept() {
        assert_eq!(
            req(json!({"type": "string", "pattern": "^(.*)$"})),
            json!({"type": "string"})
        );
        assert_eq!(
            req(json!({"type": "string", "pattern": "^US(.*)$", "maxLength": 75})),
            json!({"type": "string", "maxLength": 75})
        );
    }

    #[test]
    fn response_data_is_read_leniently() {
        let out = run(
            json!({"type": "object", "additionalProperties": false, "properties": {
                "id": {"type": "string", "minLength": 1, "maxLength": 75}}}),
            Direction::Response,
        );
        assert_eq!(
            out,
            json!({"type": "object", "properties": {"id": {"type": "string"}}})
        );
    }

    #[test]
    fn nullable_response_properties_are_not_required() {
        let input = json!({"type": "object", "required": ["id", "company"], "properties": {
            "id": {"type": "string"},
            "company": {"anyOf": [{"type": "string"}, {"type": "null"}]}}});
        let out = run(input.clone(), Direction::Response);
        assert_eq!(out["required"], json!(["id"]));
        assert_eq!(
            req(input)["required"],
            json!(["id", "company"]),
            "requests keep it"
        );
    }

    #[test]
    fn response_arrays_are_neither_required_nor_nullable() {
        let input = json!({"type": "object", "required": ["id", "emails", "tags"], "properties": {
            "id": {"type": "string"},
            "emails": {"type": "array", "items": {"$ref": "#/components/schemas/ContactEmail"}},
            "tags": {"type": ["array", "null"], "items": {"type": "string"}},
            "jobs": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]},
            "inner": {"type": "object", "required": ["list"], "properties": {
                "list": {"type": "array", "items": {"type": "integer"}}}}}});
        let out = run(input.clone(), Direction::Response);
        assert_eq!(out["required"], json!(["id"]));
        for name in ["emails", "tags", "jobs"] {
            let prop = &out["properties"][name];
            assert_eq!(prop["type"], "array", "{name}");
            assert!(prop.get("nullable").is_none(), "{name}: {prop}");
        }
        assert!(out["properties"]["inner"].get("required").is_none());
        let request = req(input);
        assert_eq!(
            request["required"],
            json!(["id", "emails", "tags"]),
            "requests keep it"
        );
        assert_eq!(request["properties"]["tags"]["nullable"], true);
    }

    #[test]
    fn meta_keywords_are_removed_and_boolean_schemas_expanded() {
        assert_eq!(
            req(json!({"$id": "X", "$schema": "s", "type": "object"})),
            json!({"type": "object"})
        );
        assert_eq!(req(json!(true)), json!({}));
    }

    #[test]
    fn a_property_named_like_a_keyword_is_a_property() {
        let out = req(json!({"type": "object", "properties": {
            "description": {"const": "Invalid", "type": "string"},
            "examples": {"type": "string"}}}));
        assert_eq!(
            out["properties"]["description"],
            json!({"type": "string", "enum": ["Invalid"]})
        );
        assert_eq!(out["properties"]["examples"], json!({"type": "string"}));
    }

    #[test]
    fn a_non_object_schema_is_an_error_with_its_pointer() {
        let mut schema = json!({"type": "object", "properties": {"a": 5}});
        let err = simplify(&mut schema, Direction::Request, "/components/schemas/X").unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/X/properties/a");
    }
}
