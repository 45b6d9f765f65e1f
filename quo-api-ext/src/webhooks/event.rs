//! Decoding a delivery's body into an event, without ever losing it.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::WebhookError;
use super::payloads::{CallData, CallSummaryData, CallTranscriptData, ContactData, MessageData};

/// Which of Quo's two envelopes a delivery came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopeFormat {
    /// `{id, object: "event", apiVersion, createdAt, type, data: {object}}`:
    /// legacy webhooks (`apiVersion` `v1` to `v4`).
    Object,
    /// `{id, apiVersion, createdAt, type, data: {resource, context, links}}`:
    /// webhooks of the newer webhook API (`apiVersion` such as `2026-03-30`).
    Resource,
}

/// One decoded event: the envelope's fields, the typed resource, and the
/// whole delivery as raw JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Envelope<T> {
    /// The event's id (`EV...`): the same across retries and payload
    /// versions. (To deduplicate deliveries, use `webhook-id`.)
    pub id: Option<String>,
    /// The event type as sent, e.g. `message.received`.
    pub event_type: String,
    /// The payload version, e.g. `v3` or `2026-03-30`.
    pub api_version: Option<String>,
    /// When the event happened (not when it was sent).
    pub created_at: Option<DateTime<Utc>>,
    /// Which envelope it came in.
    pub format: EnvelopeFormat,
    /// The typed resource: `data.object` or `data.resource`.
    pub resource: T,
    /// `data.context` (newer envelope): the phone number, conversation,
    /// matched contacts and participants around the resource, as raw JSON.
    pub context: Option<Value>,
    /// `data.links` (newer envelope), e.g. `{"quo": "https://my.quo.com/..."}`.
    pub links: Option<Value>,
    /// The whole delivery as received, for every field not typed here.
    pub raw: Value,
}

impl<T> Envelope<T> {
    /// The resource as raw JSON (`data.object` or `data.resource`).
    #[must_use]
    pub fn resource_raw(&self) -> Option<&Value> {
        let data = self.raw.get("data")?;
        match self.format {
            EnvelopeFormat::Object => data.get("object"),
            EnvelopeFormat::Resource => data.get("resource"),
        }
    }

    /// The link to the resource in the Quo app (`data.links.quo`), if sent.
    #[must_use]
    pub fn quo_link(&self) -> Option<&str> {
        self.links.as_ref()?.get("quo")?.as_str()
    }
}

macro_rules! events {
    ($( $(#[$doc:meta])* $variant:ident($data:ty) = $name:literal, )*) => {
        /// A webhook event, by type.
        ///
        /// Each type Quo documents is a variant holding an [`Envelope`] with
        /// its typed resource. A type this SDK does not know, or a payload
        /// that does not fit its type's shape, is [`Event::Unknown`] with the
        /// whole delivery kept, so nothing authentic is ever lost; new
        /// variants may be added, hence `#[non_exhaustive]`.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            $( $(#[$doc])* $variant(Envelope<$data>), )*
            /// An event of a type not listed here, or one that did not decode
            /// as its type.
            Unknown {
                /// The event type as sent (empty if there was none).
                event_type: String,
                /// The whole delivery as received.
                raw: Value,
                /// Why a known type did not decode (naming the field), or why
                /// there is no type; `None` for a type this SDK does not know.
                reason: Option<String>,
            },
        }

        impl Event {
            /// Every event type with a variant of its own.
            pub const KNOWN_TYPES: &'static [&'static str] = &[$($name),*];

            /// Decodes a known type's envelope; the reason it failed otherwise.
            fn decode_known(event_type: String, raw: Value) -> Event {
                match canonical(&event_type) {
                    $( $name => match envelope::<$data>(&raw) {
                        Ok(parts) => Event::$variant(parts.into_envelope(event_type, raw)),
                        Err(reason) => Event::Unknown { event_type, raw, reason: Some(reason) },
                    }, )*
                    _ => Event::Unknown { event_type, raw, reason: None },
                }
            }

            /// The envelope's common fields, for every variant but `Unknown`.
            fn common(&self) -> Option<Common<'_>> {
                match self {
                    $( Event::$variant(e) => Some(Common {
                        id: e.id.as_deref(),
                        event_type: &e.event_type,
                        created_at: e.created_at,
                        raw: &e.raw,
                    }), )*
                    Event::Unknown { .. } => None,
                }
            }

            /// The whole delivery as received.
            #[must_use]
            pub fn into_raw(self) -> Value {
                match self {
                    $( Event::$variant(e) => e.raw, )*
                    Event::Unknown { raw, .. } => raw,
                }
            }
        }
    };
}

