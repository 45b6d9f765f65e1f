//! The naming table: the shapes users touch get the names they would write.
//!
//! Quo's spec defines almost every shape inline, so the generator would
//! name them after where they sit (`GetContactByIdV1ResponseData`). Each
//! row of [`TABLE`] gives one type name and the places its shape sits; the
//! shapes found there are merged into one component of that name and every
//! place refers to it. Rows run in order, so a later row can name a part of
//! a type an earlier row made (`Contact defaultFields.emails[]`).
//!
//! A place is `<operationId> <status|body> [path]` or `<Component> path`,
//! where the path is dot-separated property names and `[]` steps into the
//! items of an array. Places a spec does not have are skipped, so the one
//! table serves older specs too.
//!
//! Merging shapes that are one resource with small differences (a contact
//! whose custom fields lack `id` in one response): the properties are
//! united, merged property by property, and a property is required only
//! where every shape requires it; string enums unite their values. A row
//! marked `fold` also folds a union of objects into one object (the four
//! webhook families differ only in their event names).

use serde_json::{Map, Value, json};

use crate::merge::{METHODS, escape};

/// One row of the naming table.
pub struct Row {
    /// The component name.
    pub name: &'static str,
    /// Where the shape sits (see the module docs).
    pub at: &'static [&'static str],
    /// Fold a union of objects into one object.
    pub fold: bool,
}

