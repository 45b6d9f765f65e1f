//! Contact bodies as Quo sends them, written once for every test module and
//! the fault server: plain, complete, sparse and odd contacts, so that each
//! test states only what it varies.

use serde_json::{Value, json};

/// A contact as Quo sends it: first name "Ada", no custom fields, the other
/// optional fields null.
pub fn contact(id: &str) -> Value {
    contact_with(id, json!({ "firstName": "Ada" }), json!([]))
}

/// A contact whose `defaultFields` are all null or empty except for
/// `default_fields` (an object whose members replace the defaults, even
/// with values of the wrong type), with `custom_fields` as given.
pub fn contact_with(id: &str, default_fields: Value, custom_fields: Value) -> Value {
    let mut defaults = json!({
        "company": null,
        "emails": [],
        "firstName": null,
        "lastName": null,
        "phoneNumbers": [],
        "role": null
    });
    if let (Some(base), Some(overrides)) = (defaults.as_object_mut(), default_fields.as_object()) {
        base.extend(overrides.clone());
    }
    json!({
        "id": id,
        "externalId": null,
        "source": null,
        "sourceUrl": null,
        "defaultFields": defaults,
        "customFields": custom_fields,
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-05-21T20:39:34.000Z",
        "createdByUserId": "USlHhXmRMz"
    })
}

/// A contact with every field set, as Quo sends it.
pub fn full_contact(id: &str) -> Value {
    json!({
        "id": id,
        "externalId": "crm-42",
        "source": "public-api",
        "sourceUrl": "https://crm.example.com/contacts/42",
        "defaultFields": {
            "company": "Acme Corp",
            "emails": [
                {"name": "Work", "value": "ada@acme.example", "id": "acb1"},
                {"name": "Old", "value": null}
            ],
            "firstName": "Ada",
            "lastName": "Lovelace",
            "phoneNumbers": [
                {"name": "Mobile", "value": "+15555550123", "id": "acb2"}
            ],
            "role": "Engineer"
        },
        "customFields": [
            {"name": "Lead Score", "key": "lead-score", "id": "66d0", "type": "number", "value": 42}
        ],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-06-01T08:00:00.500Z",
        "createdByUserId": "USlHhXmRMz"
    })
}

/// A contact as Quo documents it, with only the id varying.
pub fn sample_contact(id: &str) -> Value {
    json!({
        "id": id,
        "externalId": format!("ext-{id}"),
        "source": "public-api",
        "sourceUrl": null,
        "defaultFields": {
            "company": "Acme",
            "emails": [{"name": "Work", "value": format!("{id}@example.com"), "id": "e1"}],
            "firstName": "First",
            "lastName": id,
            "phoneNumbers": [{"name": "Mobile", "value": "+15555550123", "id": "p1"}],
            "role": null
        },
        "customFields": [
            {"name": "Deal Size", "key": "deal-size", "id": "cf1", "type": "number", "value": 42},
            {"name": "Opt-in", "key": "opt-in", "id": "cf2", "type": "boolean", "value": true}
        ],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-05-21T20:39:34.000Z",
        "createdByUserId": "USlHhXmRMz"
    })
}

/// A contact that is legal but odd in every way Quo may be odd: unknown
/// fields at every level, unknown custom-field kinds, numbers and booleans
/// as strings, optional keys missing.
pub fn odd_contact(id: &str, i: usize) -> Value {
    let mut c = json!({
        "id": id,
        "defaultFields": {
            "emails": [{"name": "Work", "value": format!("{id}@example.com"), "label": "new", "primary": "true"}],
            "firstName": "Odd",
            "phoneNumbers": [{"name": "Mobile", "value": "+15555550123", "verified": false}],
            "nickname": "new-field",
            "company": null,
            "lastName": null,
            "role": "Head of Something New"
        },
        "customFields": [
            {"name": "Deal Size", "key": "deal-size", "type": "number", "value": "424242"},
            {"name": "Opt-in", "type": "boolean", "value": "false"},
            {"name": "Rating", "key": "rating", "type": "stars", "value": {"of": 5, "is": 4}},
            {"name": "No type", "value": [1, 2]},
            {"name": "Bad date", "key": "bad-date", "type": "date", "value": "not a date"},
            {"type": "number", "value": null, "extra": {"deep": [1, {"x": null}]}},
            {"name": 7, "key": true, "id": 3.5, "type": "multi-select", "value": ["a", "b"]}
        ],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-05-21T20:39:34Z",
        "createdByUserId": "USlHhXmRMz",
        "unknownTopLevel": {"nested": {"deeper": [true, null, 1.5e3]}},
        "status": "archived-v2"
    });
    if i.is_multiple_of(2) {
        c["externalId"] = Value::Null;
        c["sourceUrl"] = Value::Null;
        c["source"] = json!("some-new-source");
    } else {
        c["externalId"] = json!(format!("ext-{id}"));
        c["sourceUrl"] = json!("https://crm.example.com/x");
        c["source"] = json!("public-api");
    }
    c
}

/// A documented contact with the nullable keys left out entirely
/// (`externalId`, `source`, `sourceUrl`, `lastName`, `role`, `company`,
/// email and phone `id`), as a server that omits nulls would send it.
pub fn sparse_contact(id: &str) -> Value {
    json!({
        "id": id,
        "defaultFields": {
            "emails": [{"name": "Work", "value": format!("{id}@example.com")}],
            "firstName": "Sparse",
            "phoneNumbers": []
        },
        "customFields": [],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-05-21T20:39:34.000Z",
        "createdByUserId": "USlHhXmRMz"
    })
}

/// `n` ordinary contacts with ids `c0000`...
pub fn contacts(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| sample_contact(&format!("c{i:04}")))
        .collect()
}
