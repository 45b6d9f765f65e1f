//! Signed webhook deliveries from the demo server, so a receiver can be
//! tried end to end without Quo.
//!
//! [`DemoServer::deliver_webhook`] builds an event about the demo dataset,
//! signs it with the secret given (the scheme of the secret decides both the
//! headers and the envelope: Standard Webhooks deliveries use Quo's newer
//! `2026-03-30` envelope, legacy ones the `v1`-era `data.object` envelope)
//! and POSTs it to a loopback URL, as Quo would. Only compiled with the
//! `testing` and `webhooks` features.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::dataset::Dataset;
use super::prng::mix64;
use super::server::DemoServer;
use crate::webhooks::{EnvelopeFormat, Event, Scheme, SignedHeaders, WebhookSecret, sign};
use crate::{Error, Result};

/// The Quo number the demo events go through.
pub const DEMO_QUO_NUMBER: &str = "+15555550100";
/// How long [`DemoServer::deliver_webhook`] waits for the receiver.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Numbers deliveries, so each has its own ids.
static DELIVERIES: AtomicU64 = AtomicU64::new(1);

/// One delivery the demo server made, and the receiver's answer.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The event type delivered.
    pub event_type: String,
    /// The body exactly as sent.
    pub body: Vec<u8>,
    /// The signature headers sent with it.
    pub headers: SignedHeaders,
    /// The status the receiver answered.
    pub status: u16,
}

impl DemoServer {
    /// Delivers one `event_type` event about this server's dataset to `url`,
    /// signed with `secret`, and returns what was sent and the answer.
    ///
    /// `url` must be plain `http` on a loopback address: the demo server
    /// only ever talks to the machine it runs on. Any of
    /// [`Event::KNOWN_TYPES`] may be asked for. The receiver's status is
    /// returned as is (a `401` is not an error here); failing to connect,
    /// or no answer within ten seconds, is [`Error::Transport`].
    pub async fn deliver_webhook(
        &self,
        url: &str,
        secret: &WebhookSecret,
        event_type: &str,
    ) -> Result<WebhookDelivery> {
        let target = loopback_url(url)?;
        let format = match secret.scheme() {
            Scheme::Legacy => EnvelopeFormat::Object,
            _ => EnvelopeFormat::Resource,
        };
        let number = DELIVERIES.fetch_add(1, Ordering::Relaxed);
        let now = SystemTime::now();
        let event =
            webhook_event(self.dataset(), event_type, format, number, now).ok_or_else(|| {
                Error::InvalidInput {
                    field: "event_type",
                    message: format!(
                        "the demo server delivers only {}",
                        Event::KNOWN_TYPES.join(", ")
                    ),
                }
            })?;
        let body = serde_json::to_vec(&event).map_err(|e| Error::Other(e.to_string()))?;
        let delivery_id = format!("msg_{:016x}", mix64(number ^ 0x5EB0_0C5E));
        let headers = sign(secret, &delivery_id, now, &body);

        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(DELIVERY_TIMEOUT)
            .build()
            .map_err(Error::Transport)?;
        let mut request = client
            .post(target)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, "quo-demo-webhooks");
        for (name, value) in headers.iter() {
            request = request.header(name, value);
        }
        let response = request
            .body(body.clone())
            .send()
            .await
            .map_err(Error::Transport)?;
        Ok(WebhookDelivery {
            event_type: event_type.to_owned(),
            body,
            headers,
            status: response.status().as_u16(),
        })
    }
}

/// `url` parsed, if it is plain `http` to a loopback address.
fn loopback_url(url: &str) -> Result<url::Url> {
    let refuse = |message: &str| Error::InvalidInput {
        field: "url",
        message: message.to_owned(),
    };
    let parsed = url::Url::parse(url).map_err(|e| refuse(&format!("not a URL: {e}")))?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if parsed.scheme() != "http" || !loopback {
        return Err(refuse(
            "the demo server delivers only to http://127.0.0.1, [::1] or localhost",
        ));
    }
    Ok(parsed)
}

