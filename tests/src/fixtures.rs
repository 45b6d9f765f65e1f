//! Response bodies as Quo sends them, shared by the httpmock tests so that
//! each test states only what it varies.

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
