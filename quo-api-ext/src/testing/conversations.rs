//! `GET /v1/conversations`: the conversations of the demo workspace,
//! derived from its messages and calls.
//!
//! A conversation is one workspace number and one set of other
//! participants with at least one message or call; it is created at its
//! first activity and updated (`updatedAt`, `lastActivityAt`) at its last,
//! so a sent message shows in the listing at once. Served most recent
//! activity first, paged with the same opaque tokens as the other lists.
//! Filters: `phoneNumbers` (repeated, `PN...` ids or E.164 numbers; the
//! deprecated `phoneNumber` when `phoneNumbers` is absent),
//! `createdAfter`/`createdBefore`, `updatedAfter`/`updatedBefore`,
//! `userId` (only the numbers shared with that user), `maxResults` 1..=100;
//! `excludeInactive` is taken and ignored (no demo conversation is
//! inactive).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::calls::CallStore;
use super::conversation_query::time;
use super::errors::{self, BodyFieldError, Service};
use super::messages::{MessageStore, conversation_id};
use super::phone_numbers;
use super::query;
use super::reply::Reply;

/// The largest `maxResults`: the SDK's own bound.
const MAX_RESULTS: u64 = crate::conversations::MAX_PAGE_SIZE as u64;

/// One derived conversation.
struct Derived {
    number_id: &'static str,
    participants: Vec<String>,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
}

/// A checked listing query.
#[derive(Default)]
struct Query {
    phone_numbers: Vec<String>,
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    updated_after: Option<DateTime<Utc>>,
    updated_before: Option<DateTime<Utc>>,
    user_id: Option<String>,
    max_results: usize,
    page_token: Option<String>,
}

/// `GET /v1/conversations`.
pub(crate) fn list(
    raw_query: Option<&str>,
    messages: &MessageStore,
    calls: &CallStore,
    trace: &str,
) -> Reply {
    let query = match parse(raw_query) {
        Ok(query) => query,
        Err(e) => return errors::invalid(Service::Conversations, &e.message, &e.errors, trace),
    };
    let mut numbers = Vec::new();
    for wanted in &query.phone_numbers {
        match phone_numbers::find(wanted) {
            Some(number) => numbers.push(number.id),
            None => return errors::not_phone_number_user(Service::Conversations, trace),
        }
    }

    let derived = derive(messages, calls);
    let in_window =
        |at: DateTime<Utc>, after: Option<DateTime<Utc>>, before: Option<DateTime<Utc>>| {
            after.is_none_or(|a| at >= a) && before.is_none_or(|b| at < b)
        };
    let mut matching: Vec<Derived> = derived
        .into_values()
        .filter(|d| {
            (numbers.is_empty() || numbers.contains(&d.number_id))
                && query
                    .user_id
                    .as_deref()
                    .is_none_or(|user| phone_numbers::is_shared_with(d.number_id, user))
                && in_window(d.first, query.created_after, query.created_before)
                && in_window(d.last, query.updated_after, query.updated_before)
        })
        .collect();
    matching.sort_by(|a, b| {
        b.last
            .cmp(&a.last)
            .then(a.participants.cmp(&b.participants))
    });
    let rendered: Vec<Value> = matching.iter().map(render).collect();
    let refs: Vec<&Value> = rendered.iter().collect();

    let stamp = |t: Option<DateTime<Utc>>| -> Vec<String> {
        t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            .into_iter()
            .collect()
    };
    let numbers: Vec<String> = numbers.iter().map(|n| (*n).to_owned()).collect();
    let user: Vec<String> = query.user_id.iter().cloned().collect();
    let state = messages.activity().len() as u64;
    let fingerprint = super::token::fingerprint_of(
        0xC0_4E45 ^ state,
        &[
            (b'p', &numbers),
            (b'a', &stamp(query.created_after)),
            (b'b', &stamp(query.created_before)),
            (b'c', &stamp(query.updated_after)),
            (b'd', &stamp(query.updated_before)),
            (b'u', &user),
        ],
    );
    match super::token::window(
        query.page_token.as_deref(),
        fingerprint,
        refs.len(),
        query.max_results,
    ) {
        Ok(window) => Reply::page(&refs[window.range], refs.len(), window.next.as_deref()),
        Err(error) => errors::invalid(
            Service::Conversations,
            "pageToken: invalid page token",
            &[error],
            trace,
        ),
    }
}

