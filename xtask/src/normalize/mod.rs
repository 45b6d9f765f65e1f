//! Normalisation: the published OpenAPI 3.1 document → the OpenAPI 3.0
//! document that progenitor generates a good client from.
//!
//! The steps, each in its own module and each rule unit-tested:
//! 1. [`schema`]: per-schema rules (3.1 → 3.0 keywords, null unions →
//!    `nullable`, scalar unions collapsed, `allOf` over a union
//!    distributed, discriminated unions split per tag value, lenient
//!    response schemas);
//! 2. [`errors`]: every 4xx/5xx body points at one shared `ApiError`;
//! 3. [`hints`]: every list response's `totalItems` (documented as not
//!    accurate) points at one optional `TotalItems`;
//! 4. [`names`]: the naming table gives the shapes users touch their names,
//!    then [`absent`] lets the properties Quo is known to leave out of
//!    them be missing;
//! 5. [`hoist`]: identical inline shapes become one named component;
//! 6. [`open_enums`]: every enum in response data becomes `Open<Enum>`,
//!    so a value Quo adds later never fails a page;
//! 7. [`validate`]: anything progenitor cannot take is an error naming
//!    its JSON pointer.

pub mod absent;
pub mod errors;
pub mod hints;
pub mod hoist;
pub mod names;
pub mod open_enums;
pub mod schema;
pub mod validate;

use serde_json::Value;

use crate::merge::{METHODS, escape};

/// A construct the normaliser cannot handle, located by JSON pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalizeError {
    /// Where in the merged document (RFC 6901 pointer).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for NormalizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// The OpenAPI version the generator reads.
pub const TARGET_VERSION: &str = "3.0.3";

/// Normalises a merged document.
pub fn normalize(doc: &Value) -> Result<Value, NormalizeError> {
    let mut doc = doc.clone();
    let Some(obj) = doc.as_object_mut() else {
        return Err(NormalizeError {
            pointer: String::new(),
            message: "the document is not a JSON object".into(),
        });
    };
    obj.insert("openapi".into(), Value::String(TARGET_VERSION.into()));
    for_each_root_schema(&mut doc, &mut |schema, pointer, direction| {
        schema::simplify(schema, direction, pointer)
    })?;
    media_examples(&mut doc);
    errors::unify_error_responses(&mut doc);
    hints::total_items_as_hint(&mut doc);
    names::apply(&mut doc);
    absent::may_be_absent(&mut doc);
    hoist::hoist(&mut doc);
    open_enums::open_enums(&mut doc);
    validate::validate(&doc)?;
    Ok(doc)
}

/// Which way a schema's data flows; response data is read leniently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client: constraints are kept.
    Request,
    /// Received from the server (and shared components): read leniently.
    Response,
}

/// Where a root schema sits, for naming hoisted shapes.
#[derive(Debug, Clone)]
pub struct RootSchema {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// Request or response data.
    pub direction: Direction,
    /// A name for the root (`ListContactsV1Response`, `ListPhoneNumbersResponse`).
    pub name: String,
    /// Whether the root itself is a component (never hoisted again).
    pub is_component: bool,
}

/// Calls `f` on every schema the document holds at its top levels
/// (components, parameters, request and response bodies, headers).
pub fn for_each_root_schema(
    doc: &mut Value,
    f: &mut dyn FnMut(&mut Value, &str, Direction) -> Result<(), NormalizeError>,
) -> Result<(), NormalizeError> {
    let roots = root_schemas(doc);
    for root in roots {
        if let Some(schema) = doc.pointer_mut(&root.pointer) {
            f(schema, &root.pointer, root.direction)?;
        }
    }
    Ok(())
}

/// Lists every root schema of the document, in a deterministic order.
pub fn root_schemas(doc: &Value) -> Vec<RootSchema> {
    let mut roots = Vec::new();
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            for (name, entry) in entries {
                let base = format!("/components/{}/{}", escape(kind), escape(name));
                match kind.as_str() {
                    "schemas" => roots.push(RootSchema {
                        pointer: base,
                        direction: Direction::Response,
                        name: pascal(name),
                        is_component: true,
                    }),
                    "parameters" | "headers" => roots.push(RootSchema {
                        pointer: format!("{base}/schema"),
                        direction: Direction::Request,
                        name: pascal(name),
                        is_component: false,
                    }),
                    "requestBodies" => {
                        content_schemas(entry, &base, Direction::Request, &pascal(name), &mut roots)
                    }
                    "responses" => content_schemas(
                        entry,
                        &base,
                        Direction::Response,
                        &pascal(name),
                        &mut roots,
                    ),
                    _ => {}
                }
            }
        }
    }
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return roots;
    };
    for (path, item) in paths {
        let path_ptr = format!("/paths/{}", escape(path));
        params(item, &path_ptr, &pascal(path), &mut roots);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let op_ptr = format!("{path_ptr}/{method}");
            let op_name = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(pascal)
                .unwrap_or_else(|| pascal(&format!("{method} {path}")));
            params(op, &op_ptr, &op_name, &mut roots);
            if let Some(body) = op.get("requestBody") {
                content_schemas(
                    body,
                    &format!("{op_ptr}/requestBody"),
                    Direction::Request,
                    &format!("{op_name}Body"),
                    &mut roots,
                );
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (code, response) in responses {
                    let ptr = format!("{op_ptr}/responses/{}", escape(code));
                    let name = if code.starts_with('2') {
                        format!("{op_name}Response")
                    } else {
                        format!("{op_name}Response{}", pascal(code))
                    };
                    content_schemas(response, &ptr, Direction::Response, &name, &mut roots);
                    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
                        for header in headers.keys() {
                            roots.push(RootSchema {
                                pointer: format!("{ptr}/headers/{}/schema", escape(header)),
                                direction: Direction::Response,
                                name: format!("{name}{}", pascal(header)),
                                is_component: false,
                            });
                        }
                    }
                }
            }
        }
    }
    roots
}