/// An `event_type` event about a contact of `dataset`, in `format`, as Quo
/// would send it at `at`; `None` for a type that is not in
/// [`Event::KNOWN_TYPES`]. `number` picks the contact and makes the ids.
///
/// The resources follow Quo's payload guide; the newer envelope's
/// `context` is illustrative (Quo documents it only in part).
pub fn webhook_event(
    dataset: &Dataset,
    event_type: &str,
    format: EnvelopeFormat,
    number: u64,
    at: SystemTime,
) -> Option<Value> {
    if !Event::KNOWN_TYPES.contains(&event_type) {
        return None;
    }
    let hex = |salt: u64| format!("{:016x}", mix64(number ^ salt));
    let at: DateTime<Utc> = at.into();
    let time = |back_secs: i64| {
        (at - chrono::Duration::seconds(back_secs)).to_rfc3339_opts(SecondsFormat::Millis, true)
    };
    let contact = pick_contact(dataset, number);
    let contact_id = contact["id"].as_str().unwrap_or("demo-contact").to_owned();
    let phone = contact["defaultFields"]["phoneNumbers"]
        .as_array()
        .and_then(|phones| phones.iter().find_map(|p| p["value"].as_str()))
        .unwrap_or("+15555550123")
        .to_owned();
    let first_name = contact["defaultFields"]["firstName"]
        .as_str()
        .unwrap_or("there")
        .to_owned();
    let user_id = "USdemo0001";
    let phone_number_id = "PNdemo0001";
    let call_id = format!("AC{}", hex(0xCA11));

    let message = |direction: &str, status: &str, text: String| {
        let (from, to) = if direction == "incoming" {
            (phone.clone(), DEMO_QUO_NUMBER.to_owned())
        } else {
            (DEMO_QUO_NUMBER.to_owned(), phone.clone())
        };
        json!({
            "id": format!("AC{}", hex(0x5E55)),
            "object": "message",
            "from": from,
            "to": [to],
            "direction": direction,
            "text": text,
            "status": status,
            "createdAt": time(2),
            "userId": user_id,
            "phoneNumberId": phone_number_id,
            "conversationId": format!("CN{}", hex(0xC0)),
            "contactIds": [contact_id],
        })
    };
    let call = |status: &str, extra: Value| {
        let mut call = json!({
            "id": call_id,
            "object": "call",
            "direction": "incoming",
            "status": status,
            "participants": [phone],
            "createdAt": time(300),
            "updatedAt": time(0),
            "userId": user_id,
            "phoneNumberId": phone_number_id,
            "contactIds": [contact_id],
        });
        if let (Some(call), Value::Object(extra)) = (call.as_object_mut(), extra) {
            call.extend(extra);
        }
        call
    };
    let resource = match event_type {
        "message.received" => message(
            "incoming",
            "received",
            format!("Hi, this is {first_name}: is the quote you sent still valid?"),
        ),
        "message.delivered" => message(
            "outgoing",
            "delivered",
            format!("Thanks {first_name}, it is valid until the end of the month."),
        ),
        "message.failed" => message(
            "outgoing",
            "failed",
            "Your appointment is confirmed.".to_owned(),
        ),
        "call.ringing" => call("ringing", json!({})),
        "call.answered" => call(
            "in-progress",
            json!({"answeredAt": time(290), "answeredBy": user_id}),
        ),
        "call.completed" => call(
            "completed",
            json!({"answeredAt": time(290), "answeredBy": user_id,
                   "completedAt": time(5), "duration": 285}),
        ),
        "call.forwarded" => call(
            "forwarded",
            json!({"forwardedFrom": DEMO_QUO_NUMBER, "forwardedTo": "+15555550111"}),
        ),
        "call.missed" => call("missed", json!({"completedAt": time(270), "duration": 0})),
        "call.recording.completed" => call(
            "completed",
            json!({"completedAt": time(5), "duration": 285, "media": [{
                "url": format!("https://files.example.com/recordings/{call_id}.mp3"),
                "type": "audio/mpeg", "duration": 285}]}),
        ),
        "call.voicemail.completed" => call(
            "completed",
            json!({"callId": call_id, "completedAt": time(200), "duration": 100, "voicemail": {
                "url": format!("https://files.example.com/voicemails/{call_id}.mp3"),
                "type": "audio/mpeg", "duration": 42}}),
        ),
        "call.summary.completed" => json!({
            "callId": call_id,
            "object": "callSummary",
            "status": "completed",
            "summary": [format!("{first_name} asked whether last week's quote is still valid.")],
            "nextSteps": ["Send the updated quote."],
            "contactIds": [contact_id],
        }),
        "call.transcript.completed" => json!({
            "callId": call_id,
            "object": "callTranscript",
            "createdAt": time(1),
            "status": "completed",
            "duration": 9.5,
            "dialogue": [
                {"content": format!("Hi, this is {first_name}."), "start": 0.4, "end": 2.1,
                 "identifier": phone},
                {"content": "Hello! How can I help?", "start": 2.5, "end": 4.0,
                 "identifier": DEMO_QUO_NUMBER, "userId": user_id},
            ],
            "contactIds": [contact_id],
        }),
        // contact.updated, contact.deleted: the contact as the API shows it.
        _ => contact.clone(),
    };
    let id = format!("EV{}", hex(0xE7E7));
    Some(match format {
        EnvelopeFormat::Object => json!({
            "id": id,
            "object": "event",
            "apiVersion": "v4",
            "createdAt": time(0),
            "type": event_type,
            "data": {"object": resource},
        }),
        _ => json!({
            "id": id,
            "apiVersion": "2026-03-30",
            "createdAt": time(0),
            "type": event_type,
            "data": {
                "resource": resource,
                "context": {
                    "phoneNumber": {"id": phone_number_id, "number": DEMO_QUO_NUMBER},
                    "contacts": {"ids": [contact_id], "lookupStatus": "matched"},
                },
                "links": {"quo": format!("https://my.quo.com/inbox/{phone_number_id}")},
            },
        }),
    })
}