events! {
    /// `message.received`: a message came in to a Quo number.
    MessageReceived(MessageData) = "message.received",
    /// `message.delivered`: an outgoing message was delivered.
    MessageDelivered(MessageData) = "message.delivered",
    /// `message.failed`: an outgoing message could not be delivered.
    MessageFailed(MessageData) = "message.failed",
    /// `call.ringing`: a call started ringing.
    CallRinging(CallData) = "call.ringing",
    /// `call.answered`: a call was connected.
    CallAnswered(CallData) = "call.answered",
    /// `call.completed`: a call ended.
    CallCompleted(CallData) = "call.completed",
    /// `call.forwarded`: an incoming call was forwarded.
    CallForwarded(CallData) = "call.forwarded",
    /// `call.missed`: an incoming call ended unanswered.
    CallMissed(CallData) = "call.missed",
    /// `call.recording.completed`: a call's recording is ready.
    CallRecordingCompleted(CallData) = "call.recording.completed",
    /// `call.summary.completed` (`callSummary` in Quo's older samples): a
    /// call's summary is ready.
    CallSummaryCompleted(CallSummaryData) = "call.summary.completed",
    /// `call.transcript.completed` (`callTranscript` in Quo's older samples):
    /// a call's transcript is ready.
    CallTranscriptCompleted(CallTranscriptData) = "call.transcript.completed",
    /// `call.voicemail.completed`: a voicemail was left and processed.
    CallVoicemailCompleted(CallData) = "call.voicemail.completed",
    /// `contact.updated`: a contact was created or changed.
    ContactUpdated(ContactData) = "contact.updated",
    /// `contact.deleted`: a contact was deleted.
    ContactDeleted(ContactData) = "contact.deleted",
}

/// Quo's legacy payload guide shows two types under other names.
fn canonical(event_type: &str) -> &str {
    match event_type {
        "callSummary" => "call.summary.completed",
        "callTranscript" => "call.transcript.completed",
        other => other,
    }
}

struct Common<'a> {
    id: Option<&'a str>,
    event_type: &'a str,
    created_at: Option<DateTime<Utc>>,
    raw: &'a Value,
}

impl Event {
    /// Decodes a delivery's body. Never fails on JSON: an event that does not
    /// decode as its type is [`Event::Unknown`] with the reason. Only a body
    /// that is not JSON is an error ([`WebhookError::InvalidJson`]).
    pub fn from_slice(body: &[u8]) -> Result<Event, WebhookError> {
        serde_json::from_slice(body)
            .map(Event::from_value)
            .map_err(|e| WebhookError::InvalidJson {
                message: e.to_string(),
            })
    }

    /// Decodes an already parsed delivery; every JSON value is some event.
    #[must_use]
    pub fn from_value(raw: Value) -> Event {
        match raw.get("type") {
            Some(Value::String(event_type)) => Event::decode_known(event_type.clone(), raw),
            Some(_) => Event::Unknown {
                event_type: String::new(),
                raw,
                reason: Some("`type` is not a string".to_owned()),
            },
            None => Event::Unknown {
                event_type: String::new(),
                raw,
                reason: Some("no `type`: not a Quo event envelope".to_owned()),
            },
        }
    }

    /// The event type as sent, e.g. `message.received` (empty if none).
    #[must_use]
    pub fn event_type(&self) -> &str {
        match (self.common(), self) {
            (Some(common), _) => common.event_type,
            (None, Event::Unknown { event_type, .. }) => event_type,
            (None, _) => "",
        }
    }

