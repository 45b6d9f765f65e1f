//! Webhook subscriptions (Quo's legacy webhooks): list, read, create and
//! delete.
//!
//! Start from [`QuoClient::webhook_subscriptions`]. What `/v1/webhooks`
//! creates is what Quo's docs call *legacy* webhooks: their deliveries carry
//! an `openphone-signature` header, signed with the subscription's
//! [`key`](Webhook::key). (Webhooks made with Quo's newer, dated webhook API
//! sign with Standard Webhooks headers and a `whsec_` key; this client does
//! not create those.) Checking deliveries is the job of the
//! [`webhooks`](crate::webhooks) module (feature `webhooks`), which verifies
//! both kinds.
//!
//! Quo has one create endpoint per event family (messages, calls, call
//! summaries, call transcripts); [`create`](WebhookSubscriptions::create)
//! picks it from the events of the [`WebhookDraft`], and refuses a draft
//! that mixes families (one subscription per family, as Quo requires).
//!
//! A subscription's signing key ([`Webhook::key`], a [`WebhookKey`]) is a
//! secret: its `Debug` shows `[redacted]`, and errors from these calls
//! quote nothing of a response body. With the `webhooks` feature,
//! `WebhookSecret::from_key(&webhook.key)` gives the verifier's secret.

use std::fmt;
use std::str::FromStr;

use quo_api::types::{
    CallSummaryWebhookEvent, CallTranscriptWebhookEvent, CallWebhookEvent, MessageWebhookEvent,
    NewCallSummaryWebhook, NewCallTranscriptWebhook, NewCallWebhook, NewMessageWebhook,
    NewWebhookStatus,
};

pub use quo_api::WebhookKey;
pub use quo_api::types::{Webhook, WebhookEvent, WebhookStatus};

use crate::client::QuoClient;
use crate::error::{Error, Result, quote_short};
use crate::resources::input;
use crate::resources::list::{List, UserFilter, WholeList};

impl QuoClient {
    /// The webhook subscription operations (Quo's legacy webhooks, made
    /// with `/v1/webhooks`). Verifying deliveries is
    /// [`webhooks::Verifier`](crate::webhooks)'s job.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let subscriptions = client.webhook_subscriptions().list().collect_all().await?;
    /// println!("{} subscriptions", subscriptions.len());
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn webhook_subscriptions(&self) -> WebhookSubscriptions<'_> {
        WebhookSubscriptions { client: self }
    }
}

/// The webhook subscription operations of a [`QuoClient`], from
/// [`QuoClient::webhook_subscriptions`].
#[derive(Clone, Copy)]
pub struct WebhookSubscriptions<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for WebhookSubscriptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSubscriptions")
            .finish_non_exhaustive()
    }
}

/// The event families Quo creates subscriptions for, one endpoint each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Messages,
    Calls,
    CallSummaries,
    CallTranscripts,
}

impl Family {
    /// The family of an event, or `None` for events no `/v1/webhooks`
    /// endpoint subscribes to (contact events).
    fn of(event: &WebhookEvent) -> Option<Family> {
        match event {
            WebhookEvent::MessageReceived | WebhookEvent::MessageDelivered => {
                Some(Family::Messages)
            }
            WebhookEvent::CallCompleted
            | WebhookEvent::CallRinging
            | WebhookEvent::CallRecordingCompleted => Some(Family::Calls),
            WebhookEvent::CallSummaryCompleted => Some(Family::CallSummaries),
            WebhookEvent::CallTranscriptCompleted => Some(Family::CallTranscripts),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::Messages => "message",
            Family::Calls => "call",
            Family::CallSummaries => "call summary",
            Family::CallTranscripts => "call transcript",
        }
    }
}

/// A webhook subscription to create: the URL Quo delivers to and the events
/// it delivers, all of one family.
///
/// ```
/// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
///
/// let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::MessageReceived])
///     .label("inbound texts")
///     .resource_ids(["PN123abc"]);
/// // Or by name, checked when it is created:
/// let by_name = WebhookDraft::named("https://example.com/quo", ["call.completed", "call.ringing"]);
/// # let _ = (draft, by_name);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct WebhookDraft {
    url: String,
    events: Vec<WebhookEvent>,
    named: Vec<String>,
    label: Option<String>,
    resource_ids: Vec<String>,
    user_id: Option<String>,
    disabled: bool,
}

