//! Messages: send a text, read one, list a conversation's messages, wait
//! for a sent one to be delivered.
//!
//! Start from [`QuoClient::messages`].

mod wait;

use std::fmt;
use std::num::NonZeroU64;

use quo_api::types::{
    Message, MessagePage, NewMessage, NewMessageContent, NewMessageSetInboxStatus,
};

use crate::client::QuoClient;
use crate::error::{Error, Result};
use crate::resources::input;
use crate::resources::list::{CreatedByUser, CreatedByUserFilters, List, ListQuery};

pub use wait::{
    DEFAULT_MAX_POLL_INTERVAL, DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_DEADLINE, DeliveryOutcome,
    Settled, WaitForDelivery,
};

/// Most recipients of one message.
pub const MAX_RECIPIENTS: usize = 10;
/// Longest text of one message, in characters.
pub const MAX_TEXT_CHARS: usize = 1600;
/// The largest page of messages Quo serves (`maxResults`).
pub const MAX_PAGE_SIZE: u32 = 100;
/// Most participants a message listing filters on.
pub const MAX_PARTICIPANTS: usize = 10;

impl QuoClient {
    /// The message operations: [`send`](Messages::send),
    /// [`get`](Messages::get), [`list`](Messages::list) and
    /// [`wait`](Messages::wait) for delivery.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let message = client.messages().get("AC5e0bb8f2e9b6").await?;
    /// println!("{}", message.status);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn messages(&self) -> Messages<'_> {
        Messages { client: self }
    }
}

/// The message operations of a [`QuoClient`], from [`QuoClient::messages`].
#[derive(Clone, Copy)]
pub struct Messages<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Messages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Messages").finish_non_exhaustive()
    }
}

/// A text to send with [`Messages::send`]: what it says, from which
/// workspace number, to whom.
///
/// ```
/// use quo_api_ext::messages::MessageDraft;
///
/// let message = MessageDraft::new("Your order has shipped")
///     .from("PN123abc")
///     .to("+15555550123")
///     .mark_done();
/// # let _ = message;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct MessageDraft {
    from: String,
    to: Vec<String>,
    text: String,
    user_id: Option<String>,
    mark_done: bool,
}

