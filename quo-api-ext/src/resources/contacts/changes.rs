//! [`ContactChanges`]: what a caller wants changed on a contact, and the
//! merge that turns it into a complete, safe `PATCH` body.
//!
//! Quo's `PATCH /v1/contacts/{id}` replaces the emails, phone numbers and
//! custom fields: any left out of the body are deleted. So the body is built
//! from the contact as it is now (a `GET` just before), with the changes
//! applied, every item the caller did not mention sent back as it was, with
//! its id, so Quo updates items in place.

use quo_api::types::{
    Contact, ContactEmailInput, ContactPhoneNumberInput, ContactUpdate, ContactUpdateDefaultFields,
    CustomFieldInput, CustomFieldInputValue,
};
use serde_json::Value;

use super::checks;
use super::draft;
use super::field_value::{FieldValue, resolve};
use crate::custom_field_definitions::DefinitionIndex;
use crate::error::{Error, Result, quote_short};

/// A change set for [`Contacts::update`](super::Contacts::update): each
/// method names one change; everything not named stays as it is.
///
/// Emails and phone numbers are found by their value (an email address
/// compared without regard to case, a phone number exactly); custom fields
/// by name (any case) or key.
///
/// ```
/// use quo_api_ext::contacts::ContactChanges;
///
/// let changes = ContactChanges::new()
///     .role("CTO")
///     .add_email("home", "ada@home.example")
///     .remove_phone_number("+15555550100")
///     .custom_field("Lead Score", 87);
/// assert!(!changes.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ContactChanges {
    // For each scalar: `None` leaves it as it is, `Some(None)` clears it,
    // `Some(Some(v))` sets it.
    first_name: Option<Option<String>>,
    last_name: Option<Option<String>>,
    company: Option<Option<String>>,
    role: Option<Option<String>>,
    external_id: Option<Option<String>>,
    source: Option<Option<String>>,
    source_url: Option<Option<String>>,
    emails: Vec<ItemChange>,
    phone_numbers: Vec<ItemChange>,
    custom_fields: Vec<(String, FieldChange)>,
}

/// One change to the emails or the phone numbers.
#[derive(Debug, Clone, PartialEq)]
enum ItemChange {
    /// Add `(name, value)`.
    Add(String, String),
    /// Add `(name, value)` unless an item already has this value.
    Ensure(String, String),
    /// The item with value `.0` gets value `.1` (same id and label).
    Change(String, String),
    /// Remove the item with this value (nothing if there is none).
    Remove(String),
    /// Every item replaced by these `(name, value)`s.
    ReplaceAll(Vec<(String, String)>),
}

/// One change to a custom field.
#[derive(Debug, Clone, PartialEq)]
enum FieldChange {
    Set(FieldValue),
    Remove,
}

