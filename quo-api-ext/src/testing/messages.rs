//! Messages: `POST /v1/messages`, `GET /v1/messages/{id}` and
//! `GET /v1/messages` (one conversation's messages, newest first).
//!
//! The store starts with a few deterministic messages, placed relative to
//! the time the server started, so a listing is never empty; a sent
//! message is answered `202` with status `queued` and is listed from then
//! on. It then moves on a fixed schedule, one step of
//! [`DemoConfig::delivery_step`](super::DemoConfig::delivery_step) at a
//! time, measured on the server's monotonic clock from the send:
//! `queued`, then `sent`, then `delivered`, or `undelivered` (the spec's
//! final failure) when a recipient is [`DEMO_UNDELIVERABLE`]. Every read
//! (`GET /v1/messages/{id}` and the listing) shows the status of the
//! moment it is served, so a waiter sees the same steps as against Quo,
//! and a test can rely on them without sleeping for the real network. Sending checks the body as the spec does: `from` is a demo number's
//! id or E.164 number (a well-formed number that is not the workspace's is
//! `403` Not Phone Number User), `to` 1 to 10 recipients as the spec takes them (an E.164 number or any
//! text of at most 15 characters, a short code), `content` 1 to
//! 1600 characters, not only whitespace; `userId` `US...`; `setInboxStatus`
//! only `done`. The listing wants `phoneNumberId`, 1 to 10 `participants`
//! (the conversation with exactly those) and `maxResults` 1 to 100.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};
use std::time::Instant;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::conversation_query::{self, Participant};
use super::errors::{self, BodyFieldError, Service};
use super::phone_numbers::{self, DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID, DemoNumber};
use super::prng::{Fnv64, mix64};
use super::reply::Reply;

/// The recipient the demo server never delivers to: a message sent to it
/// goes `queued`, `sent`, then `undelivered` (the spec's final failure),
/// so the failure path of
/// [`Messages::wait`](crate::messages::Messages::wait) can be shown and
/// tested. A number in the `555-01xx` range reserved for fiction.
pub const DEMO_UNDELIVERABLE: &str = "+15555550199";

/// The default length of one step of a sent message's schedule
/// (`queued` → `sent` → `delivered`): short, so examples and tests see the
/// whole schedule in well under a second.
pub const DEFAULT_DELIVERY_STEP: std::time::Duration = std::time::Duration::from_millis(200);

/// Most recipients of one message, and most participants of a listing.
const MAX_RECIPIENTS: usize = 10;
/// Longest message text, in characters.
const MAX_TEXT_CHARS: usize = 1600;

/// The seeded messages: `(number id, other participant, minutes before the
/// start, incoming, text)`.
const SEED: [(&str, &str, i64, bool, &str); 6] = [
    (
        DEMO_PHONE_NUMBER_ID,
        DEMO_PARTICIPANT,
        3 * 1440 + 120,
        true,
        "Hi! Is the install still on for Friday?",
    ),
    (
        DEMO_PHONE_NUMBER_ID,
        DEMO_PARTICIPANT,
        3 * 1440 + 110,
        false,
        "Yes, Friday at 9am. See you then.",
    ),
    (
        DEMO_PHONE_NUMBER_ID,
        DEMO_PARTICIPANT,
        1440 + 240,
        true,
        "Could we make it 10am instead?",
    ),
    (
        DEMO_PHONE_NUMBER_ID,
        DEMO_PARTICIPANT,
        1440 + 180,
        false,
        "10am works, I've updated the booking.",
    ),
    (
        DEMO_PHONE_NUMBER_ID,
        "+15555550177",
        2 * 1440,
        true,
        "Please call me back about the quote.",
    ),
    (
        "PNdemo0002",
        DEMO_PARTICIPANT,
        360,
        false,
        "Your ticket #4821 is resolved.",
    ),
];

/// One stored message and what the listing filters on.
#[derive(Debug, Clone)]
struct Stored {
    json: Value,
    phone_number_id: &'static str,
    participants: Vec<String>,
    created_at: DateTime<Utc>,
    user_id: String,
    /// For a message sent through the server: when, on the monotonic
    /// clock, and whether a recipient is [`DEMO_UNDELIVERABLE`]. Seeded
    /// messages keep the status they were seeded with.
    sent: Option<(Instant, bool)>,
}

