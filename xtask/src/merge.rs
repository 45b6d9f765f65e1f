//! Merging several OpenAPI documents as overlays, in the order given.
//!
//! - Paths merge per path and method; components per section and name. A
//!   later source replaces the same operation or component from an earlier
//!   one, and the replacement is reported by name and source; identical
//!   duplicates are silent.
//! - Everything else at the top level (`openapi`, `info`, `servers`,
//!   `security`, `tags`, extensions) follows one rule: **the last source
//!   that has the key wins** (a docs page is newer than the full spec it
//!   was cut from), and a differing replacement is reported.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// HTTP methods that are operations in an OpenAPI path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The merged document, what the merge reported, and where each operation
/// and component came from (for error messages naming the source).
#[derive(Debug, Default)]
pub struct Merged {
    /// The merged document (still as published, OpenAPI 3.1).
    pub doc: Value,
    /// One line per replacement, naming the item and both sources.
    pub report: Vec<String>,
    /// JSON pointer prefix (`/paths/~1v1~1contacts/get`) → source name.
    pub origins: BTreeMap<String, String>,
}

impl Merged {
    /// The source that contributed the item at `pointer`, if known.
    pub fn origin_of(&self, pointer: &str) -> Option<&str> {
        self.origins
            .iter()
            .filter(|(prefix, _)| pointer.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, source)| source.as_str())
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Merges `(source name, document)` pairs in order.
pub fn merge(docs: &[(String, Value)]) -> Merged {
    let mut merged = Merged {
        doc: Value::Object(Map::new()),
        ..Merged::default()
    };
    let mut top_origin: BTreeMap<String, String> = BTreeMap::new();
    for (source, doc) in docs {
        let Some(doc) = doc.as_object() else { continue };
        for (key, value) in doc {
            match key.as_str() {
                "paths" => merge_paths(&mut merged, source, value),
                "components" => merge_components(&mut merged, source, value),
                _ => {
                    let out = merged.doc.as_object_mut().expect("object");
                    if let Some(old) = out.get(key)
                        && old != value
                    {
                        let from = top_origin.get(key).cloned().unwrap_or_default();
                        merged
                            .report
                            .push(format!("`{key}` from {from} replaced by {source}"));
                    }
                    out.insert(key.clone(), value.clone());
                    top_origin.insert(key.clone(), source.clone());
                }
            }
        }
    }
    merged
}

fn section<'a>(doc: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    let obj = doc.as_object_mut().expect("object");
    let entry = obj
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("object")
}

fn merge_paths(merged: &mut Merged, source: &str, paths: &Value) {
    let Some(paths) = paths.as_object() else {
        return;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let out_paths = section(&mut merged.doc, "paths");
        let out_item = out_paths
            .entry(path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let out_item = out_item.as_object_mut().expect("path item");
        for (key, value) in item {
            let pointer = format!("/paths/{}/{}", escape(path), escape(key));
            if let Some(old) = out_item.get(key)
                && old != value
            {
                let what = if METHODS.contains(&key.as_str()) {
                    format!("{} {path}", key.to_uppercase())
                } else {
                    format!("`{key}` of {path}")
                };
                let from = merged.origins.get(&pointer).cloned().unwrap_or_default();
                merged
                    .report
                    .push(format!("{what} from {from} replaced by {source}"));
            }
            out_item.insert(key.clone(), value.clone());
            merged.origins.insert(pointer, source.to_owned());
        }
    }
}

fn merge_components(merged: &mut Merged, source: &str, components: &Value) {
    let Some(components) = components.as_object() else {
        return;
    };
    for (kind, entries) in components {
        let out = section(section_value(&mut merged.doc, "components"), kind);
        let Some(entries) = entries.as_object() else {
            continue;
        };
        for (name, value) in entries {
            let pointer = format!("/components/{}/{}", escape(kind), escape(name));
            if let Some(old) = out.get(name)
                && old != value
            {
                let from = merged.origins.get(&pointer).cloned().unwrap_or_default();
                merged.report.push(format!(
                    "components.{kind}.{name} from {from} replaced by {source}"
                ));
            }
            out.insert(name.clone(), value.clone());
            merged.origins.insert(pointer, source.to_owned());
        }
    }
}

fn section_value<'a>(doc: &'a mut Value, key: &str) -> &'a mut Value {
    section(doc, key);
    doc.get_mut(key).expect("just inserted")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(summary: &str) -> Value {
        json!({"operationId": summary, "responses": {}})
    }

    #[test]
    fn paths_union_and_later_operation_replaces_earlier_with_a_report() {
        let a = json!({"openapi": "3.1.0", "paths": {
            "/v1/contacts": {"post": op("create"), "get": op("old-list")},
            "/v1/calls": {"get": op("calls")}}});
        let b = json!({"openapi": "3.1.0", "paths": {"/v1/contacts": {"get": op("new-list")}}});
        let m = merge(&[("full.json".into(), a), ("page.md".into(), b)]);
        assert_eq!(
            m.doc["paths"]["/v1/contacts"]["get"]["operationId"],
            "new-list"
        );
        assert_eq!(
            m.doc["paths"]["/v1/contacts"]["post"]["operationId"],
            "create"
        );
        assert_eq!(m.doc["paths"]["/v1/calls"]["get"]["operationId"], "calls");
        assert_eq!(
            m.report,
            vec!["GET /v1/contacts from full.json replaced by page.md".to_string()]
        );
        assert_eq!(
            m.origin_of("/paths/~1v1~1contacts/get/responses"),
            Some("page.md")
        );
        assert_eq!(m.origin_of("/paths/~1v1~1contacts/post"), Some("full.json"));
    }

    #[test]
    fn identical_duplicates_are_silent() {
        let a = json!({"openapi": "3.1.0", "info": {"title": "Q"}, "paths": {"/x": {"get": op("x")}},
            "components": {"securitySchemes": {"apiKey": {"type": "apiKey"}}}});
        let m = merge(&[("a".into(), a.clone()), ("b".into(), a)]);
        assert!(m.report.is_empty(), "{:?}", m.report);
    }

    #[test]
    fn last_source_wins_for_info_and_servers_and_is_reported() {
        let a = json!({"info": {"title": "OpenPhone"}, "servers": [{"url": "https://api.openphone.com"}]});
        let b = json!({"info": {"title": "Quo"}, "servers": [{"url": "https://api.quo.com"}]});
        let m = merge(&[("a".into(), a), ("b".into(), b)]);
        assert_eq!(m.doc["info"]["title"], "Quo");
        assert_eq!(m.doc["servers"][0]["url"], "https://api.quo.com");
        assert_eq!(m.report.len(), 2);
        assert!(m.report.iter().any(|l| l == "`info` from a replaced by b"));
    }

    #[test]
    fn components_merge_by_name_with_replacement_reported() {
        let a =
            json!({"components": {"schemas": {"A": {"type": "string"}, "B": {"type": "string"}}}});
        let b = json!({"components": {"schemas": {"A": {"type": "integer"}}}});
        let m = merge(&[("a".into(), a), ("b".into(), b)]);
        assert_eq!(m.doc["components"]["schemas"]["A"]["type"], "integer");
        assert_eq!(m.doc["components"]["schemas"]["B"]["type"], "string");
        assert_eq!(
            m.report,
            vec!["components.schemas.A from a replaced by b".to_string()]
        );
    }
}