impl ContactChanges {
    /// No changes yet.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// assert!(ContactChanges::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no change was named.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// assert!(ContactChanges::new().is_empty());
    /// assert!(!ContactChanges::new().role("CTO").is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Sets the first name.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().first_name("Ada");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn first_name(mut self, value: impl Into<String>) -> Self {
        self.first_name = Some(Some(value.into()));
        self
    }

    /// Sets the last name.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().last_name("Lovelace");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.last_name = Some(Some(value.into()));
        self
    }

    /// Sets the company.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().company("Analytical Engines");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn company(mut self, value: impl Into<String>) -> Self {
        self.company = Some(Some(value.into()));
        self
    }

    /// Sets the role.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().role("CTO");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn role(mut self, value: impl Into<String>) -> Self {
        self.role = Some(Some(value.into()));
        self
    }

    /// Sets the external id (1 to 75 characters).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().external_id("crm-1815");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn external_id(mut self, value: impl Into<String>) -> Self {
        self.external_id = Some(Some(value.into()));
        self
    }

    /// Sets the source (same limits as
    /// [`ContactDraft::source`](super::ContactDraft::source)).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().source("crm-sync");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn source(mut self, value: impl Into<String>) -> Self {
        self.source = Some(Some(value.into()));
        self
    }

    /// Sets the source URL (at most 200 characters).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().source_url("https://crm.example.com/contacts/1815");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn source_url(mut self, value: impl Into<String>) -> Self {
        self.source_url = Some(Some(value.into()));
        self
    }

    /// Clears the last name.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().clear_last_name();
    /// assert!(!changes.is_empty());
    /// ```
    pub fn clear_last_name(mut self) -> Self {
        self.last_name = Some(None);
        self
    }

    /// Clears the company.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().clear_company();
    /// assert!(!changes.is_empty());
    /// ```
    pub fn clear_company(mut self) -> Self {
        self.company = Some(None);
        self
    }

    /// Clears the role.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().clear_role();
    /// assert!(!changes.is_empty());
    /// ```
    pub fn clear_role(mut self) -> Self {
        self.role = Some(None);
        self
    }

    /// Clears the external id.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().clear_external_id();
    /// assert!(!changes.is_empty());
    /// ```
    pub fn clear_external_id(mut self) -> Self {
        self.external_id = Some(None);
        self
    }

    /// Clears the source URL.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().clear_source_url();
    /// assert!(!changes.is_empty());
    /// ```
    pub fn clear_source_url(mut self) -> Self {
        self.source_url = Some(None);
        self
    }

    /// Adds an email address under a label.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().add_email("home", "ada@home.example");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn add_email(mut self, name: impl Into<String>, address: impl Into<String>) -> Self {
        self.emails
            .push(ItemChange::Add(name.into(), address.into()));
        self
    }

    /// Adds an email address unless the contact already has it.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// // Sending it again changes nothing.
    /// let changes = ContactChanges::new().ensure_email("work", "ada@example.com");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn ensure_email(mut self, name: impl Into<String>, address: impl Into<String>) -> Self {
        self.emails
            .push(ItemChange::Ensure(name.into(), address.into()));
        self
    }

    /// Changes the address of the email that has `old` (same item, same
    /// label). The update fails, sending nothing, if there is none.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().change_email("ada@old.example", "ada@example.com");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn change_email(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.emails.push(ItemChange::Change(old.into(), new.into()));
        self
    }

    /// Removes the email with this address (nothing if there is none).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().remove_email("ada@old.example");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn remove_email(mut self, address: impl Into<String>) -> Self {
        self.emails.push(ItemChange::Remove(address.into()));
        self
    }

    /// Replaces every email with these `(label, address)` pairs: the only
    /// change that deletes emails it does not name.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let one = ContactChanges::new().replace_emails([("work", "ada@example.com")]);
    /// // With none, every email is deleted: still a change.
    /// let none = ContactChanges::new().replace_emails(Vec::<(String, String)>::new());
    /// assert!(!one.is_empty() && !none.is_empty());
    /// ```
    pub fn replace_emails<N: Into<String>, V: Into<String>>(
        mut self,
        emails: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let all = emails
            .into_iter()
            .map(|(n, v)| (n.into(), v.into()))
            .collect();
        self.emails.push(ItemChange::ReplaceAll(all));
        self
    }

    /// Adds a phone number under a label: give it in E.164; it is sent as
    /// written (only a blank one is refused).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().add_phone_number("mobile", "+15555550123");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn add_phone_number(mut self, name: impl Into<String>, number: impl Into<String>) -> Self {
        self.phone_numbers
            .push(ItemChange::Add(name.into(), number.into()));
        self
    }

    /// Adds a phone number unless the contact already has it.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// // Sending it again changes nothing.
    /// let changes = ContactChanges::new().ensure_phone_number("mobile", "+15555550123");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn ensure_phone_number(
        mut self,
        name: impl Into<String>,
        number: impl Into<String>,
    ) -> Self {
        self.phone_numbers
            .push(ItemChange::Ensure(name.into(), number.into()));
        self
    }

    /// Changes the phone number `old` to `new` (same item, same label). The
    /// update fails, sending nothing, if there is none.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().change_phone_number("+15555550100", "+15555550123");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn change_phone_number(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.phone_numbers
            .push(ItemChange::Change(old.into(), new.into()));
        self
    }

    /// Removes this phone number (nothing if the contact does not have it).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().remove_phone_number("+15555550100");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn remove_phone_number(mut self, number: impl Into<String>) -> Self {
        self.phone_numbers.push(ItemChange::Remove(number.into()));
        self
    }

    /// Replaces every phone number with these `(label, number)` pairs: the
    /// only change that deletes numbers it does not name.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().replace_phone_numbers([("mobile", "+15555550123")]);
    /// assert!(!changes.is_empty());
    /// ```
    pub fn replace_phone_numbers<N: Into<String>, V: Into<String>>(
        mut self,
        numbers: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let all = numbers
            .into_iter()
            .map(|(n, v)| (n.into(), v.into()))
            .collect();
        self.phone_numbers.push(ItemChange::ReplaceAll(all));
        self
    }

    /// Sets a custom field, by name (any case) or key, to a value of its
    /// kind ([`FieldValue::Clear`] empties it).
    ///
    /// ```
    /// use quo_api_ext::contacts::{ContactChanges, FieldValue};
    ///
    /// let changes = ContactChanges::new()
    ///     .custom_field("Lead Score", 87)
    ///     .custom_field("Renewal Date", FieldValue::Clear);
    /// assert!(!changes.is_empty());
    /// ```
    pub fn custom_field(
        mut self,
        name_or_key: impl Into<String>,
        value: impl Into<FieldValue>,
    ) -> Self {
        self.custom_fields
            .push((name_or_key.into(), FieldChange::Set(value.into())));
        self
    }

    /// Sets a custom field from text as a CSV cell holds it, read by the
    /// field's kind (see [`FieldValue::Unparsed`]).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().custom_field_text("Lead Score", "87");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn custom_field_text(
        mut self,
        name_or_key: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        self.custom_fields.push((
            name_or_key.into(),
            FieldChange::Set(FieldValue::Unparsed(text.into())),
        ));
        self
    }

    /// Removes a custom field from the contact, by name or key.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// let changes = ContactChanges::new().remove_custom_field("Lead Score");
    /// assert!(!changes.is_empty());
    /// ```
    pub fn remove_custom_field(mut self, name_or_key: impl Into<String>) -> Self {
        self.custom_fields
            .push((name_or_key.into(), FieldChange::Remove));
        self
    }

    /// Whether applying these changes needs the custom-field definitions.
    pub(crate) fn names_custom_fields(&self) -> bool {
        !self.custom_fields.is_empty()
    }

    /// Checks every documented limit that needs no request.
    pub(crate) fn check(&self) -> Result<()> {
        if let Some(Some(v)) = &self.first_name {
            checks::first_name(v)?;
        }
        if let Some(Some(v)) = &self.external_id {
            checks::external_id(v)?;
        }
        if let Some(Some(v)) = &self.source {
            checks::source(v)?;
        }
        if let Some(Some(v)) = &self.source_url {
            checks::source_url(v)?;
        }
        for address in self.emails.iter().flat_map(ItemChange::new_values) {
            checks::email(address)?;
        }
        for number in self.phone_numbers.iter().flat_map(ItemChange::new_values) {
            checks::phone_number(number)?;
        }
        Ok(())
    }

    /// The complete `PATCH` body that applies these changes to `contact`,
    /// or `None` when the contact already is as asked.
    ///
    /// Fails, with nothing sent, when a change names an email, phone number
    /// or custom field that cannot be found, or when a custom field of the
    /// contact could not be written back as it is.
    pub(crate) fn merge(
        &self,
        contact: &Contact,
        index: &DefinitionIndex,
    ) -> Result<Option<ContactUpdate>> {
        let current = &contact.default_fields;
        let mut changed = false;
        // Only scalars that differ are sent: one changed by someone else
        // meanwhile, and not named here, stays as they left it.
        let mut scalar = |wanted: &Option<Option<String>>, now: &Option<String>| {
            let set = wanted.as_ref().filter(|w| *w != now).cloned();
            changed |= set.is_some();
            set
        };
        let first_name = scalar(&self.first_name, &current.first_name);
        let last_name = scalar(&self.last_name, &current.last_name);
        let company = scalar(&self.company, &current.company);
        let role = scalar(&self.role, &current.role);
        let external_id = scalar(&self.external_id, &contact.external_id);
        let source = scalar(&self.source, &contact.source);
        let source_url = scalar(&self.source_url, &contact.source_url);

        let existing_emails = current
            .emails
            .iter()
            .map(|e| Item::new(e.id.clone(), label(e.name.as_ref()), e.value.clone()))
            .collect();
        let emails = apply_items("email", existing_emails, &self.emails, same_email)?;
        let existing_numbers = current
            .phone_numbers
            .iter()
            .map(|p| Item::new(p.id.clone(), label(p.name.as_ref()), p.value.clone()))
            .collect();
        let numbers = apply_items(
            "phone_number",
            existing_numbers,
            &self.phone_numbers,
            |a, b| a == b,
        )?;
        changed |= emails.changed || numbers.changed;

        let custom = apply_custom_fields(contact, &self.custom_fields, index)?;
        changed |= custom.changed;

        if !changed {
            return Ok(None);
        }
        Ok(Some(ContactUpdate {
            custom_fields: custom.items,
            default_fields: Some(ContactUpdateDefaultFields {
                company,
                emails: emails
                    .items
                    .into_iter()
                    .map(|i| ContactEmailInput {
                        id: i.id,
                        name: i.name,
                        value: i.value,
                    })
                    .collect(),
                first_name,
                last_name,
                phone_numbers: numbers
                    .items
                    .into_iter()
                    .map(|i| ContactPhoneNumberInput {
                        id: i.id,
                        name: i.name,
                        value: i.value,
                    })
                    .collect(),
                role,
            }),
            external_id: external_id
                .map(|v| v.map(draft::external_id).transpose())
                .transpose()?,
            source: source
                .map(|v| v.map(draft::source).transpose())
                .transpose()?,
            source_url: source_url
                .map(|v| v.map(draft::source_url).transpose())
                .transpose()?,
        }))
    }
}