impl Stored {
    /// The message as served at `now`: a sent message's status and
    /// `updatedAt` follow its schedule of `step`s.
    fn at(&self, now: Instant, step: std::time::Duration) -> Value {
        let Some((sent_at, undeliverable)) = self.sent else {
            return self.json.clone();
        };
        let elapsed = now.saturating_duration_since(sent_at);
        let steps = if step.is_zero() {
            2
        } else {
            (elapsed.as_nanos() / step.as_nanos()).min(2) as u32
        };
        let status = match (steps, undeliverable) {
            (0, _) => "queued",
            (1, _) => "sent",
            (_, true) => "undelivered",
            (_, false) => "delivered",
        };
        let mut json = self.json.clone();
        json["status"] = Value::from(status);
        let moved = Duration::from_std(step * steps).unwrap_or_default();
        json["updatedAt"] =
            Value::from((self.created_at + moved).to_rfc3339_opts(SecondsFormat::Millis, true));
        json
    }
}

/// The messages of the demo workspace, newest first.
#[derive(Debug)]
pub(crate) struct MessageStore {
    messages: RwLock<Vec<Stored>>,
    sent: AtomicU64,
    /// One step of a sent message's schedule.
    delivery_step: std::time::Duration,
}

/// A valid `POST /v1/messages` body.
#[derive(Debug, PartialEq)]
pub(crate) struct Outgoing {
    /// The number it is sent from.
    pub(crate) from: DemoNumber,
    /// Its recipients.
    pub(crate) to: Vec<String>,
    /// Its text.
    pub(crate) text: String,
    /// The sending user.
    pub(crate) user_id: String,
}

/// Why a send was refused.
#[derive(Debug)]
pub(crate) enum Refused {
    /// `400`: the body breaks the schema; each field at fault.
    Invalid(Vec<BodyFieldError>),
    /// `403`: `from` is well formed but not a workspace number.
    NotPhoneNumberUser,
}

impl MessageStore {
    /// The store with the seeded messages, placed before `start`.
    pub(crate) fn seeded(start: DateTime<Utc>) -> Self {
        let mut messages: Vec<Stored> = SEED
            .iter()
            .enumerate()
            .filter_map(|(n, &(number_id, other, minutes, incoming, text))| {
                let number = phone_numbers::find(number_id)?;
                let parts = Parts {
                    id: &format!("ACdemo{n:04}"),
                    number,
                    participants: &[other.to_owned()],
                    incoming,
                    text,
                    status: if incoming { "received" } else { "delivered" },
                    user_id: number.owner,
                    at: start - Duration::minutes(minutes),
                };
                Some(parts.stored())
            })
            .collect();
        messages.sort_by_key(|m| std::cmp::Reverse(m.created_at));
        Self {
            messages: RwLock::new(messages),
            sent: AtomicU64::new(0),
            delivery_step: DEFAULT_DELIVERY_STEP,
        }
    }

    /// The store with each step of a sent message's schedule `step` long.
    pub(crate) fn with_delivery_step(mut self, step: std::time::Duration) -> Self {
        self.delivery_step = step;
        self
    }

    /// Each conversation's number, other participants and activity times,
    /// one entry per message, for the conversation listing.
    pub(crate) fn activity(&self) -> Vec<(&'static str, Vec<String>, DateTime<Utc>)> {
        let messages = self.messages.read().unwrap_or_else(PoisonError::into_inner);
        messages
            .iter()
            .map(|m| (m.phone_number_id, m.participants.clone(), m.created_at))
            .collect()
    }

    /// `POST /v1/messages`, at `now`.
    pub(crate) fn send(&self, body: &[u8], now: DateTime<Utc>, trace: &str) -> Reply {
        let outgoing = serde_json::from_slice::<Value>(body)
            .map_err(|_| {
                Refused::Invalid(vec![BodyFieldError::new(
                    "body",
                    "Expected a JSON object",
                    None,
                    "object",
                )])
            })
            .and_then(|body| check_outgoing(&body));
        let outgoing = match outgoing {
            Ok(outgoing) => outgoing,
            Err(Refused::Invalid(errors)) => {
                let message = summary(&errors);
                return errors::invalid(Service::Messages, &message, &errors, trace);
            }
            Err(Refused::NotPhoneNumberUser) => {
                return errors::not_phone_number_user(Service::Messages, trace);
            }
        };
        let n = self.sent.fetch_add(1, Ordering::Relaxed) + 1;
        let id = format!("AC{:016x}", mix64(0x5E4D_0000 ^ n));
        let undeliverable = outgoing.to.iter().any(|to| to == DEMO_UNDELIVERABLE);
        let mut message = Parts {
            id: &id,
            number: outgoing.from,
            participants: &outgoing.to,
            incoming: false,
            text: &outgoing.text,
            status: "queued",
            user_id: &outgoing.user_id,
            at: now,
        }
        .stored();
        message.sent = Some((Instant::now(), undeliverable));
        let reply = Reply::data(StatusCode::ACCEPTED, &message.json);
        let mut messages = self
            .messages
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let at = messages.partition_point(|m| m.created_at > now);
        messages.insert(at, message);
        reply
    }

