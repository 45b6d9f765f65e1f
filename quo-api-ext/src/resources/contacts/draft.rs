//! [`ContactDraft`]: the fields of a contact to create, or wanted by an upsert.

use quo_api::types::{
    ContactEmailInput, ContactPhoneNumberInput, ContactSource, ContactSourceUrl, ExternalId,
    NewContact, NewContactDefaultFields,
};

use super::changes::ContactChanges;
use super::checks;
use super::field_value::{FieldValue, resolve};
use crate::custom_field_definitions::DefinitionIndex;
use crate::error::{Error, Result};
use crate::resources::input;

/// A contact to create ([`Contacts::create`](super::Contacts::create)), or
/// the fields an upsert wants on a contact
/// ([`Contacts::upsert_by_external_id`](super::Contacts::upsert_by_external_id)).
///
/// Every documented limit is checked before anything is sent: emails and
/// phone numbers not blank (Quo's spec takes any text there, so a number
/// is sent as written: give it in E.164), `externalId` 1 to 75 characters, `source` 1 to 72
/// characters and not one Quo reserves, `sourceUrl` an absolute URL of at
/// most 200 characters, custom fields named (or keyed) as in the workspace
/// with a value of the field's kind. A bad value is
/// [`Error::InvalidInput`] with nothing sent.
///
/// ```
/// use quo_api_ext::contacts::ContactDraft;
///
/// let draft = ContactDraft::new("Ada")
///     .last_name("Lovelace")
///     .company("Analytical Engines")
///     .email("work", "ada@example.com")
///     .phone_number("mobile", "+15555550123")
///     .external_id("crm-1815")
///     .source("crm-sync")
///     .custom_field("Lead Score", 42);
/// assert_eq!(draft.external_id_value(), Some("crm-1815"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct ContactDraft {
    pub(crate) first_name: String,
    pub(crate) last_name: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) emails: Vec<(String, String)>,
    pub(crate) phone_numbers: Vec<(String, String)>,
    pub(crate) external_id: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) source_url: Option<String>,
    pub(crate) created_by_user_id: Option<String>,
    pub(crate) custom_fields: Vec<(String, FieldValue)>,
}

