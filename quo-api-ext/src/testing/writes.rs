//! Contact writes as Quo does them: create, and `PATCH` that *replaces*
//! the emails, phone numbers and custom fields.
//!
//! Pure functions from the stored contact and the request body to the new
//! contact, or to the error reply, so the semantics are testable without a
//! socket. What they copy from Quo's docs:
//! - `POST` needs `defaultFields.firstName`; `externalId` is 1 to 75
//!   characters, `source` 1 to 72 and not one Quo reserves.
//! - `PATCH` sets each scalar present in the body (`null` clears it) and
//!   keeps those absent; `defaultFields.emails`, `defaultFields.phoneNumbers`
//!   and `customFields` are *replaced* by the body's lists: an item left out
//!   is deleted, an item sent with `value: null` is deleted, an item sent
//!   with the `id` of an existing one updates it in place (same id).
//! - A custom field is written by its workspace `key`; an unknown key is a
//!   400 that names it.

use serde_json::{Map, Value, json};

use super::errors::BodyFieldError;
use crate::contacts::{RESERVED_SOURCE_PREFIXES, RESERVED_SOURCES};

/// The workspace's custom-field definitions: `(name, key, kind)`.
pub(crate) type Definitions = [(String, String, String)];

/// Makes the ids of new contacts and items: 24 hex characters, unique per
/// server.
#[derive(Debug)]
pub(crate) struct IdMaker {
    prefix: u64,
    next: u64,
}

impl IdMaker {
    /// Ids starting with `prefix`'s hex digits.
    pub(crate) fn new(prefix: u64) -> Self {
        Self { prefix, next: 1 }
    }

    fn make(&mut self) -> String {
        self.next += 1;
        format!("{:08x}{:016x}", self.prefix & 0xffff_ffff, self.next)
    }
}

/// Why a write was refused: a message and the fields at fault.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) message: String,
    pub(crate) errors: Vec<BodyFieldError>,
}

fn refuse(
    path: &str,
    message: impl Into<String>,
    value: Option<&Value>,
    kind: &'static str,
) -> Refusal {
    let message = message.into();
    Refusal {
        message: format!("{path}: {message}"),
        errors: vec![BodyFieldError::new(path, message, value.cloned(), kind)],
    }
}

/// A new contact from a `POST /v1/contacts` body.
pub(crate) fn create(
    body: &Value,
    definitions: &Definitions,
    ids: &mut IdMaker,
    now: &str,
) -> Result<Value, Refusal> {
    let body = body
        .as_object()
        .ok_or_else(|| refuse("body", "must be a JSON object", None, "object"))?;
    let defaults = body
        .get("defaultFields")
        .and_then(Value::as_object)
        .ok_or_else(|| refuse("defaultFields", "is required", None, "object"))?;
    match defaults.get("firstName") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        other => {
            return Err(refuse(
                "defaultFields.firstName",
                "is required",
                other,
                "string",
            ));
        }
    }
    check_top_level(body)?;
    let empty = Value::Null;
    let contact = json!({
        "id": ids.make(),
        "externalId": body.get("externalId").unwrap_or(&empty),
        "source": body.get("source").unwrap_or(&empty),
        "sourceUrl": body.get("sourceUrl").unwrap_or(&empty),
        "defaultFields": {
            "company": defaults.get("company").unwrap_or(&empty),
            "emails": items("defaultFields.emails", defaults.get("emails"), &[], ids)?,
            "firstName": defaults.get("firstName").unwrap_or(&empty),
            "lastName": defaults.get("lastName").unwrap_or(&empty),
            "phoneNumbers": items("defaultFields.phoneNumbers", defaults.get("phoneNumbers"), &[], ids)?,
            "role": defaults.get("role").unwrap_or(&empty),
        },
        "customFields": custom_fields(body.get("customFields"), &[], definitions, ids)?,
        "createdAt": now,
        "updatedAt": now,
        "createdByUserId": body.get("createdByUserId").and_then(Value::as_str).unwrap_or("USdemo0001"),
    });
    Ok(contact)
}