    /// `GET /v1/messages/{id}` (the id already decoded).
    pub(crate) fn get(&self, id: &str, trace: &str) -> Reply {
        let messages = self.messages.read().unwrap_or_else(PoisonError::into_inner);
        match messages.iter().find(|m| m.json["id"] == id) {
            Some(message) => Reply::data(
                StatusCode::OK,
                &message.at(Instant::now(), self.delivery_step),
            ),
            None => errors::not_found(Service::Messages, "Message not found", trace),
        }
    }

    /// `GET /v1/messages`.
    pub(crate) fn list(&self, raw_query: Option<&str>, trace: &str) -> Reply {
        let invalid = |message: &str, errors: &[BodyFieldError]| {
            errors::invalid(Service::Messages, message, errors, trace)
        };
        let query = match conversation_query::parse(raw_query, Participant::E164) {
            Ok(query) => query,
            Err(e) => return invalid(&e.message, &e.errors),
        };
        if query.participants.len() > MAX_RECIPIENTS {
            let error = BodyFieldError::new(
                "participants",
                format!("Expected array to have at most {MAX_RECIPIENTS} items"),
                Some(Value::from(query.participants.clone())),
                "array",
            );
            return invalid(&summary(std::slice::from_ref(&error)), &[error]);
        }
        if phone_numbers::find(&query.phone_number_id).is_none_or(|n| n.id != query.phone_number_id)
        {
            return errors::not_phone_number_user(Service::Messages, trace);
        }
        let messages = self.messages.read().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let served: Vec<Value> = messages
            .iter()
            .filter(|m| {
                m.phone_number_id == query.phone_number_id
                    && query.same_participants(&m.participants)
                    && query.in_window(m.created_at)
                    && query.user_id.as_ref().is_none_or(|u| *u == m.user_id)
            })
            .map(|m| m.at(now, self.delivery_step))
            .collect();
        let matching: Vec<&Value> = served.iter().collect();
        let fingerprint = query.fingerprint(messages.len() as u64);
        match super::token::window(
            query.page_token.as_deref(),
            fingerprint,
            matching.len(),
            query.max_results,
        ) {
            Ok(window) => Reply::page(
                &matching[window.range],
                matching.len(),
                window.next.as_deref(),
            ),
            Err(error) => invalid("pageToken: invalid page token", &[error]),
        }
    }
}

/// `path: message` of the first error, as the API's `message`.
fn summary(errors: &[BodyFieldError]) -> String {
    errors.first().map_or_else(String::new, |e| {
        format!("{}: {}", e.path.trim_start_matches('/'), e.message)
    })
}

/// What a stored message is made of.
struct Parts<'a> {
    id: &'a str,
    number: DemoNumber,
    /// The other participants: the sender of an incoming message, the
    /// recipients of an outgoing one.
    participants: &'a [String],
    incoming: bool,
    text: &'a str,
    status: &'a str,
    user_id: &'a str,
    at: DateTime<Utc>,
}

impl Parts<'_> {
    /// The message as Quo renders it, and its filter fields.
    fn stored(&self) -> Stored {
        let number = [self.number.number];
        let others: Vec<&str> = self.participants.iter().map(String::as_str).collect();
        let (from, to, direction) = if self.incoming {
            (
                others.first().copied().unwrap_or_default(),
                &number[..],
                "incoming",
            )
        } else {
            (self.number.number, &others[..], "outgoing")
        };
        let time = self.at.to_rfc3339_opts(SecondsFormat::Millis, true);
        Stored {
            json: json!({
                "id": self.id,
                "to": to,
                "from": from,
                "text": self.text,
                "phoneNumberId": self.number.id,
                "conversationId": conversation_id(self.number.id, self.participants),
                "direction": direction,
                "userId": self.user_id,
                "status": self.status,
                "createdAt": time,
                "updatedAt": time,
            }),
            phone_number_id: self.number.id,
            participants: self.participants.to_vec(),
            created_at: self.at,
            user_id: self.user_id.to_owned(),
            sent: None,
        }
    }
}