const fn row(name: &'static str, at: &'static [&'static str]) -> Row {
    Row {
        name,
        at,
        fold: false,
    }
}

/// The naming table. Edit it when Quo adds a resource; `cargo xtask regen`
/// shows the result in `openapi/api-surface.txt`.
pub const TABLE: &[Row] = &[
    // Resources, as the API answers them.
    row(
        "Contact",
        &[
            "listContacts_v1 200 data[]",
            "getContactById_v1 200 data",
            "createContact_v1 201 data",
            "updateContactById_v1 200 data",
        ],
    ),
    row("ContactEmail", &["Contact defaultFields.emails[]"]),
    row(
        "ContactPhoneNumber",
        &["Contact defaultFields.phoneNumbers[]"],
    ),
    row("CustomField", &["Contact customFields[]"]),
    row(
        "CustomFieldDefinition",
        &["getContactCustomFields_v1 200 data[]"],
    ),
    row("CustomFieldType", &["CustomFieldDefinition type"]),
    row(
        "Call",
        &["listCalls_v1 200 data[]", "getCallById_v1 200 data"],
    ),
    row("CallRecording", &["getCallRecordings_v1 200 data[]"]),
    row("CallSummary", &["getCallSummary_v1 200 data"]),
    row("CallSummaryJob", &["CallSummary jobs[]"]),
    row("CallSummaryField", &["CallSummaryJob result.data[]"]),
    row("CallSummaryFieldValue", &["CallSummaryField value"]),
    row("CallTranscript", &["getCallTranscript_v1 200 data"]),
    row("CallTranscriptLine", &["CallTranscript dialogue[]"]),
    row("CallVoicemail", &["getCallVoicemails_v1 200 data"]),
    row(
        "Conversation",
        &[
            "listConversations_v1 200 data[]",
            // The marks answer with the conversation itself, unwrapped.
            "markConversationAsRead_v1 200",
            "markConversationAsDone_v1 200",
            "markConversationAsOpen_v1 200",
        ],
    ),
    row(
        "Message",
        &[
            "listMessages_v1 200 data[]",
            "getMessageById_v1 200 data",
            "sendMessage_v1 202 data",
        ],
    ),
    row(
        "PhoneNumber",
        &[
            "listPhoneNumbers_v1 200 data[]",
            "getPhoneNumberById_v1 200 data",
        ],
    ),
    row("PhoneNumberUser", &["PhoneNumber users[]"]),
    row("PhoneNumberRestrictions", &["PhoneNumber restrictions"]),
    row(
        "RegionRestrictions",
        &[
            "PhoneNumberRestrictions calling",
            "PhoneNumberRestrictions messaging",
        ],
    ),
    row(
        "Restriction",
        &[
            "RegionRestrictions CA",
            "RegionRestrictions US",
            "RegionRestrictions Intl",
        ],
    ),
    row(
        "Task",
        &["listTasks_v1 200 data[]", "getTaskById_v1 200 data"],
    ),
    row(
        "TaskRevision",
        &[
            "createTask_v1 201 data",
            "updateTask_v1 200 data",
            "completeTask_v1 200 data",
            "reopenTask_v1 200 data",
            "assignTask_v1 200 data",
            "unassignTask_v1 200 data",
            "linkTaskToConversation_v1 200 data",
            "unlinkTaskFromConversation_v1 200 data",
            "changeTaskDueDate_v1 200 data",
            "removeTaskDueDate_v1 200 data",
        ],
    ),
    row(
        "User",
        &["listUsers_v1 200 data[]", "getUserById_v1 200 data"],
    ),
    Row {
        name: "Webhook",
        at: &[
            "listWebhooks_v1 200 data[]",
            "getWebhookById_v1 200 data",
            "createMessageWebhook_v1 201 data",
            "createCallWebhook_v1 201 data",
            "createCallSummaryWebhook_v1 201 data",
            "createCallTranscriptWebhook_v1 201 data",
        ],
        fold: true,
    },
    row("WebhookEvent", &["Webhook events[]"]),
    // The signing key: its own component so the client can hold it in a
    // type whose Debug never shows it (`quo_api::WebhookKey`).
    row("WebhookKey", &["Webhook key"]),
    // Enums several resources share.
    row("Direction", &["Call direction", "Message direction"]),
    row(
        "ProcessingStatus",
        &["CallSummary status", "CallTranscript status"],
    ),
    row("UserRole", &["User role", "PhoneNumberUser role"]),
    // The envelopes around them.
    row("ContactPage", &["listContacts_v1 200"]),
    row(
        "ContactResponse",
        &[
            "getContactById_v1 200",
            "createContact_v1 201",
            "updateContactById_v1 200",
        ],
    ),
    row(
        "CustomFieldDefinitionList",
        &["getContactCustomFields_v1 200"],
    ),
    row("CallPage", &["listCalls_v1 200"]),
    row("CallResponse", &["getCallById_v1 200"]),
    row("CallRecordingList", &["getCallRecordings_v1 200"]),
    row("CallSummaryResponse", &["getCallSummary_v1 200"]),
    row("CallTranscriptResponse", &["getCallTranscript_v1 200"]),
    row("CallVoicemailResponse", &["getCallVoicemails_v1 200"]),
    row("ConversationPage", &["listConversations_v1 200"]),
    row("MessagePage", &["listMessages_v1 200"]),
    row(
        "MessageResponse",
        &["getMessageById_v1 200", "sendMessage_v1 202"],
    ),
    row("PhoneNumberList", &["listPhoneNumbers_v1 200"]),
    row("PhoneNumberResponse", &["getPhoneNumberById_v1 200"]),
    row("TaskPage", &["listTasks_v1 200"]),
    row("TaskResponse", &["getTaskById_v1 200"]),
    row(
        "TaskRevisionResponse",
        &[
            "createTask_v1 201",
            "updateTask_v1 200",
            "completeTask_v1 200",
            "reopenTask_v1 200",
            "assignTask_v1 200",
            "unassignTask_v1 200",
            "linkTaskToConversation_v1 200",
            "unlinkTaskFromConversation_v1 200",
            "changeTaskDueDate_v1 200",
            "removeTaskDueDate_v1 200",
        ],
    ),
    row("UserPage", &["listUsers_v1 200"]),
    row("UserResponse", &["getUserById_v1 200"]),
    row("WebhookList", &["listWebhooks_v1 200"]),
    row(
        "WebhookResponse",
        &[
            "getWebhookById_v1 200",
            "createMessageWebhook_v1 201",
            "createCallWebhook_v1 201",
            "createCallSummaryWebhook_v1 201",
            "createCallTranscriptWebhook_v1 201",
        ],
    ),
    // Request bodies.
    row("NewContact", &["createContact_v1 body"]),
    row("ContactUpdate", &["updateContactById_v1 body"]),
    row(
        "ContactEmailInput",
        &[
            "NewContact defaultFields.emails[]",
            "ContactUpdate defaultFields.emails[]",
        ],
    ),
    row(
        "ContactPhoneNumberInput",
        &[
            "NewContact defaultFields.phoneNumbers[]",
            "ContactUpdate defaultFields.phoneNumbers[]",
        ],
    ),
    Row {
        name: "CustomFieldInput",
        at: &["NewContact customFields[]", "ContactUpdate customFields[]"],
        fold: true,
    },
    row(
        "ExternalId",
        &[
            "NewContact externalId",
            "ContactUpdate externalId",
            "listContacts_v1 ?externalIds[]",
        ],
    ),
    row(
        "ContactSource",
        &["NewContact source", "ContactUpdate source"],
    ),
    row("ContactSourceFilter", &["listContacts_v1 ?sources[]"]),
    row(
        "ContactSourceUrl",
        &["NewContact sourceUrl", "ContactUpdate sourceUrl"],
    ),
    row("CallParticipant", &["listCalls_v1 ?participants[]"]),
    row("NewMessage", &["sendMessage_v1 body"]),
    row("NewMessageContent", &["NewMessage content"]),
    Row {
        name: "NewTask",
        at: &["createTask_v1 body"],
        fold: true,
    },
    row("TaskUpdate", &["updateTask_v1 body"]),
    row(
        "TaskAssignee",
        &["assignTask_v1 body", "unassignTask_v1 body"],
    ),
    row(
        "TaskConversationLink",
        &[
            "linkTaskToConversation_v1 body",
            "unlinkTaskFromConversation_v1 body",
        ],
    ),
    row("TaskDueDate", &["changeTaskDueDate_v1 body"]),
    row("NewMessageWebhook", &["createMessageWebhook_v1 body"]),
    row("NewCallWebhook", &["createCallWebhook_v1 body"]),
    row(
        "NewCallSummaryWebhook",
        &["createCallSummaryWebhook_v1 body"],
    ),
    row(
        "NewCallTranscriptWebhook",
        &["createCallTranscriptWebhook_v1 body"],
    ),
    row("MessageWebhookEvent", &["NewMessageWebhook events[]"]),
    row("CallWebhookEvent", &["NewCallWebhook events[]"]),
    row(
        "CallSummaryWebhookEvent",
        &["NewCallSummaryWebhook events[]"],
    ),
    row(
        "CallTranscriptWebhookEvent",
        &["NewCallTranscriptWebhook events[]"],
    ),
    row(
        "NewWebhookStatus",
        &[
            "NewMessageWebhook status",
            "NewCallWebhook status",
            "NewCallSummaryWebhook status",
            "NewCallTranscriptWebhook status",
        ],
    ),
];

/// Applies [`TABLE`] to `doc`.
pub fn apply(doc: &mut Value) {
    apply_rows(doc, TABLE);
}

/// Applies `rows` to `doc` (the table, or a test's own rows).
pub fn apply_rows(doc: &mut Value, rows: &[Row]) {
    for row in rows {
        let pointers: Vec<String> = row
            .at
            .iter()
            .filter_map(|place| pointer(doc, place))
            .filter(|p| doc.pointer(p).is_some())
            .collect();
        let mut merged: Option<Value> = doc
            .pointer(&format!("/components/schemas/{}", escape(row.name)))
            .cloned();
        // Components a place refers to are renamed: their uses follow.
        let mut renamed: Vec<String> = Vec::new();
        for p in &pointers {
            let mut shape = doc.pointer(p).cloned().unwrap_or(Value::Null);
            if let Some(target) = component_ref(&shape).map(str::to_owned) {
                if target == row.name {
                    continue;
                }
                shape = doc
                    .pointer(&format!("/components/schemas/{}", escape(&target)))
                    .cloned()
                    .unwrap_or(Value::Null);
                renamed.push(target);
            }
            if row.fold {
                fold_union(&mut shape);
            }
            merged = Some(match merged {
                None => shape,
                Some(m) => merge(&m, &shape),
            });
        }
        let Some(mut merged) = merged else { continue };
        // Nullability belongs to the place, not the type: a nullable
        // component would make typify wrap the type in one of its own.
        if let Some(o) = merged.as_object_mut() {
            o.remove("nullable");
        }
        let to = format!("#/components/schemas/{}", row.name);
        for p in &pointers {
            if let Some(slot) = doc.pointer_mut(p) {
                let nullable = slot.get("nullable") == Some(&json!(true));
                *slot = if nullable {
                    json!({"allOf": [{"$ref": to}], "nullable": true})
                } else {
                    json!({"$ref": to})
                };
            }
        }
        let Some(schemas) = schemas_mut(doc) else {
            return;
        };
        for old in &renamed {
            schemas.remove(old);
        }
        schemas.insert(row.name.to_owned(), merged);
        for old in renamed {
            retarget(doc, &format!("#/components/schemas/{old}"), &to);
        }
    }
}

fn schemas_mut(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = doc.as_object_mut()?;
    let components = root.entry("components").or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas.as_object_mut()
}

fn retarget(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get_mut("$ref")
                && r == from
            {
                *r = to.to_owned();
            }
            obj.values_mut().for_each(|v| retarget(v, from, to));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget(v, from, to)),
        _ => {}
    }
}