    /// The event's id (`EV...`), if it has one.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        match self.common() {
            Some(common) => common.id,
            None => self.raw().get("id")?.as_str(),
        }
    }

    /// When the event happened, if the delivery says so.
    #[must_use]
    pub fn created_at(&self) -> Option<DateTime<Utc>> {
        match self.common() {
            Some(common) => common.created_at,
            None => {
                let text = self.raw().get("createdAt")?.as_str()?;
                DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(|t| t.with_timezone(&Utc))
            }
        }
    }

    /// The whole delivery as received.
    #[must_use]
    pub fn raw(&self) -> &Value {
        static NULL: Value = Value::Null;
        match (self.common(), self) {
            (Some(common), _) => common.raw,
            (None, Event::Unknown { raw, .. }) => raw,
            (None, _) => &NULL,
        }
    }

    /// Why this event is [`Unknown`](Event::Unknown) although its type is
    /// known, or has no type; `None` for every other event.
    #[must_use]
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Event::Unknown { reason, .. } => reason.as_deref(),
            _ => None,
        }
    }
}

/// An envelope decoded, before its type and raw JSON are added.
struct Parts<T> {
    id: Option<String>,
    api_version: Option<String>,
    created_at: Option<DateTime<Utc>>,
    format: EnvelopeFormat,
    resource: T,
    context: Option<Value>,
    links: Option<Value>,
}

impl<T> Parts<T> {
    fn into_envelope(self, event_type: String, raw: Value) -> Envelope<T> {
        Envelope {
            id: self.id,
            event_type,
            api_version: self.api_version,
            created_at: self.created_at,
            format: self.format,
            resource: self.resource,
            context: self.context,
            links: self.links,
            raw,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnvelopeWire<T> {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    data: DataWire<T>,
}

#[derive(Deserialize)]
struct DataWire<T> {
    #[serde(default = "none")]
    object: Option<T>,
    #[serde(default = "none")]
    resource: Option<T>,
    #[serde(default)]
    context: Option<Value>,
    #[serde(default)]
    links: Option<Value>,
}

fn none<T>() -> Option<T> {
    None
}

/// The envelope of `raw` with a `T` resource, or why not (naming the field).
fn envelope<T: DeserializeOwned>(raw: &Value) -> Result<Parts<T>, String> {
    let wire: EnvelopeWire<T> = serde_path_to_error::deserialize(raw).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.into_inner().to_string()
        } else {
            format!("at `{path}`: {}", e.into_inner())
        }
    })?;
    let data = wire.data;
    let (format, resource) = match (data.object, data.resource) {
        (Some(object), _) => (EnvelopeFormat::Object, object),
        (None, Some(resource)) => (EnvelopeFormat::Resource, resource),
        (None, None) => return Err("`data` has neither `object` nor `resource`".to_owned()),
    };
    Ok(Parts {
        id: wire.id,
        api_version: wire.api_version,
        created_at: wire.created_at,
        format,
        resource,
        context: data.context,
        links: data.links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn any_json_is_some_event_and_only_non_json_is_an_error() {
        for value in [json!(null), json!(3), json!("x"), json!([]), json!({})] {
            let event = Event::from_value(value.clone());
            assert!(event.unknown_reason().is_some(), "{value}");
            assert_eq!(event.raw(), &value);
            assert_eq!(event.event_type(), "");
        }
        assert!(matches!(
            Event::from_slice(b"{\"type\": "),
            Err(WebhookError::InvalidJson { .. })
        ));
        let typed = json!({"type": 7, "data": {}});
        assert_eq!(
            Event::from_value(typed).unknown_reason(),
            Some("`type` is not a string")
        );
    }

    #[test]
    fn data_object_wins_over_data_resource_when_both_are_sent() {
        let event = Event::from_value(json!({
            "type": "contact.deleted",
            "data": {"object": {"id": "old"}, "resource": {"id": "new"}},
        }));
        let Event::ContactDeleted(e) = event else {
            panic!("{event:?}")
        };
        assert_eq!(e.format, EnvelopeFormat::Object);
        assert_eq!(e.resource.id.as_deref(), Some("old"));
        assert_eq!(e.resource_raw(), Some(&json!({"id": "old"})));
    }

    #[test]
    fn reasons_name_the_field_that_did_not_decode() {
        let event = Event::from_value(json!({
            "type": "call.transcript.completed",
            "data": {"object": {"dialogue": [{"start": 1}, {"start": "late"}]}},
        }));
        let reason = event.unknown_reason().unwrap();
        assert!(reason.contains("data.object.dialogue[1].start"), "{reason}");
    }
}