/// The id of the conversation between a number and these participants: the
/// same for the same set.
pub(crate) fn conversation_id(number_id: &str, participants: &[String]) -> String {
    let mut sorted: Vec<&str> = participants.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut hash = Fnv64::new();
    hash.field(number_id.as_bytes());
    for participant in sorted {
        hash.field(participant.as_bytes());
    }
    format!("CN{:012x}", hash.finish() >> 16)
}

/// Checks a `POST /v1/messages` body against the spec and the workspace.
pub(crate) fn check_outgoing(body: &Value) -> Result<Outgoing, Refused> {
    let Some(body) = body.as_object() else {
        return Err(Refused::Invalid(vec![BodyFieldError::new(
            "body",
            "Expected a JSON object",
            None,
            "object",
        )]));
    };
    let mut errors = Vec::new();
    let text = check_content(body, &mut errors);
    let to = check_to(body, &mut errors);
    let from = check_from(body, &mut errors);
    let user_id = match body.get("userId") {
        None => None,
        Some(Value::String(id)) if id.starts_with("US") => Some(id.clone()),
        Some(other) => {
            errors.push(BodyFieldError::new(
                "userId",
                "Expected string to match '^US(.*)$'",
                Some(other.clone()),
                "string",
            ));
            None
        }
    };
    match body.get("setInboxStatus") {
        None => {}
        Some(Value::String(s)) if s == "done" => {}
        Some(other) => errors.push(BodyFieldError::new(
            "setInboxStatus",
            "Expected 'done'",
            Some(other.clone()),
            "string",
        )),
    }
    if !errors.is_empty() {
        return Err(Refused::Invalid(errors));
    }
    let from = from.ok_or(Refused::NotPhoneNumberUser)?;
    Ok(Outgoing {
        from,
        to,
        text,
        user_id: user_id.unwrap_or_else(|| from.owner.to_owned()),
    })
}

fn check_content(body: &Map<String, Value>, errors: &mut Vec<BodyFieldError>) -> String {
    let error = |message: &str, value: Option<&Value>| {
        BodyFieldError::new("content", message, value.cloned(), "string")
    };
    match body.get("content") {
        None => errors.push(error("Expected required property", None)),
        Some(Value::String(text)) => {
            let chars = text.chars().count();
            if chars == 0 {
                errors.push(error("Expected string length greater or equal to 1", None));
            } else if chars > MAX_TEXT_CHARS {
                errors.push(error("Expected string length less or equal to 1600", None));
            } else if text.trim().is_empty() {
                errors.push(error(
                    "Expected string to match '.*\\S.*'",
                    body.get("content"),
                ));
            } else {
                return text.clone();
            }
        }
        Some(other) => errors.push(error("Expected string", Some(other))),
    }
    String::new()
}

fn check_to(body: &Map<String, Value>, errors: &mut Vec<BodyFieldError>) -> Vec<String> {
    let to = match body.get("to") {
        None => {
            errors.push(BodyFieldError::new(
                "to",
                "Expected required property",
                None,
                "array",
            ));
            return Vec::new();
        }
        Some(Value::Array(to)) => to,
        Some(other) => {
            errors.push(BodyFieldError::new(
                "to",
                "Expected array",
                Some(other.clone()),
                "array",
            ));
            return Vec::new();
        }
    };
    if to.is_empty() || to.len() > MAX_RECIPIENTS {
        let bound = if to.is_empty() {
            "Expected array to have at least 1 items".to_owned()
        } else {
            format!("Expected array to have at most {MAX_RECIPIENTS} items")
        };
        errors.push(BodyFieldError::new(
            "to",
            bound,
            Some(Value::from(to.len())),
            "array",
        ));
    }
    let mut numbers = Vec::with_capacity(to.len());
    for (i, item) in to.iter().enumerate() {
        match item.as_str() {
            Some(number) if crate::resources::input::is_recipient(number) => {
                numbers.push(number.to_owned())
            }
            _ => errors.push(BodyFieldError::new(
                &format!("to/{i}"),
                "Expected string to match '^\\+[1-9]\\d{1,14}$' or to have at most 15 characters",
                Some(item.clone()),
                "string",
            )),
        }
    }
    numbers
}