impl WebhookDraft {
    /// A subscription calling `url` (an absolute `https` URL) for these events.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
    ///
    /// let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::MessageReceived]);
    /// let subscription = client.webhook_subscriptions().create(draft).await?;
    /// println!("{}", subscription.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(url: impl Into<String>, events: impl IntoIterator<Item = WebhookEvent>) -> Self {
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

    /// A subscription for events given by name (`message.received`, ...),
    /// checked when it is created.
    ///
    /// ```
    /// use quo_api_ext::webhook_subscriptions::WebhookDraft;
    ///
    /// // Names read from configuration, checked when the subscription is created.
    /// let draft = WebhookDraft::named("https://example.com/quo", ["call.summary.completed"]);
    /// # let _ = draft;
    /// ```
    pub fn named(
        url: impl Into<String>,
        events: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut draft = Self::new(url, []);
        draft.named = events.into_iter().map(Into::into).collect();
        draft
    }

    /// A label to recognise it by.
    ///
    /// ```
    /// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
    ///
    /// let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::CallCompleted]).label("call log");
    /// # let _ = draft;
    /// ```
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Only events of these workspace numbers (`PN...`), or `"*"` for all.
    ///
    /// ```
    /// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
    ///
    /// let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::MessageReceived])
    ///     .resource_ids(["PN123abc", "PN456def"]);
    /// # let _ = draft;
    /// ```
    pub fn resource_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.resource_ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Creates it on behalf of this user (`US...`).
    ///
    /// ```
    /// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
    ///
    /// let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::CallRinging]).user_id("US123abc");
    /// # let _ = draft;
    /// ```
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// Creates it disabled (it is enabled by default).
    ///
    /// ```
    /// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
    ///
    /// // Created now, enabled once the receiver is deployed.
    /// let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::MessageDelivered]).disabled();
    /// # let _ = draft;
    /// ```
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }

    /// The events with their one family, every other field checked.
    ///
    /// The URL must be https although the spec takes any URI: deliveries
    /// carry customers' messages and calls, which plain http would expose.
    fn checked(&self) -> Result<(Family, Vec<WebhookEvent>)> {
        let url = url::Url::parse(&self.url).ok();
        if url.as_ref().is_none_or(|u| u.scheme() != "https") {
            return Err(Error::InvalidInput {
                field: "url",
                message: format!("{:?} is not an absolute https URL", quote_short(&self.url)),
            });
        }
        let mut events = self.events.clone();
        for name in &self.named {
            let event = WebhookEvent::from_str(name).map_err(|_| Error::InvalidInput {
                field: "events",
                message: format!("{:?} is not a webhook event", quote_short(name)),
            })?;
            events.push(event);
        }
        let mut family = None;
        for event in &events {
            let Some(this) = Family::of(event) else {
                return Err(Error::InvalidInput {
                    field: "events",
                    message: format!("no /v1/webhooks subscription delivers `{event}`"),
                });
            };
            match family {
                Some(first) if first != this => {
                    return Err(Error::InvalidInput {
                        field: "events",
                        message: format!(
                            "Quo subscribes to one family of events per webhook: {} and {} \
                             events need a subscription each",
                            Family::name(first),
                            this.name()
                        ),
                    });
                }
                _ => family = Some(this),
            }
        }
        let Some(family) = family else {
            return Err(Error::InvalidInput {
                field: "events",
                message: "a webhook needs at least one event".into(),
            });
        };
        for id in &self.resource_ids {
            if id != "*" {
                input::prefixed_id("resource_ids", id, "PN")?;
            }
        }
        input::optional_user_id(self.user_id.as_deref())?;
        Ok((family, events))
    }

    fn status(&self) -> Option<NewWebhookStatus> {
        self.disabled.then_some(NewWebhookStatus::Disabled)
    }

    /// One family's request body: the four families' bodies have the same
    /// fields and differ only in their event type.
    fn body<B, E>(
        &self,
        events: &[WebhookEvent],
        make: impl FnOnce(BodyFields<E>) -> B,
    ) -> Result<B>
    where
        E: FromStr,
    {
        let events = events
            .iter()
            .map(|event| {
                E::from_str(&event.to_string()).map_err(|_| Error::InvalidInput {
                    field: "events",
                    message: format!("`{event}` is not an event of its family's endpoint"),
                })
            })
            .collect::<Result<Vec<E>>>()?;
        Ok(make(BodyFields {
            events,
            label: self.label.clone(),
            resource_ids: self.resource_ids.clone(),
            status: self.status(),
            url: self.url.clone(),
            user_id: self.user_id.clone(),
        }))
    }
}

