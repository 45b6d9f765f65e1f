//! The query of the listings of one conversation's activity,
//! `GET /v1/messages` and `GET /v1/calls`: a workspace number, the other
//! participants, an optional time window and user, and a page.
//!
//! Reuses the contact query's decoding and `maxResults` check. Participants
//! are repeated keys, `participants=a&participants=b`, and the bracketed
//! `participants[]=a` is taken too. The deprecated `since` acts as
//! `createdBefore`, as Quo documents, when that is absent. How many
//! participants an endpoint takes is its own business (see
//! [`ConversationQuery::participants`]).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use super::errors::BodyFieldError;
use super::query::{self, QueryError};
use super::token;

/// The largest `maxResults` of these listings: the SDK's own bound.
const MAX_RESULTS: u64 = crate::messages::MAX_PAGE_SIZE as u64;

/// A valid listing query.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ConversationQuery {
    /// `phoneNumberId` (`PN...`).
    pub(crate) phone_number_id: String,
    /// `participants`: at least one, each checked by the `participant`
    /// rule given to [`parse`]; the endpoint checks how many it takes.
    pub(crate) participants: Vec<String>,
    /// `createdAfter`: only items created at or after it.
    pub(crate) created_after: Option<DateTime<Utc>>,
    /// `createdBefore` (or `since`): only items created before it.
    pub(crate) created_before: Option<DateTime<Utc>>,
    /// `userId` (`US...`).
    pub(crate) user_id: Option<String>,
    /// Page size, `1..=100`.
    pub(crate) max_results: usize,
    /// Token of the page to return; `None` for the first page.
    pub(crate) page_token: Option<String>,
}

impl ConversationQuery {
    /// Whether an item created at `at` is inside the time window.
    pub(crate) fn in_window(&self, at: DateTime<Utc>) -> bool {
        self.created_after.is_none_or(|after| at >= after)
            && self.created_before.is_none_or(|before| at < before)
    }

    /// Whether an item's other participants are exactly the query's (as a
    /// set).
    pub(crate) fn same_participants(&self, participants: &[String]) -> bool {
        fn set(items: &[String]) -> Vec<&str> {
            let mut items: Vec<&str> = items.iter().map(String::as_str).collect();
            items.sort_unstable();
            items.dedup();
            items
        }
        set(&self.participants) == set(participants)
    }

    /// The page-token fingerprint of this query's filters over a store in
    /// state `store`.
    pub(crate) fn fingerprint(&self, store: u64) -> u64 {
        let time = |t: Option<DateTime<Utc>>| {
            t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
                .into_iter()
                .collect::<Vec<_>>()
        };
        let phone = [self.phone_number_id.clone()];
        let user: Vec<String> = self.user_id.iter().cloned().collect();
        token::fingerprint_of(
            store,
            &[
                (b'p', &phone),
                (b'n', &self.participants),
                (b'a', &time(self.created_after)),
                (b'b', &time(self.created_before)),
                (b'u', &user),
            ],
        )
    }
}

/// How an endpoint checks each participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Participant {
    /// An E.164 number (messages).
    E164,
    /// Any non-empty string (calls).
    NonEmpty,
}

/// Parses and checks the raw query string (without `?`).
pub(crate) fn parse(raw: Option<&str>, rule: Participant) -> Result<ConversationQuery, QueryError> {
    let mut values = Values::default();
    for (key, value) in query::pairs(raw)? {
        let slot = match &*key {
            "phoneNumberId" => &mut values.phone_number_id,
            "participants" | "participants[]" => &mut values.participants,
            "createdAfter" => &mut values.created_after,
            "createdBefore" => &mut values.created_before,
            "since" => &mut values.since,
            "userId" => &mut values.user_id,
            "maxResults" => &mut values.max_results,
            "pageToken" => &mut values.page_token,
            _ => continue,
        };
        slot.push(value);
    }

    let mut errors = Vec::new();
    let mut one = |name: &str, values: &[String]| {
        query::at_most_one(name, values).unwrap_or_else(|e| {
            errors.push(e);
            None
        })
    };
    let phone_number_id = one("phoneNumberId", &values.phone_number_id);
    let user_id = one("userId", &values.user_id);
    let page_token = one("pageToken", &values.page_token);
    let after = one("createdAfter", &values.created_after);
    let before = one("createdBefore", &values.created_before);
    let since = one("since", &values.since);

    if phone_number_id.is_none() && values.phone_number_id.iter().all(String::is_empty) {
        errors.push(BodyFieldError::new(
            "phoneNumberId",
            "Expected required property",
            None,
            "string",
        ));
    }
    errors.extend(query::prefixed(
        "phoneNumberId",
        phone_number_id.as_deref(),
        "PN",
    ));
    errors.extend(query::prefixed("userId", user_id.as_deref(), "US"));
    if values.participants.is_empty() {
        errors.push(BodyFieldError::new(
            "participants",
            "Expected required property",
            None,
            "array",
        ));
    }
    for (i, participant) in values.participants.iter().enumerate() {
        let message = match rule {
            Participant::E164 if !crate::resources::input::is_e164(participant) => {
                "Expected string to match '^\\+[1-9]\\d{1,14}$'"
            }
            Participant::NonEmpty if participant.is_empty() => {
                "Expected string length greater or equal to 1"
            }
            _ => continue,
        };
        errors.push(BodyFieldError::new(
            &format!("participants/{i}"),
            message,
            Some(Value::from(participant.as_str())),
            "string",
        ));
    }
    let created_after = time("createdAfter", after.as_deref(), &mut errors);
    let created_before = match before {
        Some(before) => time("createdBefore", Some(&before), &mut errors),
        None => time("since", since.as_deref(), &mut errors),
    };
    let max_results =
        query::check_max_results(&values.max_results, MAX_RESULTS).unwrap_or_else(|e| {
            errors.push(e);
            0
        });

    query::checked(errors).map(|()| ConversationQuery {
        phone_number_id: phone_number_id.unwrap_or_default(),
        participants: values.participants,
        created_after,
        created_before,
        user_id,
        max_results,
        page_token,
    })
}