impl ContactDraft {
    /// A contact with this first name (Quo requires one) and nothing else.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let contact = client.contacts().create(ContactDraft::new("Ada")).await?;
    /// println!("{}", contact.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(first_name: impl Into<String>) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: None,
            company: None,
            role: None,
            emails: Vec::new(),
            phone_numbers: Vec::new(),
            external_id: None,
            source: None,
            source_url: None,
            created_by_user_id: None,
            custom_fields: Vec::new(),
        }
    }

    /// The last name.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").last_name("Lovelace");
    /// # let _ = draft;
    /// ```
    pub fn last_name(mut self, value: impl Into<String>) -> Self {
        self.last_name = Some(value.into());
        self
    }

    /// The company.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").company("Analytical Engines");
    /// # let _ = draft;
    /// ```
    pub fn company(mut self, value: impl Into<String>) -> Self {
        self.company = Some(value.into());
        self
    }

    /// The role.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").role("CTO");
    /// # let _ = draft;
    /// ```
    pub fn role(mut self, value: impl Into<String>) -> Self {
        self.role = Some(value.into());
        self
    }

    /// Adds an email address under a label (`"work"`).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada")
    ///     .email("work", "ada@example.com")
    ///     .email("home", "ada@home.example");
    /// # let _ = draft;
    /// ```
    pub fn email(mut self, name: impl Into<String>, address: impl Into<String>) -> Self {
        self.emails.push((name.into(), address.into()));
        self
    }

    /// Adds a phone number under a label: give it in E.164, like
    /// `+15555550123`; it is sent as written (only a blank one is refused).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").phone_number("mobile", "+15555550123");
    /// # let _ = draft;
    /// ```
    pub fn phone_number(mut self, name: impl Into<String>, number: impl Into<String>) -> Self {
        self.phone_numbers.push((name.into(), number.into()));
        self
    }

    /// The id your own system gives this contact (1 to 75 characters), to
    /// find it again with
    /// [`find_by_external_id`](super::Contacts::find_by_external_id).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").external_id("crm-1815");
    /// assert_eq!(draft.external_id_value(), Some("crm-1815"));
    /// ```
    pub fn external_id(mut self, value: impl Into<String>) -> Self {
        self.external_id = Some(value.into());
        self
    }

    /// Where the contact comes from (1 to 72 characters; not `openphone`,
    /// `device`, `csv`, `zapier`, `google-people`, `other`, nor starting
    /// with `openphone` or `csv`, which Quo reserves).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").source("crm-sync");
    /// # let _ = draft;
    /// ```
    pub fn source(mut self, value: impl Into<String>) -> Self {
        self.source = Some(value.into());
        self
    }

    /// A link to the contact in its source system (at most 200 characters).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada")
    ///     .source("crm-sync")
    ///     .source_url("https://crm.example.com/contacts/1815");
    /// # let _ = draft;
    /// ```
    pub fn source_url(mut self, value: impl Into<String>) -> Self {
        self.source_url = Some(value.into());
        self
    }

    /// The Quo user shown as the contact's creator (`US...`, checked at
    /// create).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").created_by("US123abc");
    /// # let _ = draft;
    /// ```
    pub fn created_by(mut self, user_id: impl Into<String>) -> Self {
        self.created_by_user_id = Some(user_id.into());
        self
    }

    /// Sets a custom field, by its name as shown in Quo (any case) or its
    /// key, to a value of its kind: `.custom_field("Lead Score", 42)`.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada")
    ///     .custom_field("Lead Score", 42)
    ///     .custom_field("Newsletter", true)
    ///     .custom_field("Interests", vec!["rust", "math"]);
    /// # let _ = draft;
    /// ```
    pub fn custom_field(
        mut self,
        name_or_key: impl Into<String>,
        value: impl Into<FieldValue>,
    ) -> Self {
        self.custom_fields.push((name_or_key.into(), value.into()));
        self
    }

    /// Sets a custom field from text as a CSV cell holds it, read by the
    /// field's kind when the row is written: `"42.5"`, `"true"`,
    /// `"2024-05-01"`, `"a; b"` for a multi-select (see
    /// [`FieldValue::Unparsed`]). Text that does not fit the kind fails
    /// this contact alone, with an error naming the field, so an import
    /// needs no converter of its own.
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let row = ContactDraft::new("Ada")
    ///     .external_id("crm-1815")
    ///     .custom_field_text("Lead Score", "42")
    ///     .custom_field_text("Interests", "rust; math");
    /// # let _ = row;
    /// ```
    pub fn custom_field_text(
        mut self,
        name_or_key: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        self.custom_fields
            .push((name_or_key.into(), FieldValue::Unparsed(text.into())));
        self
    }

    /// The external id set with [`external_id`](Self::external_id).
    ///
    /// ```
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// assert_eq!(ContactDraft::new("Ada").external_id("crm-1815").external_id_value(), Some("crm-1815"));
    /// assert_eq!(ContactDraft::new("Grace").external_id_value(), None);
    /// ```
    #[must_use]
    pub fn external_id_value(&self) -> Option<&str> {
        self.external_id.as_deref()
    }

    /// Checks every documented limit that needs no request.
    pub(crate) fn check(&self) -> Result<()> {
        checks::first_name(&self.first_name)?;
        for (_, address) in &self.emails {
            checks::email(address)?;
        }
        for (_, number) in &self.phone_numbers {
            checks::phone_number(number)?;
        }
        if let Some(value) = &self.external_id {
            checks::external_id(value)?;
        }
        if let Some(value) = &self.source {
            checks::source(value)?;
        }
        if let Some(value) = &self.source_url {
            checks::source_url(value)?;
        }
        if let Some(user_id) = &self.created_by_user_id {
            input::prefixed_id("created_by", user_id, "US")?;
        }
        Ok(())
    }

    /// The request body, custom fields mapped through `index`.
    pub(crate) fn to_new_contact(&self, index: &DefinitionIndex) -> Result<NewContact> {
        let custom_fields = self
            .custom_fields
            .iter()
            .map(|(name, value)| resolve(index, name, value).map(|f| f.into_input(None)))
            .collect::<Result<Vec<_>>>()?;
        Ok(NewContact {
            created_by_user_id: self.created_by_user_id.clone(),
            custom_fields,
            default_fields: NewContactDefaultFields {
                company: self.company.clone(),
                emails: self
                    .emails
                    .iter()
                    .map(|(name, value)| ContactEmailInput {
                        id: None,
                        name: name.clone(),
                        value: Some(value.clone()),
                    })
                    .collect(),
                first_name: Some(self.first_name.clone()),
                last_name: self.last_name.clone(),
                phone_numbers: self
                    .phone_numbers
                    .iter()
                    .map(|(name, value)| ContactPhoneNumberInput {
                        id: None,
                        name: name.clone(),
                        value: Some(value.clone()),
                    })
                    .collect(),
                role: self.role.clone(),
            },
            external_id: self.external_id.clone().map(external_id).transpose()?,
            source: self.source.clone().map(source).transpose()?,
            source_url: self.source_url.clone().map(source_url).transpose()?,
        })
    }

    /// The change set that brings an existing contact to this draft without
    /// removing anything: names, company and role set, emails and phone
    /// numbers added when their value is missing, custom fields set. The
    /// `source` and creator stay those the contact was created with.
    pub(crate) fn to_changes(&self) -> ContactChanges {
        let mut changes = ContactChanges::new().first_name(self.first_name.clone());
        if let Some(v) = &self.last_name {
            changes = changes.last_name(v.clone());
        }
        if let Some(v) = &self.company {
            changes = changes.company(v.clone());
        }
        if let Some(v) = &self.role {
            changes = changes.role(v.clone());
        }
        if let Some(v) = &self.source_url {
            changes = changes.source_url(v.clone());
        }
        for (name, value) in &self.emails {
            changes = changes.ensure_email(name.clone(), value.clone());
        }
        for (name, value) in &self.phone_numbers {
            changes = changes.ensure_phone_number(name.clone(), value.clone());
        }
        for (name, value) in &self.custom_fields {
            changes = changes.custom_field(name.clone(), value.clone());
        }
        changes
    }
}

/// The generated constrained types, their own check as a second line.
pub(crate) fn external_id(value: String) -> Result<ExternalId> {
    ExternalId::try_from(value).map_err(|e| Error::InvalidInput {
        field: "external_id",
        message: e.to_string(),
    })
}

pub(crate) fn source(value: String) -> Result<ContactSource> {
    ContactSource::try_from(value).map_err(|e| Error::InvalidInput {
        field: "source",
        message: e.to_string(),
    })
}

pub(crate) fn source_url(value: String) -> Result<ContactSourceUrl> {
    ContactSourceUrl::try_from(value).map_err(|e| Error::InvalidInput {
        field: "source_url",
        message: e.to_string(),
    })
}