impl MessageDraft {
    /// A text of 1 to 1600 characters, not only whitespace; set
    /// [`from`](Self::from) and at least one recipient before sending.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// let draft = MessageDraft::new("Your order has shipped").from("PN123abc").to("+15555550123");
    /// let message = client.messages().send(draft).await?;
    /// println!("{}", message.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            from: String::new(),
            to: Vec::new(),
            text: text.into(),
            user_id: None,
            mark_done: false,
        }
    }

    /// The workspace phone number it is sent from: its `PN...` id or its
    /// E.164 number.
    ///
    /// ```
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// // By id or by the number itself.
    /// let by_id = MessageDraft::new("On my way").from("PN123abc");
    /// let by_number = MessageDraft::new("On my way").from("+15555550100");
    /// # let _ = (by_id, by_number);
    /// ```
    pub fn from(mut self, phone_number: impl Into<String>) -> Self {
        self.from = phone_number.into();
        self
    }

    /// Adds a recipient: an E.164 number or a short code of up to 15
    /// characters (`12345`). A group message has up to 10.
    ///
    /// Quo's spec takes any text of up to 15 characters besides an E.164
    /// number, so a local or formatted number (`(555) 555-0123`,
    /// `+1 555 555 0123`) is sent as written, not refused: give numbers in
    /// E.164.
    ///
    /// ```
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// let group = MessageDraft::new("Meeting moved to 3pm")
    ///     .from("PN123abc")
    ///     .to("+15555550123")
    ///     .to("+15555550188");
    /// # let _ = group;
    /// ```
    pub fn to(mut self, recipient: impl Into<String>) -> Self {
        self.to.push(recipient.into());
        self
    }

    /// Adds several recipients (see [`to`](Self::to)).
    ///
    /// ```
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// let all = MessageDraft::new("Hi").to_all(["+15555550123", "+15555550188"]);
    /// assert_eq!(all, MessageDraft::new("Hi").to("+15555550123").to("+15555550188"));
    /// ```
    pub fn to_all(mut self, recipients: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.to.extend(recipients.into_iter().map(Into::into));
        self
    }

    /// Sends it as this user (`US...`) instead of the key's owner.
    ///
    /// ```
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// let draft = MessageDraft::new("Thanks!").from("PN123abc").to("+15555550123").user_id("US123abc");
    /// # let _ = draft;
    /// ```
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// Marks the conversation done in the inbox once sent.
    ///
    /// ```
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// let draft = MessageDraft::new("Resolved, thanks!").from("PN123abc").to("+15555550123").mark_done();
    /// # let _ = draft;
    /// ```
    pub fn mark_done(mut self) -> Self {
        self.mark_done = true;
        self
    }

    /// The request body, every documented limit checked, as the spec
    /// writes them. Stricter only where it cannot matter: `from` needs an
    /// id after `PN` (a bare prefix names no number), and a recipient must
    /// not be empty (it reaches no one).
    fn to_body(&self) -> Result<NewMessage> {
        if self.from.is_empty() {
            return Err(Error::InvalidInput {
                field: "from",
                message: "no sending number: set it with from(..) (a PN... id or an E.164 number)"
                    .into(),
            });
        }
        input::phone_number("from", &self.from)?;
        if self.to.is_empty() || self.to.len() > MAX_RECIPIENTS {
            return Err(Error::InvalidInput {
                field: "to",
                message: format!(
                    "a message goes to 1 to {MAX_RECIPIENTS} numbers, got {}",
                    self.to.len()
                ),
            });
        }
        for number in &self.to {
            input::recipient("to", number)?;
        }
        input::length("text", &self.text, MAX_TEXT_CHARS)?;
        if self.text.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "text",
                message: "a message's text must not be only whitespace".into(),
            });
        }
        input::optional_user_id(self.user_id.as_deref())?;
        let content =
            NewMessageContent::try_from(self.text.clone()).map_err(|e| Error::InvalidInput {
                field: "text",
                message: e.to_string(),
            })?;
        Ok(NewMessage {
            content,
            from: self.from.clone(),
            phone_number_id: None,
            set_inbox_status: self.mark_done.then_some(NewMessageSetInboxStatus::Done),
            to: self.to.clone(),
            user_id: self.user_id.clone(),
        })
    }
}

impl Messages<'_> {
    /// Sends a text (`POST /v1/messages`) and returns it as Quo queued it.
    ///
    /// Checked before sending ([`Error::InvalidInput`], nothing sent).
    /// Not retried by default: after a timeout or a 502 the message may
    /// have been sent, and sending again would text the person twice (a
    /// timeout's error says so). Where a duplicate is acceptable, send it
    /// through [`QuoClient::with_non_idempotent_retries`].
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::messages::MessageDraft;
    ///
    /// let sent = client
    ///     .messages()
    ///     .send(MessageDraft::new("See you at 3pm").from("+15555550100").to("+15555550123"))
    ///     .await?;
    /// println!("{} is {}", sent.id, sent.status);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(&self, message: MessageDraft) -> Result<Message> {
        let body = message.to_body()?;
        let client = self.client;
        match client.call(|raw| async move { raw.send_message_v1(&body).await }).await {
            Ok(sent) => Ok(sent.data),
            Err(e) => Err(e.maybe_applied(
                "the message may have been sent: list the conversation's messages before sending it again",
            )),
        }
    }

    /// One message by its id (`GET /v1/messages/{id}`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let message = client.messages().get("AC5e0bb8f2e9b6").await?;
    /// println!("{} to {:?}", message.status, message.to);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Message> {
        input::prefixed_id("message_id", id, "AC")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_message_by_id_v1(id).await })
            .await?
            .data)
    }

    /// The messages between a workspace phone number (`PN...`) and these
    /// participants (1 to 10 E.164 numbers), newest first; narrow by date
    /// or user on the returned [`MessageList`].
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let since = chrono::Utc::now() - chrono::Duration::days(7);
    /// let mut messages = client
    ///     .messages()
    ///     .list("PN123abc", ["+15555550123"])
    ///     .created_after(since)
    ///     .items();
    /// while let Some(message) = messages.try_next().await? {
    ///     println!("{}: {}", message.from, message.text);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(
        &self,
        phone_number_id: impl Into<String>,
        participants: impl IntoIterator<Item = impl Into<String>>,
    ) -> MessageList {
        List::new(
            self.client,
            MessageQuery {
                phone_number_id: phone_number_id.into(),
                participants: participants.into_iter().map(Into::into).collect(),
                filters: CreatedByUser::default(),
            },
        )
    }
}