/// `contact` after a `PATCH /v1/contacts/{id}` with `body`.
pub(crate) fn patch(
    contact: &Value,
    body: &Value,
    definitions: &Definitions,
    ids: &mut IdMaker,
    now: &str,
) -> Result<Value, Refusal> {
    let body = body
        .as_object()
        .ok_or_else(|| refuse("body", "must be a JSON object", None, "object"))?;
    check_top_level(body)?;
    let mut updated = contact.clone();
    let Some(fields) = updated.as_object_mut() else {
        return Err(refuse(
            "id",
            "the stored contact is not an object",
            None,
            "object",
        ));
    };
    for key in ["externalId", "source", "sourceUrl"] {
        if let Some(value) = body.get(key) {
            fields.insert(key.into(), value.clone());
        }
    }
    let no_defaults = Map::new();
    let defaults = body
        .get("defaultFields")
        .and_then(Value::as_object)
        .unwrap_or(&no_defaults);
    let current_defaults = contact.get("defaultFields").cloned().unwrap_or(json!({}));
    let mut new_defaults = current_defaults.as_object().cloned().unwrap_or_default();
    for key in ["company", "firstName", "lastName", "role"] {
        if let Some(value) = defaults.get(key) {
            new_defaults.insert(key.into(), value.clone());
        }
    }
    for key in ["emails", "phoneNumbers"] {
        let existing = current_defaults
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let path = format!("defaultFields.{key}");
        new_defaults.insert(key.into(), items(&path, defaults.get(key), &existing, ids)?);
    }
    fields.insert("defaultFields".into(), Value::Object(new_defaults));
    let existing_custom = contact
        .get("customFields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    fields.insert(
        "customFields".into(),
        custom_fields(body.get("customFields"), &existing_custom, definitions, ids)?,
    );
    fields.insert("updatedAt".into(), Value::from(now));
    Ok(updated)
}

fn check_top_level(body: &Map<String, Value>) -> Result<(), Refusal> {
    let length = |key: &str, max: usize| -> Result<(), Refusal> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(s)) if (1..=max).contains(&s.chars().count()) => Ok(()),
            Some(other) => Err(refuse(
                key,
                format!("must be a string of 1 to {max} characters"),
                Some(other),
                "string",
            )),
        }
    };
    length("externalId", 75)?;
    length("source", 72)?;
    length("sourceUrl", 200)?;
    if let Some(source) = body.get("source").and_then(Value::as_str) {
        // The spec's reserved words, as it writes them.
        if RESERVED_SOURCES.contains(&source)
            || RESERVED_SOURCE_PREFIXES
                .iter()
                .any(|p| source.starts_with(p))
        {
            return Err(refuse(
                "source",
                "is reserved by Quo",
                body.get("source"),
                "string",
            ));
        }
    }
    Ok(())
}

/// The emails or phone numbers after a write that sent `sent` (`None`:
/// the list was left out, so every item is deleted).
fn items(
    path: &str,
    sent: Option<&Value>,
    existing: &[Value],
    ids: &mut IdMaker,
) -> Result<Value, Refusal> {
    let sent = match sent {
        None | Some(Value::Null) => return Ok(Value::Array(Vec::new())),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(refuse(path, "must be an array", Some(other), "array")),
    };
    let mut kept = Vec::with_capacity(sent.len());
    for (i, item) in sent.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            return Err(refuse(
                &format!("{at}.name"),
                "is required",
                item.get("name"),
                "string",
            ));
        };
        let value = match item.get("value") {
            Some(Value::String(v)) => v,
            Some(Value::Null) => continue,
            other => {
                return Err(refuse(
                    &format!("{at}.value"),
                    "is required",
                    other,
                    "string",
                ));
            }
        };
        let id = kept_id(item, existing, ids);
        kept.push(json!({"name": name, "value": value, "id": id}));
    }
    Ok(Value::Array(kept))
}

/// The custom fields after a write that sent `sent`.
fn custom_fields(
    sent: Option<&Value>,
    existing: &[Value],
    definitions: &Definitions,
    ids: &mut IdMaker,
) -> Result<Value, Refusal> {
    let sent = match sent {
        None | Some(Value::Null) => return Ok(Value::Array(Vec::new())),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(refuse(
                "customFields",
                "must be an array",
                Some(other),
                "array",
            ));
        }
    };
    let mut kept = Vec::with_capacity(sent.len());
    for (i, item) in sent.iter().enumerate() {
        let at = format!("customFields[{i}]");
        let key = item.get("key").and_then(Value::as_str).unwrap_or_default();
        let Some((name, key, kind)) = definitions.iter().find(|(_, k, _)| k == key) else {
            return Err(refuse(
                &format!("{at}.key"),
                format!("Unknown custom field key {key:?}"),
                item.get("key"),
                "string",
            ));
        };
        let value = item.get("value").cloned().unwrap_or(Value::Null);
        if value.is_null() {
            continue;
        }
        if !fits(kind, &value) {
            return Err(refuse(
                &format!("{at}.value"),
                format!("is not a valid {kind} value for custom field {name:?}"),
                Some(&value),
                "string",
            ));
        }
        let id = kept_id(item, existing, ids);
        kept.push(json!({"name": name, "key": key, "id": id, "type": kind, "value": value}));
    }
    Ok(Value::Array(kept))
}