/// The fields every family's create body has.
struct BodyFields<E> {
    events: Vec<E>,
    label: Option<String>,
    resource_ids: Vec<String>,
    status: Option<NewWebhookStatus>,
    url: String,
    user_id: Option<String>,
}

/// Builds a family's generated body from the shared fields.
macro_rules! family_body {
    ($body:ident) => {
        |f: BodyFields<_>| $body {
            events: f.events,
            label: f.label,
            resource_ids: f.resource_ids,
            status: f.status,
            url: f.url,
            user_id: f.user_id,
        }
    };
}

impl WebhookSubscriptions<'_> {
    /// Every webhook subscription of the workspace, or with
    /// [`user_id`](List::user_id) only one user's (`US...`). Quo answers
    /// them in one list, walked as one page.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// for webhook in client.webhook_subscriptions().list().collect_all().await? {
    ///     println!("{} {} {:?}", webhook.id, webhook.url, webhook.events);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> WebhookSubscriptionList {
        List::new(self.client, WebhookSubscriptionQuery::default())
    }

    /// One webhook subscription by id.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let webhook = client.webhook_subscriptions().get("WHabcd1234").await?;
    /// println!("{} delivers to {}", webhook.id, webhook.url);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Webhook> {
        input::prefixed_id("webhook_id", id, "WH")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_webhook_by_id_v1(id).await })
            .await
            .map_err(withhold_bodies)?
            .data)
    }

    /// Deletes a webhook subscription. A 404 after an earlier attempt that
    /// may have deleted it is [`Error::MaybeDeleted`], not a plain not-found.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.webhook_subscriptions().delete("WHabcd1234").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete(&self, id: &str) -> Result<()> {
        input::prefixed_id("webhook_id", id, "WH")?;
        let client = self.client;
        client
            .call(|raw| async move { raw.delete_webhook_by_id_v1(id).await })
            .await
            .map_err(withhold_bodies)
    }

    /// Creates a webhook subscription at the endpoint of its events' family
    /// (messages, calls, call summaries or call transcripts) and returns it
    /// as Quo stored it, with its signing [`key`](Webhook::key).
    ///
    /// Events of several families, contact events (no `/v1/webhooks`
    /// endpoint delivers them), a URL that is not https, or ids that are not
    /// ids are [`Error::InvalidInput`] with nothing sent. Not retried by
    /// default: after a timeout the subscription may have been created, and
    /// the error says so.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
    ///
    /// let webhook = client
    ///     .webhook_subscriptions()
    ///     .create(WebhookDraft::new("https://example.com/quo", [WebhookEvent::CallCompleted]))
    ///     .await?;
    /// // Keep the key to verify deliveries (feature `webhooks`):
    /// let secret = quo_api_ext::webhooks::WebhookSecret::from_key(&webhook.key)?;
    /// # let _ = secret;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create(&self, draft: WebhookDraft) -> Result<Webhook> {
        let (family, events) = draft.checked()?;
        let client = self.client;
        let answer = match family {
            Family::Messages => {
                let body = draft
                    .body::<_, MessageWebhookEvent>(&events, family_body!(NewMessageWebhook))?;
                client
                    .call(|raw| async move { raw.create_message_webhook_v1(&body).await })
                    .await
            }
            Family::Calls => {
                let body =
                    draft.body::<_, CallWebhookEvent>(&events, family_body!(NewCallWebhook))?;
                client
                    .call(|raw| async move { raw.create_call_webhook_v1(&body).await })
                    .await
            }
            Family::CallSummaries => {
                let body = draft.body::<_, CallSummaryWebhookEvent>(
                    &events,
                    family_body!(NewCallSummaryWebhook),
                )?;
                client
                    .call(|raw| async move { raw.create_call_summary_webhook_v1(&body).await })
                    .await
            }
            Family::CallTranscripts => {
                let body = draft.body::<_, CallTranscriptWebhookEvent>(
                    &events,
                    family_body!(NewCallTranscriptWebhook),
                )?;
                client
                    .call(|raw| async move { raw.create_call_transcript_webhook_v1(&body).await })
                    .await
            }
        };
        answer.map(|created| created.data).map_err(|e| {
            withhold_bodies(e).maybe_applied(
                "the webhook may have been created: list the webhooks before creating it again",
            )
        })
    }
}