/// A listing of messages, from [`Messages::list`].
pub type MessageList = List<MessageQuery>;

/// The filters of a message listing (see [`MessageList`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MessageQuery {
    phone_number_id: String,
    participants: Vec<String>,
    filters: CreatedByUser,
}

impl CreatedByUserFilters for MessageQuery {
    fn created_by_user(&mut self) -> &mut CreatedByUser {
        &mut self.filters
    }
}

impl ListQuery for MessageQuery {
    type Page = MessagePage;
    const MAX_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

    /// The spec's limits (`participants` required, at most 10, each
    /// E.164). At least one participant although the spec sets no minimum
    /// on the array: the parameter is required, and an empty list sends
    /// none of it.
    fn check(&self) -> Result<()> {
        input::prefixed_id("phone_number_id", &self.phone_number_id, "PN")?;
        if self.participants.is_empty() || self.participants.len() > MAX_PARTICIPANTS {
            return Err(Error::InvalidInput {
                field: "participants",
                message: format!(
                    "a message listing takes 1 to {MAX_PARTICIPANTS} participants, got {}",
                    self.participants.len()
                ),
            });
        }
        for number in &self.participants {
            input::e164("participants", number)?;
        }
        self.filters.check()
    }

    async fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> Result<MessagePage> {
        client
            .call(|raw| async move {
                raw.list_messages_v1(
                    self.filters.after.as_ref(),
                    self.filters.before.as_ref(),
                    max_results,
                    token,
                    &self.participants,
                    &self.phone_number_id,
                    None,
                    self.filters.user_id.as_deref(),
                )
                .await
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::MessageDraft;
    use crate::error::Error;

    fn refused(message: MessageDraft) -> &'static str {
        match message.to_body() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn a_message_is_checked_against_every_documented_limit() {
        let ok = || MessageDraft::new("hi").from("PN1").to("+15555550123");
        assert!(ok().to_body().is_ok());
        assert_eq!(refused(MessageDraft::new("hi").to("+15555550123")), "from");
        assert_eq!(refused(MessageDraft::new("hi").from("PN1")), "to");
        assert!(
            MessageDraft::new("hi")
                .from("+15555550100")
                .to("+15555550123")
                .to_body()
                .is_ok()
        );
        assert_eq!(
            refused(MessageDraft::new("hi").from("5555").to("+15555550123")),
            "from"
        );
        assert_eq!(
            refused(MessageDraft::new("hi").from("PN").to("+15555550123")),
            "from"
        );
        assert_eq!(
            refused(
                MessageDraft::new("hi")
                    .from("PN1")
                    .to_all(Vec::<String>::new())
            ),
            "to"
        );
        assert_eq!(
            refused(
                MessageDraft::new("hi")
                    .from("PN1")
                    .to_all(vec!["+15555550123"; 11])
            ),
            "to"
        );
        assert_eq!(
            refused(MessageDraft::new("hi").from("PN1").to("1234567890123456")),
            "to"
        );
        assert!(
            MessageDraft::new("hi")
                .from("PN1")
                .to("12345")
                .to_body()
                .is_ok()
        );
        assert_eq!(
            refused(MessageDraft::new("").from("PN1").to("+15555550123")),
            "text"
        );
        assert_eq!(
            refused(MessageDraft::new(" \n\t").from("PN1").to("+15555550123")),
            "text"
        );
        assert_eq!(
            refused(
                MessageDraft::new("x".repeat(1601))
                    .from("PN1")
                    .to("+15555550123")
            ),
            "text"
        );
        assert!(
            MessageDraft::new("é".repeat(1600))
                .from("PN1")
                .to("+15555550123")
                .to_body()
                .is_ok()
        );
        assert_eq!(refused(ok().user_id("bob")), "user_id");
        let body = ok().mark_done().user_id("US1").to_body().unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"content": "hi", "from": "PN1", "to": ["+15555550123"], "userId": "US1", "setInboxStatus": "done"})
        );
    }
}
