//! Properties of response data that Quo is known to leave out although
//! its spec requires them.
//!
//! Each row names a component (after [`names`](super::names)) and a
//! property. The property is made optional (`Option<_>` in the generated
//! type), so a contact missing it still decodes instead of becoming an
//! unreadable item. Arrays need no row: every array of response data may
//! be absent (see [`schema`](super::schema)). Rows a spec does not have are
//! skipped.

use serde_json::Value;

use crate::merge::escape;

/// `(component, property)`: what Quo has been seen to leave out.
pub const MAY_BE_ABSENT: &[(&str, &str)] = &[
    // Contacts created by an integration rather than a user.
    ("Contact", "createdByUserId"),
    // Email and phone entries without a label.
    ("ContactEmail", "name"),
    ("ContactPhoneNumber", "name"),
];

/// Removes every [`MAY_BE_ABSENT`] property from its component's `required`.
pub fn may_be_absent(doc: &mut Value) {
    for (component, property) in MAY_BE_ABSENT {
        let pointer = format!("/components/schemas/{}", escape(component));
        let Some(schema) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(Value::Array(required)) = schema.get_mut("required") {
            required.retain(|r| r != property);
            if required.is_empty() {
                schema.remove("required");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn listed_properties_are_no_longer_required() {
        let mut doc = json!({"components": {"schemas": {
            "Contact": {"type": "object", "required": ["id", "createdByUserId"]},
            "ContactEmail": {"type": "object", "required": ["name"]},
            "ContactEmailInput": {"type": "object", "required": ["name"]}}}});
        may_be_absent(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Contact"]["required"], json!(["id"]));
        assert!(schemas["ContactEmail"].get("required").is_none());
        assert_eq!(
            schemas["ContactEmailInput"]["required"],
            json!(["name"]),
            "what a request sends is unchanged"
        );
    }
}
