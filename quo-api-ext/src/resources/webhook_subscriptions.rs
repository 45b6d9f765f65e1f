//! Webhook subscriptions: list, read, delete, and create one per event
//! family (messages, calls, call summaries, call transcripts).
//!
//! Start from [`QuoClient::webhooks`]. Each family has its own event type
//! ([`MessageWebhookEvent`], [`CallWebhookEvent`], ...), so an event of
//! another family cannot be asked for; events given by name are checked
//! against the family before anything is sent. Verifying the deliveries is
//! [`webhooks`](crate::webhooks)' job (feature `webhooks`).
//!
//! A webhook's signing key ([`Webhook::key`], a [`WebhookKey`]) is a
//! secret: its `Debug` shows `[redacted]`, and errors from these calls
//! quote nothing of a response body. With the `webhooks` feature,
//! `WebhookSecret::from_key(&webhook.key)` gives the verifier's secret.

use std::fmt;
use std::str::FromStr;

use quo_api::types::{
    CallSummaryWebhookEvent, CallTranscriptWebhookEvent, CallWebhookEvent, MessageWebhookEvent,
    NewCallSummaryWebhook, NewCallTranscriptWebhook, NewCallWebhook, NewMessageWebhook,
    NewWebhookStatus, Webhook,
};

pub use quo_api::WebhookKey;

use crate::client::QuoClient;
use crate::error::{Error, Result, quote_short};
use crate::resources::input;

impl QuoClient {
    /// The webhook subscription operations.
    #[must_use]
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

/// The webhook subscription operations of a [`QuoClient`], from
/// [`QuoClient::webhooks`].
#[derive(Clone, Copy)]
pub struct Webhooks<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Webhooks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks").finish_non_exhaustive()
    }
}

/// A webhook to create, for the events `E` of one family.
///
/// ```
/// use quo_api_ext::raw::types::MessageWebhookEvent;
/// use quo_api_ext::webhook_subscriptions::WebhookDraft;
///
/// let draft = WebhookDraft::new("https://example.com/quo", [MessageWebhookEvent::MessageReceived])
///     .label("inbound texts")
///     .resource_ids(["PN123abc"]);
/// // Or by name, checked against the family when it is created:
/// let by_name = WebhookDraft::<MessageWebhookEvent>::named("https://example.com/quo", ["message.delivered"]);
/// # let _ = (draft, by_name);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct WebhookDraft<E> {
    url: String,
    events: Vec<E>,
    named: Vec<String>,
    label: Option<String>,
    resource_ids: Vec<String>,
    user_id: Option<String>,
    disabled: bool,
}

impl<E: FromStr + Clone> WebhookDraft<E> {
    /// A webhook calling `url` (an absolute `https` URL) for these events.
    pub fn new(url: impl Into<String>, events: impl IntoIterator<Item = E>) -> Self {
        Self {
            url: url.into(),
            events: events.into_iter().collect(),
            named: Vec::new(),
            label: None,
            resource_ids: Vec::new(),
            user_id: None,
            disabled: false,
        }
    }

    /// A webhook for events given by their names (`"message.received"`);
    /// a name of another family is refused when it is created.
    pub fn named(
        url: impl Into<String>,
        events: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut draft = Self::new(url, []);
        draft.named = events.into_iter().map(Into::into).collect();
        draft
    }

    /// A label to recognise it by.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Only events of these workspace numbers (`PN...`), or `"*"` for all.
    pub fn resource_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.resource_ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Creates it on behalf of this user (`US...`).
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// Creates it disabled (it is enabled by default).
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }

    /// The events, typed, and every other field checked.
    ///
    /// The URL must be https although the spec takes any URI: deliveries
    /// carry customers' messages and calls, which plain http would expose.
    fn checked(&self) -> Result<Vec<E>> {
        let url = url::Url::parse(&self.url).ok();
        if url.as_ref().is_none_or(|u| u.scheme() != "https") {
            return Err(Error::InvalidInput {
                field: "url",
                message: format!("{:?} is not an absolute https URL", quote_short(&self.url)),
            });
        }
        let mut events = self.events.clone();
        for name in &self.named {
            let event = E::from_str(name).map_err(|_| Error::InvalidInput {
                field: "events",
                message: format!(
                    "{:?} is not an event of this webhook's family",
                    quote_short(name)
                ),
            })?;
            events.push(event);
        }
        if events.is_empty() {
            return Err(Error::InvalidInput {
                field: "events",
                message: "a webhook needs at least one event".into(),
            });
        }
        for id in &self.resource_ids {
            if id != "*" {
                input::prefixed_id("resource_ids", id, "PN")?;
            }
        }
        if let Some(user_id) = &self.user_id {
            input::prefixed_id("user_id", user_id, "US")?;
        }
        Ok(events)
    }

    fn status(&self) -> Option<NewWebhookStatus> {
        self.disabled.then_some(NewWebhookStatus::Disabled)
    }
}

/// Builds one family's request body from a checked draft: the four
/// families' bodies have the same fields and differ only in event type.
macro_rules! family_body {
    ($body:ident, $draft:expr) => {{
        let draft = $draft;
        $body {
            events: draft.checked()?,
            label: draft.label.clone(),
            resource_ids: draft.resource_ids.clone(),
            status: draft.status(),
            url: draft.url.clone(),
            user_id: draft.user_id.clone(),
        }
    }};
}