/// The component a `$ref` schema names.
fn component_ref(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// The JSON pointer of a place, if its root exists in `doc`. Steps through
/// `$ref`s into the components they name.
fn pointer(doc: &Value, place: &str) -> Option<String> {
    let mut words = place.split_whitespace();
    let root = words.next()?;
    let (mut out, path) = if root.starts_with(|c: char| c.is_ascii_uppercase()) {
        (
            format!("/components/schemas/{}", escape(root)),
            words.next(),
        )
    } else {
        let op = operation(doc, root)?;
        let at = words.next()?;
        let base = if at == "body" {
            format!(
                "{op}/requestBody/content/{}/schema",
                escape("application/json")
            )
        } else if let Some(param) = at.strip_prefix('?') {
            let (name, items) = split_items(param);
            let list = doc.pointer(&format!("{op}/parameters"))?.as_array()?;
            let i = list
                .iter()
                .position(|p| p.get("name").and_then(Value::as_str) == Some(name))?;
            let mut base = format!("{op}/parameters/{i}/schema");
            for _ in 0..items {
                base.push_str("/items");
            }
            base
        } else {
            format!(
                "{op}/responses/{}/content/{}/schema",
                escape(at),
                escape("application/json")
            )
        };
        (base, words.next())
    };
    for step in path.unwrap_or("").split('.').filter(|s| !s.is_empty()) {
        let (name, items) = split_items(step);
        if !name.is_empty() {
            out = follow(doc, out);
            out.push_str(&format!("/properties/{}", escape(name)));
        }
        for _ in 0..items {
            out = follow(doc, out);
            out.push_str("/items");
        }
    }
    Some(out)
}

/// `emails[]` → (`emails`, 1).
fn split_items(step: &str) -> (&str, usize) {
    match step.find("[]") {
        Some(i) => (&step[..i], step[i..].matches("[]").count()),
        None => (step, 0),
    }
}

/// Where a pointer leads once a `$ref` at it is followed.
fn follow(doc: &Value, pointer: String) -> String {
    match doc.pointer(&pointer).and_then(component_ref) {
        Some(name) => format!("/components/schemas/{}", escape(name)),
        None => pointer,
    }
}

/// The JSON pointer of the operation with this `operationId`.
fn operation(doc: &Value, id: &str) -> Option<String> {
    let paths = doc.get("paths")?.as_object()?;
    for (path, item) in paths {
        for method in METHODS {
            if item
                .get(method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
                == Some(id)
            {
                return Some(format!("/paths/{}/{method}", escape(path)));
            }
        }
    }
    None
}

const CONSTRAINTS: [&str; 8] = [
    "enum",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
];

/// Merges two shapes of one resource (see the module docs).
pub fn merge(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    let (Some(ao), Some(bo)) = (a.as_object(), b.as_object()) else {
        return a.clone();
    };
    if let Some(union) = type_union(a, b) {
        return union;
    }
    let mut out = ao.clone();
    if let (Some(ap), Some(bp)) = (
        ao.get("properties").and_then(Value::as_object),
        bo.get("properties").and_then(Value::as_object),
    ) {
        let mut props = Map::new();
        for (name, schema) in ap {
            let merged = match bp.get(name) {
                Some(other) => merge(schema, other),
                None => schema.clone(),
            };
            props.insert(name.clone(), merged);
        }
        for (name, schema) in bp {
            if !props.contains_key(name) {
                props.insert(name.clone(), schema.clone());
            }
        }
        out.insert("properties".into(), Value::Object(props));
        let required = |o: &Map<String, Value>| -> Vec<Value> {
            o.get("required")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let b_required = required(bo);
        let both: Vec<Value> = required(ao)
            .into_iter()
            .filter(|r| b_required.contains(r))
            .collect();
        if both.is_empty() {
            out.remove("required");
        } else {
            out.insert("required".into(), Value::Array(both));
        }
    } else if let (Some(ae), Some(be)) = (
        ao.get("enum").and_then(Value::as_array),
        bo.get("enum").and_then(Value::as_array),
    ) {
        let mut values = ae.clone();
        for v in be {
            if !values.contains(v) {
                values.push(v.clone());
            }
        }
        out.insert("enum".into(), Value::Array(values));
    } else if let (Some(ai), Some(bi)) = (ao.get("items"), bo.get("items")) {
        out.insert("items".into(), merge(ai, bi));
    }
    for (key, value) in bo {
        out.entry(key.clone()).or_insert_with(|| value.clone());
    }
    // A constraint only one shape has does not hold for the merged one.
    for key in CONSTRAINTS {
        if !(ao.contains_key(key) && bo.contains_key(key)) {
            out.remove(key);
        }
    }
    if out.get("nullable") != bo.get("nullable") && bo.get("nullable") == Some(&json!(true)) {
        out.insert("nullable".into(), json!(true));
    }
    Value::Object(out)
}

/// Two shapes of different types (a custom field's value: a list, a
/// string, a boolean, a number) become `anyOf` of one member per type; a
/// second member of a type already there adds nothing.
fn type_union(a: &Value, b: &Value) -> Option<Value> {
    let members = |s: &Value| -> Vec<Value> {
        match s.get("anyOf").and_then(Value::as_array) {
            Some(m) => m.clone(),
            None => vec![s.clone()],
        }
    };
    let type_of = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_owned);
    let (ma, mb) = (members(a), members(b));
    let types_a: Vec<Option<String>> = ma.iter().map(type_of).collect();
    let types_b: Vec<Option<String>> = mb.iter().map(type_of).collect();
    if types_a.iter().chain(&types_b).any(Option::is_none) || types_a == types_b {
        return None;
    }
    let mut out: Vec<Value> = ma;
    let mut seen = types_a;
    for (m, t) in mb.into_iter().zip(types_b) {
        if !seen.contains(&t) {
            seen.push(t);
            out.push(m);
        }
    }
    let nullable = [a, b]
        .iter()
        .any(|s| s.get("nullable") == Some(&json!(true)));
    let mut union = json!({"anyOf": out});
    for m in union["anyOf"].as_array_mut().into_iter().flatten() {
        if let Some(o) = m.as_object_mut() {
            o.remove("nullable");
        }
    }
    if nullable {
        union["nullable"] = json!(true);
    }
    if let Some(d) = a.get("description").or_else(|| b.get("description")) {
        union["description"] = d.clone();
    }
    Some(union)
}

/// Folds `anyOf`/`oneOf` of objects into one object, keeping the outer
/// keywords (a description).
fn fold_union(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    for key in ["anyOf", "oneOf"] {
        let Some(members) = obj.get(key).and_then(Value::as_array) else {
            continue;
        };
        if members.is_empty() || !members.iter().all(|m| m.get("properties").is_some()) {
            continue;
        }
        let mut folded = members[0].clone();
        for m in &members[1..] {
            folded = merge(&folded, m);
        }
        obj.remove(key);
        if let Some(f) = folded.as_object() {
            for (k, v) in f {
                obj.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str, status: &str, schema: Value) -> Value {
        json!({"operationId": id, "responses": {status: {"content": {"application/json": {"schema": schema}}}}})
    }

    #[test]
    fn places_in_several_operations_become_one_component_with_differences_optional() {
        let full = json!({"type": "object", "required": ["id", "tags"], "properties": {
            "id": {"type": "string"}, "tags": {"type": "array", "items": {"type": "object", "required": ["id", "v"], "properties": {"id": {"type": "string"}, "v": {"type": "string"}}}}}});
        let partial = json!({"type": "object", "required": ["id", "tags"], "properties": {
            "id": {"type": "string"}, "tags": {"type": "array", "items": {"type": "object", "required": ["v"], "properties": {"v": {"type": "string"}}}}}});
        let mut doc = json!({"paths": {
            "/things": {"get": op("listThings_v1", "200", json!({"type": "object", "properties": {"data": {"type": "array", "items": full}}}))},
            "/things/{id}": {"patch": op("patchThing_v1", "200", json!({"type": "object", "properties": {"data": partial}}))}
        }});
        let rows = [
            row(
                "Thing",
                &[
                    "listThings_v1 200 data[]",
                    "patchThing_v1 200 data",
                    "missingOp_v1 200 data",
                ],
            ),
            row("ThingTag", &["Thing tags[]"]),
        ];
        apply_rows(&mut doc, &rows);
        let thing_ref = json!({"$ref": "#/components/schemas/Thing"});
        assert_eq!(
            doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["properties"]["data"]["items"],
            thing_ref
        );
        assert_eq!(
            doc["paths"]["/things/{id}"]["patch"]["responses"]["200"]["content"]["application/json"]
                ["schema"]["properties"]["data"],
            thing_ref
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Thing"]["required"], json!(["id", "tags"]));
        assert_eq!(
            schemas["Thing"]["properties"]["tags"]["items"],
            json!({"$ref": "#/components/schemas/ThingTag"})
        );
        assert_eq!(
            schemas["ThingTag"]["required"],
            json!(["v"]),
            "the tag's id is optional: one shape lacks it"
        );
        assert!(schemas["ThingTag"]["properties"]["id"].is_object());
    }

    #[test]
    fn a_folded_union_becomes_one_object_with_enum_values_united() {
        let family = |event: &str| {
            json!({"type": "object", "required": ["id", "events"], "properties": {
                "id": {"type": "string"},
                "events": {"type": "array", "items": {"type": "string", "enum": [event]}}}})
        };
        let mut doc = json!({"paths": {"/hooks": {"get": op("listHooks_v1", "200", json!({"type": "object", "properties": {"data": {"type": "array", "items": {"description": "A hook.", "anyOf": [family("a.b"), family("c.d")]}}}}))}}});
        let rows = [Row {
            name: "Hook",
            at: &["listHooks_v1 200 data[]"],
            fold: true,
        }];
        apply_rows(&mut doc, &rows);
        let hook = &doc["components"]["schemas"]["Hook"];
        assert!(hook.get("anyOf").is_none());
        assert_eq!(hook["description"], "A hook.");
        assert_eq!(
            hook["properties"]["events"]["items"]["enum"],
            json!(["a.b", "c.d"])
        );
        assert_eq!(hook["required"], json!(["id", "events"]));
    }

    #[test]
    fn a_union_of_objects_differing_in_a_value_type_folds_to_one_value_union() {
        let member = |value: Value| json!({"type": "object", "required": ["value"], "properties": {"key": {"type": "string"}, "value": value}});
        let mut doc = json!({"paths": {"/c": {"post": {"operationId": "makeC_v1",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"fields": {"type": "array", "items": {"oneOf": [
                member(json!({"type": "array", "items": {"type": "string"}, "nullable": true})),
                member(json!({"type": "string", "nullable": true})),
                member(json!({"type": "string", "format": "date-time", "nullable": true})),
                member(json!({"type": "number", "nullable": true}))
            ]}}}}}}},
            "responses": {}}}}});
        apply_rows(
            &mut doc,
            &[Row {
                name: "FieldInput",
                at: &["makeC_v1 body fields[]"],
                fold: true,
            }],
        );
        let field = &doc["components"]["schemas"]["FieldInput"];
        assert_eq!(field["required"], json!(["value"]));
        assert_eq!(
            field["properties"]["value"],
            json!({"anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "string"},
                {"type": "number"}
            ], "nullable": true})
        );
    }

    #[test]
    fn a_place_holding_a_component_renames_it_and_its_uses_follow() {
        let mut doc = json!({
            "components": {"schemas": {"ListPhonesResponse": {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}},
            "paths": {"/p": {"get": op("listPhones_v1", "200", json!({"$ref": "#/components/schemas/ListPhonesResponse"}))}}
        });
        apply_rows(
            &mut doc,
            &[
                row("Phone", &["listPhones_v1 200 data[]"]),
                row("PhoneList", &["listPhones_v1 200"]),
            ],
        );
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Phone", "PhoneList"]);
        assert_eq!(
            schemas["PhoneList"]["properties"]["data"]["items"],
            json!({"$ref": "#/components/schemas/Phone"})
        );
        assert_eq!(
            doc["paths"]["/p"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/PhoneList"})
        );
    }

    #[test]
    fn merged_constraints_hold_only_where_every_shape_has_them_and_nullability_stays_at_the_place()
    {
        let body = |id: Value| json!({"type": "object", "properties": {"ids": {"type": "array", "items": id}}});
        let mut doc = json!({"paths": {
            "/a": {"get": op("getA_v1", "200", body(json!({"type": "string", "enum": ["*"]})))},
            "/b": {"get": op("getB_v1", "200", body(json!({"type": "string", "nullable": true})))}
        }});
        apply_rows(
            &mut doc,
            &[row("Id", &["getA_v1 200 ids[]", "getB_v1 200 ids[]"])],
        );
        assert_eq!(
            doc["components"]["schemas"]["Id"],
            json!({"type": "string"})
        );
        let b =
            &doc["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            b["properties"]["ids"]["items"],
            json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true})
        );
    }

    #[test]
    fn request_bodies_are_named_too() {
        let mut doc = json!({"paths": {"/c": {"post": {"operationId": "makeC_v1",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}},
            "responses": {}}}}});
        apply_rows(&mut doc, &[row("NewC", &["makeC_v1 body"])]);
        assert_eq!(
            doc["paths"]["/c"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/NewC"})
        );
        assert!(doc["components"]["schemas"]["NewC"]["properties"]["x"].is_object());
    }
}
