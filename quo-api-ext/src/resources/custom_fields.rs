//! Reading a contact: custom fields by name, display name, emails, phones.
//!
//! A contact's custom fields arrive already typed: each is a [`CustomField`]
//! whose [`CustomFieldValue`] says what kind it is (number, date,
//! multi-select, ...), decoded tolerantly so that one odd value never fails a
//! page (see [`quo_api::custom_field`]). [`ContactExt`] adds the lookups a
//! user actually wants on [`Contact`]:
//!
//! ```
//! use quo_api_ext::{Contact, custom_fields::ContactExt, custom_fields::CustomFieldValue};
//!
//! # fn demo(contact: &Contact) {
//! // By display name or by key; then a typed getter.
//! if let Some(score) = contact.custom_value("Lead Score").and_then(CustomFieldValue::as_number) {
//!     println!("{} scores {score}", contact.display_name());
//! }
//! for email in contact.emails() {
//!     println!("{email}");
//! }
//! # }
//! ```
//!
//! # Writing custom fields back
//!
//! [`CustomField`] serializes to the API's own shape (`name`, `key`, `id`,
//! `type`, `value`), and [`CustomField::to_json`] gives that shape as a
//! [`serde_json::Value`]. Values Quo sent that this SDK could not type
//! ([`CustomFieldValue::Unknown`], [`CustomFieldValue::Invalid`]) are kept
//! verbatim and written back unchanged.
//! [`ContactExt::custom_fields_json`] gives all of a contact's fields as the
//! JSON array a write body expects.

use quo_api::types::Contact;
use serde_json::Value;

pub use quo_api::custom_field::{CustomField, CustomFieldValue, KNOWN_KINDS};

/// Convenience reads on a [`Contact`]: custom fields by name or key, a
/// display name, and the non-empty emails and phone numbers.
///
/// Import it (`use quo_api_ext::custom_fields::ContactExt;`) to call these methods on any
/// contact returned by this crate. The trait is sealed: it is implemented for
/// [`Contact`] only, so methods can be added without breaking anyone.
pub trait ContactExt: sealed::Sealed {
    /// The custom field whose display `name` is `name_or_key`, or failing
    /// that, whose `key` is `name_or_key`. Both compare exactly
    /// (case-sensitive). Names are what users see in the Quo app; keys are
    /// stable identifiers, better for code.
    ///
    /// A name wins over a key, even if the key belongs to an earlier field.
    /// If several fields share a name, the first is returned.
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// let score = contact.custom_field("Lead Score").unwrap();
    /// assert_eq!(score.key.as_deref(), Some("lead-score"));
    /// assert_eq!(contact.custom_field("lead-score"), Some(score)); // by key too
    /// ```
    fn custom_field(&self, name_or_key: &str) -> Option<&CustomField>;

    /// The value of the custom field found by
    /// [`custom_field`](Self::custom_field), ready for a typed getter such as
    /// [`CustomFieldValue::as_number`] or [`CustomFieldValue::as_date`].
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::{ContactExt, CustomFieldValue};
    ///
    /// let score = contact.custom_value("Lead Score").and_then(CustomFieldValue::as_number);
    /// assert_eq!(score, Some(42.0));
    /// ```
    fn custom_value(&self, name_or_key: &str) -> Option<&CustomFieldValue> {
        self.custom_field(name_or_key).map(|field| &field.value)
    }

    /// All of the contact's custom fields, in the order Quo sent them.
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// let names: Vec<&str> = contact.custom_fields().map(|field| field.name.as_str()).collect();
    /// assert_eq!(names, ["Lead Score"]);
    /// ```
    fn custom_fields(&self) -> impl Iterator<Item = &CustomField>;

    /// The contact's custom fields as the JSON array of a write body, each
    /// element being [`CustomField::to_json`]. Values this SDK could not
    /// type are written back exactly as Quo sent them.
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// let json = contact.custom_fields_json();
    /// assert_eq!(json[0]["key"], "lead-score");
    /// assert_eq!(json[0]["value"], 42);
    /// ```
    fn custom_fields_json(&self) -> Value {
        Value::Array(self.custom_fields().map(CustomField::to_json).collect())
    }