impl Webhooks<'_> {
    /// Every webhook of the workspace, or only one user's (`US...`).
    pub async fn list(&self, user_id: Option<&str>) -> Result<Vec<Webhook>> {
        if let Some(user_id) = user_id {
            input::prefixed_id("user_id", user_id, "US")?;
        }
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.list_webhooks_v1(user_id).await })
            .await
            .map_err(withhold_bodies)?
            .data)
    }

    /// One webhook by id.
    pub async fn get(&self, id: &str) -> Result<Webhook> {
        input::path_id("webhook_id", id)?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_webhook_by_id_v1(id).await })
            .await
            .map_err(withhold_bodies)?
            .data)
    }

    /// Deletes a webhook. A 404 after an earlier attempt that may have
    /// deleted it is [`Error::MaybeDeleted`], not a plain not-found.
    pub async fn delete(&self, id: &str) -> Result<()> {
        input::path_id("webhook_id", id)?;
        let client = self.client;
        client
            .call(|raw| async move { raw.delete_webhook_by_id_v1(id).await })
            .await
            .map_err(withhold_bodies)
    }

    /// Creates a webhook for message events. Not retried by default (a
    /// timeout says it may have been created).
    pub async fn create_for_messages(
        &self,
        draft: WebhookDraft<MessageWebhookEvent>,
    ) -> Result<Webhook> {
        let body = family_body!(NewMessageWebhook, &draft);
        let client = self.client;
        created(
            client
                .call(|raw| async move { raw.create_message_webhook_v1(&body).await })
                .await,
        )
    }

    /// Creates a webhook for call events.
    pub async fn create_for_calls(&self, draft: WebhookDraft<CallWebhookEvent>) -> Result<Webhook> {
        let body = family_body!(NewCallWebhook, &draft);
        let client = self.client;
        created(
            client
                .call(|raw| async move { raw.create_call_webhook_v1(&body).await })
                .await,
        )
    }

    /// Creates a webhook for call summary events.
    pub async fn create_for_call_summaries(
        &self,
        draft: WebhookDraft<CallSummaryWebhookEvent>,
    ) -> Result<Webhook> {
        let body = family_body!(NewCallSummaryWebhook, &draft);
        let client = self.client;
        created(
            client
                .call(|raw| async move { raw.create_call_summary_webhook_v1(&body).await })
                .await,
        )
    }

    /// Creates a webhook for call transcript events.
    pub async fn create_for_call_transcripts(
        &self,
        draft: WebhookDraft<CallTranscriptWebhookEvent>,
    ) -> Result<Webhook> {
        let body = family_body!(NewCallTranscriptWebhook, &draft);
        let client = self.client;
        created(
            client
                .call(|raw| async move { raw.create_call_transcript_webhook_v1(&body).await })
                .await,
        )
    }
}

fn created(answer: Result<quo_api::types::WebhookResponse>) -> Result<Webhook> {
    answer.map(|created| created.data).map_err(|e| {
        withhold_bodies(e).maybe_applied(
            "the webhook may have been created: list the webhooks before creating it again",
        )
    })
}

/// What replaces a quote of a webhook response in an error.
const WITHHELD: &str = "[withheld: webhook responses carry signing keys]";

/// The error without any quote of a response body: a webhook's answer
/// holds its signing key (`key`), and an error is often logged whole. The
/// decoder's message goes too, since it may quote the offending value; the
/// JSON path of the field stays.
fn withhold_bodies(error: Error) -> Error {
    let withhold = |service: &mut crate::ServiceError| {
        if service.body_excerpt.is_some() {
            service.body_excerpt = Some(WITHHELD.to_owned());
        }
    };
    match error {
        Error::Decode {
            status,
            path,
            message: _,
            excerpt: _,
        } => Error::Decode {
            status,
            path,
            message: WITHHELD.to_owned(),
            excerpt: String::new(),
        },
        Error::Api(mut service) => {
            withhold(&mut service);
            Error::Api(service)
        }
        Error::RateLimited {
            retry_after,
            mut error,
        } => {
            withhold(&mut error);
            Error::RateLimited { retry_after, error }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::WebhookDraft;
    use crate::error::Error;
    use quo_api::types::{CallWebhookEvent, MessageWebhookEvent};

    fn refused<E: std::str::FromStr + Clone>(draft: WebhookDraft<E>) -> &'static str {
        match draft.checked() {
            Err(Error::InvalidInput { field, .. }) => field,
            Err(other) => panic!("expected InvalidInput, got {other:?}"),
            Ok(_) => panic!("expected InvalidInput, got Ok"),
        }
    }

    #[test]
    fn events_of_another_family_and_bad_fields_are_refused() {
        let url = "https://example.com/hook";
        let named = WebhookDraft::<MessageWebhookEvent>::named(url, ["message.received"]);
        assert_eq!(
            named.checked().unwrap(),
            [MessageWebhookEvent::MessageReceived]
        );
        assert_eq!(
            refused(WebhookDraft::<MessageWebhookEvent>::named(
                url,
                ["call.completed"]
            )),
            "events"
        );
        assert_eq!(
            refused(WebhookDraft::<CallWebhookEvent>::new(url, [])),
            "events"
        );
        assert_eq!(
            refused(WebhookDraft::new(
                "http://example.com",
                [CallWebhookEvent::CallCompleted]
            )),
            "url"
        );
        assert_eq!(
            refused(WebhookDraft::new(
                "not a url",
                [CallWebhookEvent::CallCompleted]
            )),
            "url"
        );
        let draft = || WebhookDraft::new(url, [CallWebhookEvent::CallRinging]);
        assert_eq!(refused(draft().resource_ids(["US1"])), "resource_ids");
        assert!(draft().resource_ids(["*", "PN1"]).checked().is_ok());
        assert_eq!(refused(draft().user_id("x")), "user_id");
    }
}