/// The id an item keeps: the one it was sent with when that names an
/// existing item (updated in place), else a new one.
fn kept_id(item: &Value, existing: &[Value], ids: &mut IdMaker) -> String {
    item.get("id")
        .and_then(Value::as_str)
        .filter(|id| {
            existing
                .iter()
                .any(|e| e.get("id").and_then(Value::as_str) == Some(id))
        })
        .map_or_else(|| ids.make(), str::to_owned)
}

/// Whether `value` is a value of the custom-field `kind`.
fn fits(kind: &str, value: &Value) -> bool {
    match kind {
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "multi-select" => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
        _ => value.is_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{IdMaker, create, patch};
    use serde_json::{Value, json};

    fn definitions() -> Vec<(String, String, String)> {
        vec![("Lead Score".into(), "lead-score".into(), "number".into())]
    }

    #[test]
    fn patch_replaces_the_lists_and_keeps_sent_ids() {
        let mut ids = IdMaker::new(1);
        let contact = create(
            &json!({"defaultFields": {"firstName": "Ada", "role": "Eng",
                "emails": [{"name": "work", "value": "a@x.io"}, {"name": "home", "value": "a@y.io"}]},
                "customFields": [{"key": "lead-score", "value": 3}]}),
            &definitions(),
            &mut ids,
            "2026-01-01T00:00:00.000Z",
        )
        .unwrap();
        let work_id = contact["defaultFields"]["emails"][0]["id"].clone();
        // Only the role and the work email sent: the home email and the
        // custom field are deleted, the work email keeps its id.
        let body = json!({"defaultFields": {"role": "CTO",
            "emails": [{"id": work_id, "name": "work", "value": "ada@x.io"}]}});
        let after = patch(&contact, &body, &definitions(), &mut ids, "t").unwrap();
        assert_eq!(after["defaultFields"]["role"], "CTO");
        assert_eq!(after["defaultFields"]["firstName"], "Ada");
        assert_eq!(
            after["defaultFields"]["emails"].as_array().unwrap().len(),
            1
        );
        assert_eq!(after["defaultFields"]["emails"][0]["id"], work_id);
        assert_eq!(after["defaultFields"]["emails"][0]["value"], "ada@x.io");
        assert_eq!(after["customFields"], json!([]));
        // A null value deletes that one item.
        let body = json!({"defaultFields": {"emails": [{"id": work_id, "name": "work", "value": Value::Null}]}});
        let after = patch(&after, &body, &definitions(), &mut ids, "t").unwrap();
        assert_eq!(after["defaultFields"]["emails"], json!([]));
    }

    #[test]
    fn writes_refuse_what_quo_refuses() {
        let mut ids = IdMaker::new(1);
        let refused = |body: Value| {
            create(&body, &definitions(), &mut IdMaker::new(2), "t")
                .unwrap_err()
                .message
        };
        assert!(refused(json!({"defaultFields": {}})).contains("firstName"));
        assert!(
            refused(json!({"defaultFields": {"firstName": "A"}, "source": "csv-x"}))
                .contains("reserved")
        );
        assert!(
            refused(json!({"defaultFields": {"firstName": "A"}, "customFields": [{"key": "nope", "value": 1}]}))
                .contains("Unknown custom field key")
        );
        assert!(
            refused(json!({"defaultFields": {"firstName": "A"}, "customFields": [{"key": "lead-score", "value": "x"}]}))
                .contains("not a valid number")
        );
        assert!(
            create(
                &json!({"defaultFields": {"firstName": "A"}}),
                &definitions(),
                &mut ids,
                "t"
            )
            .is_ok()
        );
    }
}