fn params(item: &Value, base: &str, owner: &str, roots: &mut Vec<RootSchema>) {
    let Some(list) = item.get("parameters").and_then(Value::as_array) else {
        return;
    };
    for (i, p) in list.iter().enumerate() {
        if p.get("schema").is_some() {
            let name = p.get("name").and_then(Value::as_str).unwrap_or("param");
            roots.push(RootSchema {
                pointer: format!("{base}/parameters/{i}/schema"),
                direction: Direction::Request,
                name: format!("{owner}{}", pascal(name)),
                is_component: false,
            });
        }
    }
}

fn content_schemas(
    holder: &Value,
    base: &str,
    direction: Direction,
    name: &str,
    roots: &mut Vec<RootSchema>,
) {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return;
    };
    for (media, body) in content {
        if body.get("schema").is_some() {
            roots.push(RootSchema {
                pointer: format!("{base}/content/{}/schema", escape(media)),
                direction,
                name: name.to_owned(),
                is_component: false,
            });
        }
    }
}

/// In 3.0, `examples` on a parameter or media type is a map of Example
/// objects; 3.1 documents in the wild put an array or a scalar there.
/// Those become a single `example`.
fn media_examples(doc: &mut Value) {
    fn fix(holder: &mut Value) {
        let Some(obj) = holder.as_object_mut() else {
            return;
        };
        if let Some(examples) = obj.get("examples")
            && !examples.is_object()
        {
            let first = match examples {
                Value::Array(a) => a.first().cloned(),
                other => Some(other.clone()),
            };
            obj.remove("examples");
            if let Some(first) = first {
                obj.entry("example").or_insert(first);
            }
        }
    }
    fn visit_params(holder: &mut Value) {
        if let Some(list) = holder.get_mut("parameters").and_then(Value::as_array_mut) {
            list.iter_mut().for_each(fix);
        }
    }
    fn visit_content(holder: &mut Value) {
        if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
            content.values_mut().for_each(fix);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            visit_params(item);
            for method in METHODS {
                let Some(op) = item.get_mut(method) else {
                    continue;
                };
                visit_params(op);
                if let Some(body) = op.get_mut("requestBody") {
                    visit_content(body);
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    responses.values_mut().for_each(visit_content);
                }
            }
        }
    }
    if let Some(params) = doc
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        params.values_mut().for_each(fix);
    }
}

/// `listContacts_v1` → `ListContactsV1`; `/v1/contacts` → `V1Contacts`.
pub fn pascal(text: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pascal_case_names() {
        assert_eq!(pascal("listContacts_v1"), "ListContactsV1");
        assert_eq!(pascal("/v1/contacts/{id}"), "V1ContactsId");
        assert_eq!(pascal("phoneNumbers"), "PhoneNumbers");
    }

    #[test]
    fn version_becomes_3_0_3() {
        let out = normalize(
            &json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}),
        )
        .unwrap();
        assert_eq!(out["openapi"], "3.0.3");
    }

    #[test]
    fn parameter_examples_array_or_scalar_become_example() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
            "operationId": "x",
            "parameters": [
                {"name": "a", "in": "query", "examples": ["one", "two"], "schema": {"type": "string"}},
                {"name": "b", "in": "query", "examples": "scalar", "schema": {"type": "string", "examples": "U55"}}
            ],
            "responses": {"204": {"description": "ok"}}}}}});
        let out = normalize(&doc).unwrap();
        let params = &out["paths"]["/x"]["get"]["parameters"];
        assert_eq!(params[0]["example"], "one");
        assert!(params[0].get("examples").is_none());
        assert_eq!(params[1]["example"], "scalar");
        assert_eq!(
            params[1]["schema"],
            json!({"type": "string", "example": "U55"})
        );
    }

    #[test]
    fn roots_cover_parameters_bodies_responses_and_components() {
        let doc = json!({"paths": {"/x": {"post": {"operationId": "makeX_v1",
            "parameters": [{"name": "id", "in": "query", "schema": {}}],
            "requestBody": {"content": {"application/json": {"schema": {}}}},
            "responses": {"201": {"content": {"application/json": {"schema": {}}}}}}}},
            "components": {"schemas": {"Thing": {}}}});
        let names: Vec<String> = root_schemas(&doc).into_iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            ["Thing", "MakeXV1Id", "MakeXV1Body", "MakeXV1Response"]
        );
    }
}
