//! Create, update and delete: the contact writes.
//!
//! None of them is retried by default after a failure that may have
//! happened on Quo's side (a timeout, a dropped connection, a 502): the
//! `POST` could create a second contact, and a `PATCH` built from an older
//! read could undo someone else's change. Such an error says the write may
//! have happened, and how to find out.

use std::sync::Arc;

use quo_api::types::Contact;

use super::changes::ContactChanges;
use super::draft::ContactDraft;
use super::{Contacts, check_contact_id};
use crate::custom_field_definitions::DefinitionIndex;
use crate::error::{Error, ErrorCode, Result};

impl Contacts<'_> {
    /// Creates a contact (`POST /v1/contacts`) and returns it as Quo stored
    /// it.
    ///
    /// The draft is checked first and custom fields are mapped from names
    /// to keys (one request for the definitions, on first use); any problem
    /// is [`Error::InvalidInput`] with nothing sent. If Quo refuses a custom
    /// field key (a field renamed or re-created since the definitions were
    /// read), the definitions are fetched again and the create is sent once
    /// more with the new keys.
    ///
    /// Not retried after a timeout or a dropped connection: the contact may
    /// have been created. The error's message says so; look the contact up
    /// with [`find_by_external_id`](Self::find_by_external_id) before
    /// creating it again (another reason to give every contact an external
    /// id), or use [`upsert_by_external_id`](Self::upsert_by_external_id).
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let contact = client
    ///     .contacts()
    ///     .create(
    ///         ContactDraft::new("Ada")
    ///             .last_name("Lovelace")
    ///             .phone_number("mobile", "+15555550123")
    ///             .external_id("crm-1815")
    ///             .custom_field("Lead Score", 42),
    ///     )
    ///     .await?;
    /// println!("created {}", contact.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create(&self, draft: ContactDraft) -> Result<Contact> {
        draft.check()?;
        let client = self.client;
        let definitions = client.custom_field_definitions();
        let mut index = if draft.custom_fields.is_empty() {
            Arc::new(DefinitionIndex::default())
        } else {
            definitions.index().await?
        };
        let mut refreshed = false;
        loop {
            let body = draft.to_new_contact(&index)?;
            match client
                .call(|raw| async move { raw.create_contact_v1(&body).await })
                .await
            {
                Ok(created) => return Ok(created.data),
                Err(e)
                    if !refreshed
                        && !draft.custom_fields.is_empty()
                        && refuses_custom_field(&e) =>
                {
                    refreshed = true;
                    index = definitions.refreshed_index().await?;
                }
                Err(e) => {
                    return Err(e.maybe_applied("the contact may have been created: look it up with find_by_external_id before creating it again",
                    ));
                }
            }
        }
    }

    /// Changes a contact without losing anything the change set does not
    /// name, and returns it as Quo stored it.
    ///
    /// Quo's `PATCH /v1/contacts/{id}` deletes every email, phone number
    /// and custom field left out of its body. So this reads the contact
    /// (`GET`), applies `changes` to what it holds, and sends the complete
    /// lists back (`PATCH`), each kept item with its id so Quo updates it in
    /// place. When the contact already is as asked, nothing is sent after
    /// the read and the contact is returned as read. Replacing a whole list
    /// is explicit: [`ContactChanges::replace_emails`] and
    /// [`ContactChanges::replace_phone_numbers`].
    ///
    /// **The race.** Quo offers no conditional update, so a change made by
    /// someone else between the read and the write is overwritten for the
    /// lists this sends (all three, always). The window is one round trip;
    /// keep it small by sending each contact's updates from one worker, and
    /// not holding a contact read earlier: this always reads it afresh.
    ///
    /// Not retried after a timeout or a dropped connection (the change may
    /// have been applied; the error says so). Checked before anything is
    /// sent: the id, every value, and, after the read, that every email,
    /// phone number or custom field named exists ([`Error::InvalidInput`]).
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::ContactChanges;
    ///
    /// // Only the role changes; every email, number and custom field stays.
    /// let contact = client
    ///     .contacts()
    ///     .update("664d0db69fcac7cf2e6ec99e", ContactChanges::new().role("CTO"))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update(&self, id: &str, changes: ContactChanges) -> Result<Contact> {
        check_contact_id(id)?;
        changes.check()?;
        let contact = self.get(id).await?;
        // The PATCH goes to the id the caller named, never to the one the
        // read answered: a server cannot steer the write elsewhere.
        self.apply(id, contact, &changes)
            .await
            .map(|(contact, _)| contact)
    }

    /// Applies `changes` to `contact` (just read) with a `PATCH` of
    /// `/v1/contacts/{id}`: the contact as stored after, and whether a
    /// `PATCH` was sent. `id` has passed the path-id check: the caller's
    /// (checked by `check_contact_id`) or one read from a response
    /// (checked by `input::response_id`).
    pub(crate) async fn apply(
        &self,
        id: &str,
        contact: Contact,
        changes: &ContactChanges,
    ) -> Result<(Contact, bool)> {
        let client = self.client;
        let definitions = client.custom_field_definitions();
        let needs_definitions =
            changes.names_custom_fields() || contact.custom_fields.iter().any(|f| f.key.is_none());
        let mut index = if needs_definitions {
            definitions.index().await?
        } else {
            Arc::new(DefinitionIndex::default())
        };
        let mut refreshed = false;
        loop {
            let Some(body) = changes.merge(&contact, &index)? else {
                return Ok((contact, false));
            };
            let body = &body;
            let request =
                |raw: quo_api::Client| async move { raw.update_contact_by_id_v1(id, body).await };
            match client.call(request).await {
                Ok(updated) => return Ok((updated.data, true)),
                Err(e)
                    if !refreshed && changes.names_custom_fields() && refuses_custom_field(&e) =>
                {
                    refreshed = true;
                    index = definitions.refreshed_index().await?;
                }
                Err(e) => {
                    return Err(e.maybe_applied(
                        "the update may have been applied: read the contact again before retrying",
                    ));
                }
            }
        }
    }

    /// Deletes a contact (`DELETE /v1/contacts/{id}`). Retried like every
    /// idempotent request; a contact that does not exist is an
    /// [`Error::Api`] whose code is `NotFound`, unless an earlier attempt
    /// may have deleted it (it answered 503, say): then the 404 is
    /// [`Error::MaybeDeleted`].
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.contacts().delete("664d0db69fcac7cf2e6ec99e").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete(&self, id: &str) -> Result<()> {
        check_contact_id(id)?;
        let client = self.client;
        client
            .call(|raw| async move { raw.delete_contact_v1(id).await })
            .await
    }
}

/// Whether Quo refused a write because of a custom field (an unknown key,
/// a field removed since the definitions were read).
///
/// Quo's documented refusal is code `0801400`, title "Invalid Custom Field
/// Item", with a message that may name only the key: the code or the title
/// say it. Answers without them (the live API's other shape) are read for
/// the words "custom field" in the message or a field error.
fn refuses_custom_field(error: &Error) -> bool {
    let Some(service) = error.service_error() else {
        return false;
    };
    if !(400..500).contains(&service.status) || service.status == 429 {
        return false;
    }
    if service.code == Some(ErrorCode::InvalidCustomFieldItem) {
        return true;
    }
    let mentions = |text: &str| {
        let folded: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        folded.contains("customfield")
    };
    service.title.as_deref().is_some_and(mentions)
        || service.message.as_deref().is_some_and(mentions)
        || service
            .field_errors
            .iter()
            .any(|f| mentions(&f.path) || mentions(&f.message))
}