impl ItemChange {
    /// The values this change would write.
    fn new_values(&self) -> Vec<&String> {
        match self {
            ItemChange::Add(_, v) | ItemChange::Ensure(_, v) | ItemChange::Change(_, v) => vec![v],
            ItemChange::Remove(_) => vec![],
            ItemChange::ReplaceAll(all) => all.iter().map(|(_, v)| v).collect(),
        }
    }
}

/// An email or phone number being merged.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    id: Option<String>,
    name: String,
    /// `None` on the wire removes the item.
    value: Option<String>,
}

impl Item {
    fn new(id: Option<String>, name: String, value: Option<String>) -> Self {
        Self { id, name, value }
    }
}

struct Merged<T> {
    items: Vec<T>,
    changed: bool,
}

/// An item's label as written back: Quo requires one on writes, so an item
/// read without one is sent with an empty label rather than dropped.
fn label(name: Option<&String>) -> String {
    name.cloned().unwrap_or_default()
}

fn same_email(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Applies item changes in order. Removed items that have an id are sent
/// with a `null` value (Quo's way to delete one item); new items have no id.
///
/// A removed item without an id (the spec makes ids optional) is matched by
/// its value and left out of the list sent, which the `PATCH` replaces the
/// contact's with. That cannot work when nothing is left to send: an empty
/// list is left out of the body altogether, which does not say to delete
/// anything, so the item would stay while the update reported success. That
/// case is [`Error::InvalidInput`], with nothing sent.
fn apply_items(
    field: &'static str,
    existing: Vec<Item>,
    changes: &[ItemChange],
    same: impl Fn(&str, &str) -> bool,
) -> Result<Merged<Item>> {
    let mut items = existing.clone();
    let has = |items: &[Item], value: &str| {
        items
            .iter()
            .position(|i| i.value.as_deref().is_some_and(|v| same(v, value)))
    };
    for change in changes {
        match change {
            ItemChange::Add(name, value) => {
                items.push(Item::new(None, name.clone(), Some(value.clone())))
            }
            ItemChange::Ensure(name, value) => {
                if has(&items, value).is_none() {
                    items.push(Item::new(None, name.clone(), Some(value.clone())));
                }
            }
            ItemChange::Change(old, new) => {
                let Some(at) = has(&items, old) else {
                    return Err(Error::InvalidInput {
                        field,
                        message: format!(
                            "the contact has no {field} {:?} to change",
                            quote_short(old)
                        ),
                    });
                };
                items[at].value = Some(new.clone());
            }
            ItemChange::Remove(value) => {
                if let Some(at) = has(&items, value) {
                    items[at].value = None;
                }
            }
            ItemChange::ReplaceAll(all) => {
                for item in &mut items {
                    item.value = None;
                }
                items.extend(
                    all.iter()
                        .map(|(n, v)| Item::new(None, n.clone(), Some(v.clone()))),
                );
            }
        }
    }
    // An item removed before it was ever sent, or one without an id,
    // needs no line at all: the list sent replaces the contact's.
    items.retain(|i| i.id.is_some() || i.value.is_some());
    if items.is_empty() && !existing.is_empty() {
        return Err(Error::InvalidInput {
            field,
            message: format!(
                "cannot remove every {field} of the contact ({}) when they have no id: an \
                 empty list is left out of the PATCH, which would keep them; keep or add \
                 another {field} in the same change, or remove them in Quo",
                existing
                    .iter()
                    .filter_map(|i| i.value.as_deref())
                    .map(|v| format!("{:?}", quote_short(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let changed = items != existing;
    Ok(Merged { items, changed })
}

/// Every custom field of `contact` as a write input, with the changes
/// applied; fields not yet on the contact are added.
fn apply_custom_fields(
    contact: &Contact,
    changes: &[(String, FieldChange)],
    index: &DefinitionIndex,
) -> Result<Merged<CustomFieldInput>> {
    let mut inputs = Vec::with_capacity(contact.custom_fields.len() + changes.len());
    for field in &contact.custom_fields {
        let key = match &field.key {
            Some(key) => Some(key.clone()),
            None => index.by_name(&field.name)?.map(|d| d.key.clone()),
        };
        let key = key.ok_or_else(|| Error::InvalidInput {
            field: "custom_field",
            message: format!(
                "the contact's custom field {:?} has no key, so it could not be kept",
                quote_short(&field.name)
            ),
        })?;
        inputs.push(CustomFieldInput {
            id: field.id.clone(),
            key: Some(key),
            value: input_value(&field.name, &field.value.to_json())?,
        });
    }
    let existing = inputs.clone();
    for (name, change) in changes {
        let (key, value) = match change {
            FieldChange::Set(value) => {
                let resolved = resolve(index, name, value)?;
                (resolved.key, resolved.value)
            }
            FieldChange::Remove => {
                let definition = index.find(name)?.ok_or_else(|| Error::InvalidInput {
                    field: "custom_field",
                    message: format!(
                        "the workspace has no custom field named or keyed {:?}",
                        quote_short(name)
                    ),
                })?;
                (definition.key.clone(), None)
            }
        };
        match inputs.iter_mut().find(|i| i.key.as_deref() == Some(&key)) {
            Some(input) => input.value = value,
            None if matches!(change, FieldChange::Remove) => {}
            None => inputs.push(CustomFieldInput {
                id: None,
                key: Some(key),
                value,
            }),
        }
    }
    let changed = inputs != existing;
    Ok(Merged {
        items: inputs,
        changed,
    })
}

/// A contact's current custom-field value as a write input, so it is sent
/// back as it is. A value no write input can carry (an object, a list of
/// non-strings) fails the update instead of being dropped.
fn input_value(name: &str, value: &Value) -> Result<Option<CustomFieldInputValue>> {
    Ok(match value {
        Value::Null => None,
        Value::Bool(b) => Some(CustomFieldInputValue::Boolean(*b)),
        Value::Number(n) => n.as_f64().map(CustomFieldInputValue::Number),
        Value::String(s) => Some(CustomFieldInputValue::String(s.clone())),
        Value::Array(items) => match items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
        {
            Some(strings) => Some(CustomFieldInputValue::Array(strings)),
            None => return Err(unwritable(name)),
        },
        Value::Object(_) => return Err(unwritable(name)),
    })
}

fn unwritable(name: &str) -> Error {
    Error::InvalidInput {
        field: "custom_field",
        message: format!(
            "the contact's custom field {:?} holds a value this SDK cannot write back, so the update was not sent",
            quote_short(name)
        ),
    }
}