/// One conversation per (number, set of participants) with activity,
/// spanning that activity.
fn derive(
    messages: &MessageStore,
    calls: &CallStore,
) -> BTreeMap<(&'static str, Vec<String>), Derived> {
    let mut derived: BTreeMap<(&'static str, Vec<String>), Derived> = BTreeMap::new();
    for (number_id, mut participants, at) in messages.activity().into_iter().chain(calls.activity())
    {
        participants.sort_unstable();
        participants.dedup();
        derived
            .entry((number_id, participants.clone()))
            .and_modify(|d| {
                d.first = d.first.min(at);
                d.last = d.last.max(at);
            })
            .or_insert(Derived {
                number_id,
                participants,
                first: at,
                last: at,
            });
    }
    derived
}

/// `POST /v1/conversations/{id}/mark-as-read`, `mark-as-done` and
/// `mark-as-open`: the conversation, as Quo answers these (the object
/// itself, not under `data`); the inbox state is not kept, since nothing
/// the API reads shows it. `None` for another verb.
pub(crate) fn mark(
    id: &str,
    verb: &str,
    messages: &MessageStore,
    calls: &CallStore,
    trace: &str,
) -> Option<Reply> {
    if !matches!(verb, "mark-as-read" | "mark-as-done" | "mark-as-open") {
        return None;
    }
    let found = derive(messages, calls)
        .into_values()
        .find(|d| conversation_id(d.number_id, &d.participants) == id);
    Some(match found {
        Some(d) => Reply::ok(render(&d).to_string()),
        None => errors::not_found(Service::Conversations, "Conversation not found", trace),
    })
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A conversation as Quo renders it.
fn render(d: &Derived) -> Value {
    let owner = phone_numbers::find(d.number_id).map(|n| n.owner);
    json!({
        "id": conversation_id(d.number_id, &d.participants),
        "phoneNumberId": d.number_id,
        "participants": d.participants,
        "name": null,
        "assignedTo": owner,
        "createdAt": stamp(d.first),
        "updatedAt": stamp(d.last),
        "lastActivityAt": stamp(d.last),
        "lastActivityId": null,
        "deletedAt": null,
        "mutedUntil": null,
        "snoozedUntil": null,
    })
}

fn parse(raw: Option<&str>) -> Result<Query, query::QueryError> {
    let mut phone_numbers = Vec::new();
    let mut deprecated = Vec::new();
    let mut singles: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    const SINGLE: [&str; 7] = [
        "createdAfter",
        "createdBefore",
        "updatedAfter",
        "updatedBefore",
        "userId",
        "maxResults",
        "pageToken",
    ];
    for (key, value) in query::pairs(raw)? {
        match &*key {
            "phoneNumbers" | "phoneNumbers[]" => phone_numbers.push(value),
            "phoneNumber" => deprecated.push(value),
            other => {
                if let Some(name) = SINGLE.iter().find(|n| **n == other) {
                    singles.entry(name).or_default().push(value);
                }
            }
        }
    }
    let mut errors: Vec<BodyFieldError> = Vec::new();
    let mut one = |name: &'static str| {
        let values = singles.get(name).cloned().unwrap_or_default();
        query::at_most_one(name, &values).unwrap_or_else(|e| {
            errors.push(e);
            None
        })
    };
    let created_after = one("createdAfter");
    let created_before = one("createdBefore");
    let updated_after = one("updatedAfter");
    let updated_before = one("updatedBefore");
    let user_id = one("userId");
    let page_token = one("pageToken");
    if phone_numbers.is_empty() {
        phone_numbers = deprecated;
    }
    for (i, number) in phone_numbers.iter().enumerate() {
        if !(number.starts_with("PN") || crate::resources::input::is_e164(number)) {
            errors.push(BodyFieldError::new(
                &format!("phoneNumbers/{i}"),
                "Expected a phone number id (PN...) or an E.164 number",
                Some(Value::from(number.as_str())),
                "string",
            ));
        }
    }
    errors.extend(query::prefixed("userId", user_id.as_deref(), "US"));
    let created_after = time("createdAfter", created_after.as_deref(), &mut errors);
    let created_before = time("createdBefore", created_before.as_deref(), &mut errors);
    let updated_after = time("updatedAfter", updated_after.as_deref(), &mut errors);
    let updated_before = time("updatedBefore", updated_before.as_deref(), &mut errors);
    let max_results = singles.get("maxResults").cloned().unwrap_or_default();
    let max_results = query::check_max_results(&max_results, MAX_RESULTS).unwrap_or_else(|e| {
        errors.push(e);
        0
    });
    query::checked(errors).map(|()| Query {
        phone_numbers,
        created_after,
        created_before,
        updated_after,
        updated_before,
        user_id,
        max_results,
        page_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::StatusCode;

    fn start() -> DateTime<Utc> {
        "2026-03-01T12:00:00Z".parse().unwrap()
    }

    fn page(query: &str) -> (StatusCode, Value) {
        let messages = MessageStore::seeded(start());
        let calls = CallStore::new(start());
        let reply = list(Some(query), &messages, &calls, "t");
        (reply.status, serde_json::from_slice(&reply.body).unwrap())
    }

    fn pairs(page: &Value) -> Vec<(String, String)> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["phoneNumberId"].as_str().unwrap().to_owned(),
                    c["participants"][0].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn one_conversation_per_number_and_participants_most_recent_first() {
        let (status, all) = page("maxResults=100");
        assert_eq!(status, StatusCode::OK);
        let pn = |id: &str, p: &str| (id.to_owned(), p.to_owned());
        assert_eq!(
            pairs(&all),
            [
                pn("PNdemo0001", "+15555550123"),
                pn("PNdemo0002", "+15555550123"),
                pn("PNdemo0001", "+15555550177"),
            ]
        );
        let (_, main) = page("maxResults=100&phoneNumbers=PNdemo0001");
        assert_eq!(main["totalItems"], 2);
        let (_, by_number) = page("maxResults=100&phoneNumbers=%2B15555550101");
        assert_eq!(pairs(&by_number), [pn("PNdemo0002", "+15555550123")]);
        // The conversation with +15555550177 was last active 2 days ago.
        let (_, recent) = page("maxResults=100&updatedAfter=2026-02-28T00:00:00Z");
        assert_eq!(recent["totalItems"], 2);
        let (_, first) = page("maxResults=1");
        assert!(first["nextPageToken"].is_string());
        let decoded: Result<Vec<quo_api::types::Conversation>, _> =
            serde_json::from_value(all["data"].clone());
        assert!(decoded.is_ok(), "{decoded:?}");
    }

    #[test]
    fn the_query_is_checked() {
        let (status, body) = page("maxResults=101&phoneNumbers=555&createdAfter=x");
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let paths: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["path"].as_str())
            .collect();
        assert_eq!(paths, ["/phoneNumbers/0", "/createdAfter", "/maxResults"]);
        assert_eq!(body["code"], "1000400");
        let (status, _) = page("maxResults=10&phoneNumbers=PNnope");
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