/// A contact of the dataset with a phone number, or a stand-in if none.
fn pick_contact(dataset: &Dataset, number: u64) -> Value {
    let len = dataset.len();
    (0..len)
        .map(|i| dataset.contact_value((number as usize).wrapping_add(i) % len))
        .find(|c| {
            c["defaultFields"]["phoneNumbers"]
                .as_array()
                .is_some_and(|phones| phones.iter().any(|p| p["value"].is_string()))
        })
        .unwrap_or_else(|| {
            json!({"id": "demo-contact", "defaultFields": {
                "firstName": "Demo", "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]}})
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_decodes_as_itself_in_both_envelopes() {
        let dataset = Dataset::generate(5, 7);
        for format in [EnvelopeFormat::Object, EnvelopeFormat::Resource] {
            for (n, event_type) in Event::KNOWN_TYPES.iter().enumerate() {
                let value =
                    webhook_event(&dataset, event_type, format, n as u64, SystemTime::now())
                        .unwrap();
                let event = Event::from_value(value);
                assert_eq!(event.event_type(), *event_type);
                assert_eq!(event.unknown_reason(), None, "{event_type}: {event:?}");
                assert!(!matches!(event, Event::Unknown { .. }), "{event_type}");
            }
        }
        assert!(
            webhook_event(
                &dataset,
                "nope",
                EnvelopeFormat::Object,
                1,
                SystemTime::now()
            )
            .is_none()
        );
    }

    #[test]
    fn only_loopback_http_urls_are_delivered_to() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/x",
            "http://[::1]:1/",
        ] {
            assert!(loopback_url(url).is_ok(), "{url}");
        }
        for url in [
            "https://127.0.0.1/",
            "http://10.0.0.1/",
            "http://example.com/",
            "nope",
        ] {
            assert!(loopback_url(url).is_err(), "{url}");
        }
    }
}