/// The demo number `from` names; `None` (and no error) for a well-formed
/// id or number that is not the workspace's.
fn check_from(body: &Map<String, Value>, errors: &mut Vec<BodyFieldError>) -> Option<DemoNumber> {
    let error = |message: &str, value: Option<&Value>| {
        BodyFieldError::new("from", message, value.cloned(), "string")
    };
    match body.get("from") {
        None => errors.push(error("Expected required property", None)),
        Some(Value::String(from))
            if (from.starts_with("PN") || crate::resources::input::is_e164(from)) =>
        {
            return phone_numbers::find(from);
        }
        Some(other) => errors.push(error(
            "Expected a phone number id (PN...) or an E.164 number",
            Some(other),
        )),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> DateTime<Utc> {
        "2026-03-01T12:00:00Z".parse().unwrap()
    }

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).expect("every reply is JSON")
    }

    fn send(store: &MessageStore, message: Value) -> Reply {
        let now = start() + Duration::minutes(1);
        store.send(&serde_json::to_vec(&message).unwrap(), now, "t")
    }

    fn list(store: &MessageStore, query: &str) -> (StatusCode, Value) {
        let reply = store.list(Some(query), "t");
        (reply.status, body(&reply))
    }

    const CONVERSATION: &str = "phoneNumberId=PNdemo0001&participants=%2B15555550123";

    #[test]
    fn a_bad_to_is_a_400_naming_the_field() {
        let store = MessageStore::seeded(start());
        for (to, path) in [
            (json!(["1234567890123456"]), "/to/0"),
            (json!(["+15555550123", 7]), "/to/1"),
            (json!([]), "/to"),
            (json!(vec!["+15555550123"; 11]), "/to"),
            (json!("+15555550123"), "/to"),
        ] {
            let reply = send(
                &store,
                json!({"from": "PNdemo0001", "to": to, "content": "hi"}),
            );
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{to}");
            let body = body(&reply);
            assert_eq!(body["code"], "0200400");
            assert_eq!(body["errors"][0]["path"], path, "{to}");
            assert!(
                body["message"].as_str().unwrap().starts_with("to"),
                "{body}"
            );
        }
    }

    #[test]
    fn content_and_from_are_checked() {
        let store = MessageStore::seeded(start());
        let sent = |message| body(&send(&store, message));
        for content in [json!(""), json!(" \n "), json!("x".repeat(1601)), json!(3)] {
            let refused =
                sent(json!({"from": "PNdemo0001", "to": ["+15555550123"], "content": content}));
            assert_eq!(refused["errors"][0]["path"], "/content");
        }
        let refused = sent(json!({"from": "5555", "to": ["+15555550123"], "content": "hi"}));
        assert_eq!(refused["errors"][0]["path"], "/from");
        let missing = sent(json!({"to": ["+15555550123"]}));
        let paths: Vec<&str> = missing["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["path"].as_str())
            .collect();
        assert_eq!(paths, ["/content", "/from"]);
        let reply = send(
            &store,
            json!({"from": "+19998887777", "to": ["+15555550123"], "content": "hi"}),
        );
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(body(&reply)["code"], "0202403");
        assert_eq!(
            store.send(b"{", start(), "t").status,
            StatusCode::BAD_REQUEST
        );
        // 1600 characters of several bytes each is still fine.
        let reply = send(
            &store,
            json!({"from": "+15555550100", "to": ["+15555550123"], "content": "é".repeat(1600)}),
        );
        assert_eq!(reply.status, StatusCode::ACCEPTED);
    }

    #[test]
    fn a_sent_message_is_queued_then_listed_first_and_found_by_id() {
        // A schedule long enough that the message is still queued when read.
        let store =
            MessageStore::seeded(start()).with_delivery_step(std::time::Duration::from_secs(3600));
        let (_, before) = list(&store, &format!("{CONVERSATION}&maxResults=100"));
        assert_eq!(before["totalItems"], 4);
        let reply = send(
            &store,
            json!({"from": "+15555550100", "to": ["+15555550123"], "content": "On my way"}),
        );
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        let sent = body(&reply)["data"].clone();
        assert_eq!(sent["status"], "queued");
        assert_eq!(sent["phoneNumberId"], "PNdemo0001");
        assert_eq!(sent["userId"], "USdemo0001");
        assert_eq!(sent["conversationId"], before["data"][0]["conversationId"]);
        let decoded: Result<quo_api::types::Message, _> = serde_json::from_value(sent.clone());
        assert!(decoded.is_ok(), "{decoded:?}");

        let (_, after) = list(&store, &format!("{CONVERSATION}&maxResults=100"));
        assert_eq!(after["totalItems"], 5);
        assert_eq!(after["data"][0], sent);
        let id = sent["id"].as_str().unwrap();
        assert_eq!(body(&store.get(id, "t"))["data"], sent);
        let missing = store.get("ACnope", "t");
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(body(&missing)["code"], "0200404");
    }

    #[test]
    fn the_list_pages_with_tokens_newest_first() {
        let store = MessageStore::seeded(start());
        let (_, all) = list(&store, &format!("{CONVERSATION}&maxResults=100"));
        let all = all["data"].as_array().unwrap().clone();
        let times: Vec<&str> = all.iter().filter_map(|m| m["createdAt"].as_str()).collect();
        assert!(times.windows(2).all(|w| w[0] > w[1]), "{times:?}");

        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let page_query = match &token {
                None => format!("{CONVERSATION}&maxResults=3"),
                Some(t) => format!("{CONVERSATION}&maxResults=3&pageToken={t}"),
            };
            let (status, page) = list(&store, &page_query);
            assert_eq!(status, StatusCode::OK, "{page}");
            pages += 1;
            seen.extend(page["data"].as_array().unwrap().iter().cloned());
            match page["nextPageToken"].as_str() {
                Some(t) => token = Some(t.to_owned()),
                None => break,
            }
        }
        assert_eq!((pages, seen), (2, all));

        // A token of another conversation's query is refused.
        let (_, first) = list(&store, &format!("{CONVERSATION}&maxResults=1"));
        let token = first["nextPageToken"].as_str().unwrap();
        let (status, refused) = list(
            &store,
            &format!(
                "phoneNumberId=PNdemo0001&participants=%2B15555550177&maxResults=1&pageToken={token}"
            ),
        );
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(refused["errors"][0]["path"], "/pageToken");
    }

    #[test]
    fn the_list_filters_and_checks_its_query() {
        let store = MessageStore::seeded(start());
        let after = (start() - Duration::days(2)).to_rfc3339_opts(SecondsFormat::Secs, true);
        let (_, recent) = list(
            &store,
            &format!(
                "{CONVERSATION}&maxResults=10&createdAfter={}",
                after.replace('+', "%2B")
            ),
        );
        assert_eq!(recent["totalItems"], 2);
        let (_, other) = list(
            &store,
            "phoneNumberId=PNdemo0002&participants=%2B15555550123&maxResults=10",
        );
        assert_eq!(other["totalItems"], 1);
        let (status, body) = list(
            &store,
            "phoneNumberId=PNdemo0001&participants=555&maxResults=10",
        );
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["errors"][0]["path"], "/participants/0");
        let (_, body) = list(&store, &format!("{CONVERSATION}&maxResults=101"));
        assert_eq!(body["errors"][0]["path"], "/maxResults");
        let (status, body) = list(
            &store,
            "phoneNumberId=PNother&participants=%2B15555550123&maxResults=10",
        );
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "0202403");
    }

    #[test]
    fn a_sent_message_moves_queued_sent_then_delivered_or_undelivered_on_schedule() {
        let step = std::time::Duration::from_millis(200);
        let store = MessageStore::seeded(start()).with_delivery_step(step);
        for (to, last) in [
            ("+15555550123", "delivered"),
            (DEMO_UNDELIVERABLE, "undelivered"),
        ] {
            let reply = send(
                &store,
                json!({"from": "PNdemo0001", "to": [to], "content": "hi"}),
            );
            assert_eq!(body(&reply)["data"]["status"], "queued");
            let id = body(&reply)["data"]["id"].as_str().unwrap().to_owned();
            let messages = store.messages.read().unwrap();
            let stored = messages
                .iter()
                .find(|m| m.json["id"] == id.as_str())
                .unwrap();
            let (sent_at, _) = stored.sent.unwrap();
            let ms = std::time::Duration::from_millis;
            let seen: Vec<Value> = [0, 199, 200, 399, 400, 10_000]
                .into_iter()
                .map(|t| stored.at(sent_at + ms(t), step)["status"].clone())
                .collect();
            assert_eq!(
                seen,
                [
                    json!("queued"),
                    json!("queued"),
                    json!("sent"),
                    json!("sent"),
                    json!(last),
                    json!(last)
                ]
            );
            let later = stored.at(sent_at + ms(450), step);
            assert_eq!(later["updatedAt"], "2026-03-01T12:01:00.400Z");
            // No schedule at all: delivered (or not) at once.
            assert_eq!(
                stored.at(sent_at, std::time::Duration::ZERO)["status"],
                last
            );
        }
    }
}
