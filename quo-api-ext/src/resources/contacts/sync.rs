//! Find and upsert by `externalId`: the two steps of a contact sync.

use quo_api::types::Contact;

use super::Contacts;
use super::checks;
use super::draft::ContactDraft;
use crate::error::{Error, Result};
use crate::resources::input;

/// What [`Contacts::upsert_by_external_id`] did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Upserted {
    /// No contact had the external id: this one was created.
    Created(Contact),
    /// The contact was changed to match the draft.
    Updated(Contact),
    /// The contact already matched the draft: nothing was written.
    Unchanged(Contact),
}

impl Upserted {
    /// The contact, whatever happened.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::{ContactDraft, Upserted};
    ///
    /// let draft = ContactDraft::new("Ada").external_id("crm-1815");
    /// let upserted = client.contacts().upsert_by_external_id(draft).await?;
    /// let created = matches!(upserted, Upserted::Created(_));
    /// println!("{} (created: {created})", upserted.contact().id);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn contact(&self) -> &Contact {
        match self {
            Upserted::Created(c) | Upserted::Updated(c) | Upserted::Unchanged(c) => c,
        }
    }

    /// The contact, whatever happened.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let draft = ContactDraft::new("Ada").external_id("crm-1815");
    /// let contact = client.contacts().upsert_by_external_id(draft).await?.into_contact();
    /// println!("{}", contact.id);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn into_contact(self) -> Contact {
        match self {
            Upserted::Created(c) | Upserted::Updated(c) | Upserted::Unchanged(c) => c,
        }
    }
}

impl Contacts<'_> {
    /// The contact whose `externalId` is `external_id`, or `None`.
    ///
    /// Looks at contacts from every source. Quo does not enforce unique
    /// external ids, so when several contacts have this one the answer is
    /// [`Error::AmbiguousExternalId`], naming them, rather than a guess.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// match client.contacts().find_by_external_id("crm-1815").await? {
    ///     Some(contact) => println!("found {}", contact.id),
    ///     None => println!("not in Quo yet"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_by_external_id(&self, external_id: &str) -> Result<Option<Contact>> {
        checks::external_id(external_id)?;
        let mut found = self
            .list()
            .external_ids([external_id])
            .collect_all()
            .await?;
        // Quo matches exactly; a server that matched loosely is not trusted.
        found.retain(|c| c.external_id.as_deref() == Some(external_id));
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => {
                let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
                Err(Error::ambiguous_external_id(external_id, &ids))
            }
        }
    }

    /// Creates the contact with the draft's `externalId`, or brings the one
    /// that has it up to the draft, and says which happened.
    ///
    /// An existing contact is changed only where it differs from the
    /// draft: names, company, role and source URL set, emails and phone
    /// numbers added when missing, custom fields set; nothing is removed,
    /// and its `source` stays the one it was created with (it is found
    /// whatever its source). When nothing differs, nothing is written
    /// ([`Upserted::Unchanged`]).
    ///
    /// One request to find the contact per call: for many rows,
    /// [`sync`](Self::sync) reads 50 external ids per request instead.
    ///
    /// **Not atomic:** it is a find, then a create or an update. Two
    /// upserts of one new external id at once can both create; run a sync
    /// from one worker per external id. A create that fails midway (a
    /// timeout) is safe to follow with the same upsert: it finds the
    /// contact if it was created.
    ///
    /// Fails with [`Error::InvalidInput`] (nothing sent) when the draft has
    /// no external id or a bad value, and with
    /// [`Error::AmbiguousExternalId`] when several contacts have it.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::{ContactDraft, Upserted};
    ///
    /// let draft = ContactDraft::new("Ada").external_id("crm-1815").role("CTO");
    /// match client.contacts().upsert_by_external_id(draft).await? {
    ///     Upserted::Created(c) => println!("created {}", c.id),
    ///     Upserted::Updated(c) => println!("updated {}", c.id),
    ///     Upserted::Unchanged(_) | _ => {}
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upsert_by_external_id(&self, draft: ContactDraft) -> Result<Upserted> {
        let Some(external_id) = draft.external_id_value() else {
            return Err(Error::InvalidInput {
                field: "external_id",
                message: "an upsert by external id needs a draft with an external id".into(),
            });
        };
        draft.check()?;
        match self.find_by_external_id(external_id).await? {
            None => self.create(draft).await.map(Upserted::Created),
            Some(contact) => {
                // The id comes from a listing: checked like a caller's
                // before it goes into the PATCH's path.
                input::response_id("data[].id", &contact.id)?;
                let id = contact.id.clone();
                let (contact, written) = self.apply(&id, contact, &draft.to_changes()).await?;
                Ok(if written {
                    Upserted::Updated(contact)
                } else {
                    Upserted::Unchanged(contact)
                })
            }
        }
    }
}