    /// A name to show for the contact: first and last name joined by a
    /// space (either alone if the other is missing), else the company, else
    /// the contact's id. Blank parts count as missing, and the result is
    /// never empty for a contact with an id.
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// assert_eq!(contact.display_name(), "Ada Lovelace");
    /// ```
    fn display_name(&self) -> String;

    /// The contact's email addresses in the order Quo sent them, trimmed,
    /// skipping entries whose value is null or blank. The entries' labels
    /// (`Work`, ...) and ids stay available in `default_fields.emails`.
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// // Trimmed; the blank "home" entry is skipped.
    /// assert_eq!(contact.emails().collect::<Vec<_>>(), ["ada@example.com"]);
    /// ```
    fn emails(&self) -> impl Iterator<Item = &str>;

    /// The contact's phone numbers in the order Quo sent them (usually
    /// E.164, e.g. `+15555550123`), trimmed, skipping entries whose value is
    /// null or blank. Labels and ids stay available in
    /// `default_fields.phone_numbers`.
    ///
    /// ```
    /// # let contact: quo_api_ext::Contact = serde_json::from_value(serde_json::json!({
    /// #     "id": "CT664d0a5b3d5e", "createdAt": "2024-05-21T20:39:34Z", "updatedAt": "2024-05-21T20:39:34Z",
    /// #     "defaultFields": {
    /// #         "firstName": "Ada", "lastName": "Lovelace",
    /// #         "emails": [{"name": "work", "value": " ada@example.com "}, {"name": "home", "value": ""}],
    /// #         "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
    /// #     },
    /// #     "customFields": [{"name": "Lead Score", "key": "lead-score", "type": "number", "value": 42}]
    /// # })).unwrap();
    /// use quo_api_ext::custom_fields::ContactExt;
    ///
    /// assert_eq!(contact.phone_numbers().collect::<Vec<_>>(), ["+15555550123"]);
    /// ```
    fn phone_numbers(&self) -> impl Iterator<Item = &str>;
}

impl ContactExt for Contact {
    fn custom_field(&self, name_or_key: &str) -> Option<&CustomField> {
        let fields = &self.custom_fields;
        fields
            .iter()
            .find(|field| field.name == name_or_key)
            .or_else(|| {
                fields
                    .iter()
                    .find(|field| field.key.as_deref() == Some(name_or_key))
            })
    }

    fn custom_fields(&self) -> impl Iterator<Item = &CustomField> {
        self.custom_fields.iter()
    }

    fn display_name(&self) -> String {
        let defaults = &self.default_fields;
        let first = non_blank(defaults.first_name.as_deref());
        let last = non_blank(defaults.last_name.as_deref());
        match (first, last) {
            (Some(first), Some(last)) => format!("{first} {last}"),
            (Some(name), None) | (None, Some(name)) => name.to_owned(),
            (None, None) => non_blank(defaults.company.as_deref())
                .unwrap_or(&self.id)
                .to_owned(),
        }
    }

    fn emails(&self) -> impl Iterator<Item = &str> {
        let emails = &self.default_fields.emails;
        emails
            .iter()
            .filter_map(|email| non_blank(email.value.as_deref()))
    }

    fn phone_numbers(&self) -> impl Iterator<Item = &str> {
        let phones = &self.default_fields.phone_numbers;
        phones
            .iter()
            .filter_map(|phone| non_blank(phone.value.as_deref()))
    }
}

/// The text with surrounding whitespace removed, if any is left.
fn non_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// Keeps [`ContactExt`] implementable only here.
mod sealed {
    /// Types [`ContactExt`](super::ContactExt) is implemented for.
    pub trait Sealed {}
    impl Sealed for quo_api::types::Contact {}
}