/// A listing of webhook subscriptions, from [`WebhookSubscriptions::list`].
pub type WebhookSubscriptionList = List<WebhookSubscriptionQuery>;

/// The webhook subscription listing's query: optionally one user's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookSubscriptionQuery {
    user_id: Option<String>,
}

impl UserFilter for WebhookSubscriptionQuery {
    fn user_filter(&mut self) -> &mut Option<String> {
        &mut self.user_id
    }
}

impl WholeList for WebhookSubscriptionQuery {
    type Item = Webhook;

    fn check(&self) -> Result<()> {
        input::optional_user_id(self.user_id.as_deref())
    }

    async fn fetch_all(&self, client: &QuoClient) -> Result<Vec<Self::Item>> {
        let user_id = self.user_id.as_deref();
        let list = client
            .call(|raw| async move { raw.list_webhooks_v1(user_id).await })
            .await
            .map_err(withhold_bodies)?;
        Ok(list.data)
    }
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
    use super::*;

    fn refused(draft: WebhookDraft) -> &'static str {
        match draft.checked() {
            Err(Error::InvalidInput { field, .. }) => field,
            Err(other) => panic!("expected InvalidInput, got {other:?}"),
            Ok(_) => panic!("expected InvalidInput, got Ok"),
        }
    }

    #[test]
    fn the_family_follows_the_events_and_mixed_families_are_refused() {
        let url = "https://example.com/hook";
        let (family, events) = WebhookDraft::named(url, ["message.received"])
            .checked()
            .unwrap();
        assert_eq!(family, Family::Messages);
        assert_eq!(events, [WebhookEvent::MessageReceived]);
        let calls = WebhookDraft::new(
            url,
            [
                WebhookEvent::CallRinging,
                WebhookEvent::CallRecordingCompleted,
            ],
        );
        assert_eq!(calls.checked().unwrap().0, Family::Calls);
        let summaries = WebhookDraft::named(url, ["call.summary.completed"]);
        assert_eq!(summaries.checked().unwrap().0, Family::CallSummaries);
        assert_eq!(
            refused(WebhookDraft::named(
                url,
                ["message.received", "call.completed"]
            )),
            "events"
        );
        assert_eq!(
            refused(WebhookDraft::named(url, ["contact.updated"])),
            "events"
        );
        assert_eq!(
            refused(WebhookDraft::named(url, ["call.exploded"])),
            "events"
        );
        assert_eq!(refused(WebhookDraft::new(url, [])), "events");
    }

    #[test]
    fn bad_fields_are_refused() {
        let url = "https://example.com/hook";
        assert_eq!(
            refused(WebhookDraft::new(
                "http://example.com",
                [WebhookEvent::CallCompleted]
            )),
            "url"
        );
        assert_eq!(
            refused(WebhookDraft::new(
                "not a url",
                [WebhookEvent::CallCompleted]
            )),
            "url"
        );
        let draft = || WebhookDraft::new(url, [WebhookEvent::CallRinging]);
        assert_eq!(refused(draft().resource_ids(["US1"])), "resource_ids");
        assert!(draft().resource_ids(["*", "PN1"]).checked().is_ok());
        assert_eq!(refused(draft().user_id("x")), "user_id");
    }
}
