//! The demo workspace's webhook subscriptions, kept in memory:
//! `POST /v1/webhooks/{messages,calls,call-summaries,call-transcripts}`,
//! `GET /v1/webhooks` (optionally one `userId`'s), `GET` and `DELETE`
//! `/v1/webhooks/{id}`.
//!
//! The workspace starts with none. A created subscription gets an id and a
//! signing `key` (base64) drawn from the dataset's generator by its place
//! in the order of creation, so the same run of requests gets the same
//! keys; the key is what a receiver verifies deliveries with. Bodies are
//! checked as the spec describes them (an absolute http(s) `url`, events of
//! the endpoint's own family, `^US`/`^PN` ids): a bad one is `400`
//! `0305400`, an unknown subscription `404` `0300404`.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use hyper::StatusCode;
use serde_json::{Value, json};

use super::dataset::DEMO_SEED;
use super::errors::{self, BodyFieldError, Service};
use super::phone_numbers::USERS;
use super::prng::{DemoRng, mix64};
use super::query;
use super::reply::Reply;

/// The workspace every demo subscription belongs to.
const ORG_ID: &str = "ORdemo0001";

/// The events each create endpoint takes, and whether it needs one at least.
fn family(endpoint: &str) -> Option<(&'static [&'static str], bool)> {
    Some(match endpoint {
        "messages" => (&["message.received", "message.delivered"], false),
        "calls" => (
            &["call.completed", "call.ringing", "call.recording.completed"],
            false,
        ),
        "call-summaries" => (&["call.summary.completed"], true),
        "call-transcripts" => (&["call.transcript.completed"], true),
        _ => return None,
    })
}

#[derive(Debug, Default)]
struct State {
    webhooks: Vec<Value>,
    made: u64,
}

/// The demo workspace's webhook subscriptions.
#[derive(Debug, Default)]
pub(crate) struct WebhookStore {
    state: Mutex<State>,
}

impl WebhookStore {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `GET /v1/webhooks`: every subscription, oldest first, or `userId`'s.
    pub(crate) fn list(&self, raw_query: Option<&str>, trace: &str) -> Reply {
        let user_id = match query::user_filter(raw_query) {
            Ok(user_id) => user_id,
            Err(e) => return errors::invalid(Service::Webhooks, &e.message, &e.errors, trace),
        };
        let state = self.state();
        let webhooks: Vec<&Value> = state
            .webhooks
            .iter()
            .filter(|w| user_id.as_deref().is_none_or(|u| w["userId"] == u))
            .collect();
        Reply::ok(serde_json::to_vec(&json!({ "data": webhooks })).unwrap_or_default())
    }

    /// `GET /v1/webhooks/{id}` (the id already decoded).
    pub(crate) fn get(&self, id: &str, trace: &str) -> Reply {
        match self.state().webhooks.iter().find(|w| w["id"] == id) {
            Some(webhook) => Reply::data(StatusCode::OK, webhook),
            None => missing(trace),
        }
    }

    /// `DELETE /v1/webhooks/{id}`: 204, no body; a get after it is a 404.
    pub(crate) fn delete(&self, id: &str, trace: &str) -> Reply {
        let mut state = self.state();
        let before = state.webhooks.len();
        state.webhooks.retain(|w| w["id"] != id);
        if state.webhooks.len() == before {
            return missing(trace);
        }
        Reply::json(StatusCode::NO_CONTENT, bytes::Bytes::new())
    }