/// Every value given for each parameter, before checking.
#[derive(Default)]
struct Values {
    phone_number_id: Vec<String>,
    participants: Vec<String>,
    created_after: Vec<String>,
    created_before: Vec<String>,
    since: Vec<String>,
    user_id: Vec<String>,
    max_results: Vec<String>,
    page_token: Vec<String>,
}

/// A `date-time` parameter, or `None` with an error pushed when it is not one.
pub(crate) fn time(
    name: &str,
    value: Option<&str>,
    errors: &mut Vec<BodyFieldError>,
) -> Option<DateTime<Utc>> {
    let value = value?;
    match DateTime::parse_from_rfc3339(value) {
        Ok(time) => Some(time.with_timezone(&Utc)),
        Err(_) => {
            errors.push(BodyFieldError::new(
                name,
                "Expected string to match 'date-time' format",
                Some(Value::from(value)),
                "string",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str, rule: Participant) -> ConversationQuery {
        parse(Some(raw), rule).unwrap_or_else(|e| panic!("{raw:?}: {}", e.message))
    }

    fn paths(raw: &str, rule: Participant) -> Vec<String> {
        parse(Some(raw), rule)
            .expect_err("should be rejected")
            .errors
            .into_iter()
            .map(|e| e.path)
            .collect()
    }

    #[test]
    fn parses_every_parameter() {
        let q = ok(
            "phoneNumberId=PN1&participants=%2B15555550123&participants[]=%2B15555550124\
             &createdAfter=2026-01-01T00:00:00Z&createdBefore=2026-02-01T00:00:00%2B01:00\
             &userId=US1&maxResults=100&pageToken=abc&other=1",
            Participant::E164,
        );
        assert_eq!(q.phone_number_id, "PN1");
        assert_eq!(q.participants, ["+15555550123", "+15555550124"]);
        assert_eq!(
            q.created_before.map(|t| t.to_rfc3339()),
            Some("2026-01-31T23:00:00+00:00".into())
        );
        assert_eq!(q.user_id.as_deref(), Some("US1"));
        assert_eq!((q.max_results, q.page_token.as_deref()), (100, Some("abc")));
        let since = ok(
            "phoneNumberId=PN1&participants=x&maxResults=1&since=2026-01-01T00:00:00Z",
            Participant::NonEmpty,
        );
        assert!(since.created_before.is_some());
    }

    #[test]
    fn every_problem_is_named() {
        assert_eq!(
            paths("", Participant::E164),
            ["/phoneNumberId", "/participants", "/maxResults"]
        );
        assert_eq!(
            paths(
                "phoneNumberId=AB1&participants=555&maxResults=101&createdAfter=yesterday&userId=bob",
                Participant::E164
            ),
            [
                "/phoneNumberId",
                "/userId",
                "/participants/0",
                "/createdAfter",
                "/maxResults"
            ]
        );
        assert_eq!(
            paths(
                "phoneNumberId=PN1&participants=&maxResults=1",
                Participant::NonEmpty
            ),
            ["/participants/0"]
        );
        assert_eq!(
            paths(
                "phoneNumberId=PN1&phoneNumberId=PN2&participants=x&maxResults=1",
                Participant::NonEmpty
            ),
            ["/phoneNumberId"]
        );
    }

    #[test]
    fn the_fingerprint_follows_the_filters_not_their_order() {
        let a = ok(
            "phoneNumberId=PN1&participants=a&participants=b&maxResults=5",
            Participant::NonEmpty,
        );
        let b = ok(
            "phoneNumberId=PN1&participants=b&participants=a&maxResults=50",
            Participant::NonEmpty,
        );
        let c = ok(
            "phoneNumberId=PN2&participants=a&participants=b&maxResults=5",
            Participant::NonEmpty,
        );
        assert_eq!(a.fingerprint(1), b.fingerprint(1));
        assert_ne!(a.fingerprint(1), c.fingerprint(1));
        assert_ne!(a.fingerprint(1), a.fingerprint(2));
        assert!(a.same_participants(&["b".into(), "a".into()]));
        assert!(!a.same_participants(&["a".into()]));
    }
}