    /// `POST /v1/webhooks/{endpoint}`: 201 with the whole subscription;
    /// `None` for an endpoint the API does not have.
    pub(crate) fn create(
        &self,
        endpoint: &str,
        body: &[u8],
        now: DateTime<Utc>,
        trace: &str,
    ) -> Option<Reply> {
        let (events_allowed, needs_one) = family(endpoint)?;
        let body = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(body)) => body,
            _ => {
                let problem = BodyFieldError::new("body", "Expected a JSON object", None, "object");
                return Some(refused(&[problem], trace));
            }
        };
        let mut problems = Vec::new();
        let url = body.get("url").and_then(Value::as_str);
        let url_ok = url
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| matches!(u.scheme(), "http" | "https"));
        if !url_ok {
            problems.push(BodyFieldError::new(
                "url",
                "Expected string to match 'uri' format",
                body.get("url").cloned(),
                "string",
            ));
        }
        let events = body.get("events").and_then(Value::as_array);
        let events_ok = events.is_some_and(|events| {
            (!needs_one || !events.is_empty())
                && events
                    .iter()
                    .all(|e| e.as_str().is_some_and(|e| events_allowed.contains(&e)))
        });
        if !events_ok {
            problems.push(BodyFieldError::new(
                "events",
                format!("Expected an array of: {}", events_allowed.join(", ")),
                body.get("events").cloned(),
                "array",
            ));
        }
        let label = body.get("label");
        if label.is_some_and(|l| !l.is_string()) {
            problems.push(field_error("label", label, "Expected string", "string"));
        }
        let status = body.get("status");
        if status.is_some_and(|s| s != "enabled" && s != "disabled") {
            let message = "Expected 'enabled' or 'disabled'";
            problems.push(field_error("status", status, message, "string"));
        }
        let user = body.get("userId");
        if user.is_some_and(|u| !u.as_str().is_some_and(|u| u.starts_with("US"))) {
            let message = "Expected string to match '^US(.*)$'";
            problems.push(field_error("userId", user, message, "string"));
        }
        let resources = body.get("resourceIds");
        let resources_ok = resources.is_none_or(|ids| {
            ids.as_array().is_some_and(|ids| {
                ids == &[Value::from("*")]
                    || ids
                        .iter()
                        .all(|id| id.as_str().is_some_and(|id| id.starts_with("PN")))
            })
        });
        if !resources_ok {
            let message = "Expected [\"*\"] or phone number ids (^PN(.*)$)";
            problems.push(field_error("resourceIds", resources, message, "array"));
        }
        if !problems.is_empty() {
            return Some(refused(&problems, trace));
        }
        let user_id = user.and_then(Value::as_str).unwrap_or(USERS[0].0);
        if !super::users::exists(user_id) {
            return Some(errors::not_found(
                Service::Webhooks,
                "User not found",
                trace,
            ));
        }
        let mut state = self.state();
        state.made += 1;
        let n = state.made;
        let now = now.to_rfc3339_opts(SecondsFormat::Millis, true);
        let webhook = json!({
            "id": format!("WH{:016x}", mix64(DEMO_SEED ^ 0x12EB ^ n)),
            "userId": user_id,
            "orgId": ORG_ID,
            "label": label.cloned().unwrap_or(Value::Null),
            "status": status.cloned().unwrap_or_else(|| Value::from("enabled")),
            "url": url,
            "key": signing_key(n),
            "createdAt": now,
            "updatedAt": now,
            "deletedAt": null,
            "events": events,
            "resourceIds": resources.cloned().unwrap_or_else(|| json!(["*"])),
        });
        state.webhooks.push(webhook.clone());
        Some(Reply::data(StatusCode::CREATED, &webhook))
    }
}

fn field_error(
    name: &str,
    value: Option<&Value>,
    message: &str,
    kind: &'static str,
) -> BodyFieldError {
    BodyFieldError::new(name, message, value.cloned(), kind)
}

/// The 404 for an unknown subscription.
fn missing(trace: &str) -> Reply {
    errors::not_found(Service::Webhooks, "Webhook not found", trace)
}

/// The 400 naming each problem.
fn refused(problems: &[BodyFieldError], trace: &str) -> Reply {
    let message = problems.first().map_or_else(
        || "body: invalid".to_owned(),
        |p| format!("{}: {}", &p.path[1..], p.message),
    );
    errors::invalid(Service::Webhooks, &message, problems, trace)
}

/// The signing key of the `n`th subscription made: 32 seeded bytes in
/// standard base64, as Quo hands keys out.
fn signing_key(n: u64) -> String {
    let mut rng = DemoRng::new(DEMO_SEED ^ 0x12EB_0000 ^ n);
    let bytes: Vec<u8> = (0..4).flat_map(|_| rng.next_u64().to_le_bytes()).collect();
    base64(&bytes)
}

/// Standard base64 with padding (the `base64` crate is only in the
/// `webhooks` feature).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(signing_key(1), signing_key(1));
        assert_ne!(signing_key(1), signing_key(2));
        assert_eq!(signing_key(1).len(), 44);
    }

    #[test]
    fn created_subscriptions_are_kept_listed_and_deleted() {
        let store = WebhookStore::default();
        let now = Utc::now();
        let created = store
            .create(
                "calls",
                br#"{"url":"https://example.com/hook","events":["call.completed"],"userId":"USdemo0002"}"#,
                now,
                "t",
            )
            .unwrap();
        assert_eq!(created.status, StatusCode::CREATED);
        let webhook = body(&created)["data"].clone();
        let decoded: Result<quo_api::types::Webhook, _> = serde_json::from_value(webhook.clone());
        assert!(decoded.is_ok(), "{decoded:?}");
        assert_eq!(webhook["resourceIds"], json!(["*"]));
        let id = webhook["id"].as_str().unwrap();
        assert_eq!(body(&store.get(id, "t"))["data"], webhook);
        assert_eq!(
            body(&store.list(Some("userId=USdemo0002"), "t"))["data"][0],
            webhook
        );
        assert_eq!(
            body(&store.list(Some("userId=USdemo0001"), "t"))["data"],
            json!([])
        );
        assert_eq!(store.delete(id, "t").status, StatusCode::NO_CONTENT);
        assert_eq!(body(&store.get(id, "t"))["code"], "0300404");
    }

    #[test]
    fn events_of_another_family_are_a_400() {
        let store = WebhookStore::default();
        let reply = store
            .create(
                "call-summaries",
                br#"{"url":"https://example.com/h","events":["message.received"]}"#,
                Utc::now(),
                "t",
            )
            .unwrap();
        assert_eq!(body(&reply)["code"], "0305400");
        assert_eq!(body(&reply)["errors"][0]["path"], "/events");
        assert!(store.create("faxes", b"{}", Utc::now(), "t").is_none());
    }
}
