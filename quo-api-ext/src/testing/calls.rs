//! Calls and what Quo makes of them: `GET /v1/calls` (one conversation's
//! calls, newest first), `GET /v1/calls/{id}`, `GET /v1/call-summaries/{id}`
//! and `GET /v1/call-transcripts/{id}`.
//!
//! A fixed set of demo calls spread over the last eight weeks, placed
//! relative to the time the server started: the newest two hours before
//! it, every other one half a day away from a whole number of days before
//! it, so a "last N days" listing finds the same calls on every run. Most of them are with [`DEMO_PARTICIPANT`] on
//! the main number: answered calls have a `completed` summary and
//! transcript, missed ones `absent`, and the newest is still being
//! processed: `in-progress`, a value and not an error, as in Quo.
//!
//! The listing wants `phoneNumberId`, exactly one of `participants` (more
//! is `400` Too Many Participants, as the spec says) and `maxResults` 1 to
//! 100; `userId` keeps the calls of numbers shared with that user.
//!
//! `GET /v1/call-recordings/{id}` lists an answered call's recording
//! (`processing` while the call is, like its summary) and none for a call
//! nobody answered; `GET /v1/call-voicemails/{id}` answers the voicemail a
//! missed incoming call left, and `404` for a call that left none.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use hyper::StatusCode;
use serde_json::{Value, json};

use super::conversation_query::{self, Participant};
use super::errors::{self, BodyFieldError, Service};
use super::phone_numbers::{self, DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID, DemoNumber};
use super::reply::Reply;

/// What Quo has made of a call so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Processing {
    /// Summary and transcript are ready.
    Completed,
    /// Still being made.
    InProgress,
    /// None will be made (nobody spoke).
    Absent,
}

/// One demo call: its number, the other participant, hours before the
/// start, whether it came in, its status and length, its processing and
/// what it was about.
struct Row {
    number_id: &'static str,
    participant: &'static str,
    hours_ago: i64,
    incoming: bool,
    status: &'static str,
    duration: i64,
    processing: Processing,
    topic: &'static str,
}

const fn row(
    hours_ago: i64,
    incoming: bool,
    status: &'static str,
    duration: i64,
    processing: Processing,
    topic: &'static str,
) -> Row {
    Row {
        number_id: DEMO_PHONE_NUMBER_ID,
        participant: DEMO_PARTICIPANT,
        hours_ago,
        incoming,
        status,
        duration,
        processing,
        topic,
    }
}

/// The demo calls, newest first. With [`DEMO_PARTICIPANT`] on the main
/// number: 3 in the last 7 days, 7 in the last 30.
const CALLS: [Row; 11] = [
    row(
        2,
        true,
        "completed",
        312,
        Processing::InProgress,
        "moving the install to 10am",
    ),
    row(
        60,
        false,
        "completed",
        95,
        Processing::Completed,
        "the revised quote",
    ),
    Row {
        number_id: "PNdemo0002",
        ..row(
            84,
            true,
            "completed",
            150,
            Processing::Completed,
            "ticket #4821",
        )
    },
    Row {
        participant: "+15555550177",
        ..row(
            108,
            true,
            "completed",
            75,
            Processing::Completed,
            "a quote for two rooms",
        )
    },
    row(132, true, "missed", 0, Processing::Absent, ""),
    row(
        228,
        true,
        "completed",
        428,
        Processing::Completed,
        "a billing question",
    ),
    row(
        348,
        false,
        "completed",
        61,
        Processing::Completed,
        "a site visit",
    ),
    row(
        516,
        true,
        "completed",
        187,
        Processing::Completed,
        "the warranty terms",
    ),
    row(660, false, "no-answer", 0, Processing::Absent, ""),
    row(
        876,
        true,
        "completed",
        240,
        Processing::Completed,
        "a first enquiry",
    ),
    row(
        1260,
        false,
        "completed",
        133,
        Processing::Completed,
        "an introduction",
    ),
];

/// One call, its summary and its transcript, as Quo renders them, and what
/// the listing filters on.
#[derive(Debug)]
struct DemoCall {
    call: Value,
    summary: Value,
    transcript: Value,
    recordings: Value,
    voicemail: Option<Value>,
    number_id: &'static str,
    participant: &'static str,
    created_at: DateTime<Utc>,
}

/// The demo workspace's calls.
#[derive(Debug)]
pub(crate) struct CallStore {
    calls: Vec<DemoCall>,
}

/// The page-token fingerprint of the store: the calls never change.
const STORE_STATE: u64 = 0xCA11_5700;

impl CallStore {
    /// The demo calls, placed before `start`.
    pub(crate) fn new(start: DateTime<Utc>) -> Self {
        let calls = CALLS
            .iter()
            .enumerate()
            .filter_map(|(n, row)| {
                let number = phone_numbers::find(row.number_id)?;
                Some(demo_call(&format!("ACcall{n:04}"), row, number, start))
            })
            .collect();
        Self { calls }
    }

    /// Each call's number, other participant and time, for the
    /// conversation listing.
    pub(crate) fn activity(&self) -> Vec<(&'static str, Vec<String>, DateTime<Utc>)> {
        self.calls
            .iter()
            .map(|c| (c.number_id, vec![c.participant.to_owned()], c.created_at))
            .collect()
    }

    fn find(&self, id: &str) -> Option<&DemoCall> {
        self.calls.iter().find(|c| c.call["id"] == id)
    }

    /// `GET /v1/calls/{id}` (the id already decoded).
    pub(crate) fn get(&self, id: &str, trace: &str) -> Reply {
        match self.find(id) {
            Some(call) => Reply::data(StatusCode::OK, &call.call),
            None => errors::not_found(Service::Calls, "Call not found", trace),
        }
    }

    /// `GET /v1/call-summaries/{id}`.
    pub(crate) fn summary(&self, id: &str, trace: &str) -> Reply {
        match self.find(id) {
            Some(call) => Reply::data(StatusCode::OK, &call.summary),
            None => errors::not_found(Service::CallSummaries, "Call not found", trace),
        }
    }

    /// `GET /v1/call-transcripts/{id}`.
    pub(crate) fn transcript(&self, id: &str, trace: &str) -> Reply {
        match self.find(id) {
            Some(call) => Reply::data(StatusCode::OK, &call.transcript),
            None => errors::not_found(Service::CallTranscripts, "Call not found", trace),
        }
    }

    /// `GET /v1/call-recordings/{callId}`: `[]` when it was not recorded.
    pub(crate) fn recordings(&self, id: &str, trace: &str) -> Reply {
        match self.find(id) {
            Some(call) => Reply::data(StatusCode::OK, &call.recordings),
            None => errors::not_found(Service::CallRecordings, "Call not found", trace),
        }
    }

    /// `GET /v1/call-voicemails/{callId}`: `404` for an unknown call and
    /// for a call that left no voicemail.
    pub(crate) fn voicemail(&self, id: &str, trace: &str) -> Reply {
        match self.find(id) {
            Some(DemoCall {
                voicemail: Some(voicemail),
                ..
            }) => Reply::data(StatusCode::OK, voicemail),
            Some(_) => errors::not_found(Service::CallVoicemails, "Voicemail not found", trace),
            None => errors::not_found(Service::CallVoicemails, "Call not found", trace),
        }
    }

    /// Whether a call with this id exists, and its number's id.
    pub(crate) fn number_of(&self, id: &str) -> Option<&'static str> {
        self.find(id).map(|c| c.number_id)
    }

    /// `GET /v1/calls`.
    pub(crate) fn list(&self, raw_query: Option<&str>, trace: &str) -> Reply {
        let query = match conversation_query::parse(raw_query, Participant::NonEmpty) {
            Ok(query) => query,
            Err(e) => return errors::invalid(Service::Calls, &e.message, &e.errors, trace),
        };
        if query.participants.len() > 1 {
            let error = BodyFieldError::new(
                "participants",
                "Expected array to have at most 1 items",
                Some(Value::from(query.participants.clone())),
                "array",
            );
            return errors::too_many_participants(error, trace);
        }
        let Some(number) =
            phone_numbers::find(&query.phone_number_id).filter(|n| n.id == query.phone_number_id)
        else {
            return errors::not_phone_number_user(Service::Calls, trace);
        };
        let visible = query
            .user_id
            .as_deref()
            .is_none_or(|user| phone_numbers::is_shared_with(number.id, user));
        let matching: Vec<&Value> = self
            .calls
            .iter()
            .filter(|c| {
                visible
                    && c.number_id == number.id
                    && query.same_participants(&[c.participant.to_owned()])
                    && query.in_window(c.created_at)
            })
            .map(|c| &c.call)
            .collect();
        let fingerprint = query.fingerprint(STORE_STATE);
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
            Err(error) => errors::invalid(
                Service::Calls,
                "pageToken: invalid page token",
                &[error],
                trace,
            ),
        }
    }
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// One call of the table, rendered.
fn demo_call(id: &str, row: &Row, number: DemoNumber, start: DateTime<Utc>) -> DemoCall {
    let created = start - Duration::hours(row.hours_ago);
    let answered = (row.status == "completed").then(|| created + Duration::seconds(7));
    let completed = answered.map(|at| at + Duration::seconds(row.duration));
    let owner = number.owner;
    let call = json!({
        "id": id,
        "phoneNumberId": number.id,
        "userId": owner,
        "direction": if row.incoming { "incoming" } else { "outgoing" },
        "status": row.status,
        "duration": row.duration,
        "participants": [row.participant, number.number],
        "createdAt": time(created),
        "answeredAt": answered.map(time),
        "answeredBy": answered.filter(|_| row.incoming).map(|_| owner),
        "initiatedBy": (!row.incoming).then_some(owner),
        "completedAt": completed.map(time),
        "updatedAt": time(completed.unwrap_or(created)),
        "callRoute": row.incoming.then_some("phone-number"),
        "aiHandled": null,
        "forwardedFrom": null,
        "forwardedTo": null,
    });
    let status = match row.processing {
        Processing::Completed => "completed",
        Processing::InProgress => "in-progress",
        Processing::Absent => "absent",
    };
    let done = row.processing == Processing::Completed;
    let summary = json!({
        "callId": id,
        "status": status,
        "summary": done.then(|| vec![format!("The call was about {}.", row.topic)]),
        "nextSteps": done.then(|| vec![format!("Follow up on {}.", row.topic)]),
        "jobs": null,
    });
    let transcript = json!({
        "callId": id,
        "createdAt": time(completed.unwrap_or(created) + Duration::seconds(60)),
        "dialogue": done.then(|| dialogue(row, number)),
        "duration": row.duration as f64,
        "status": status,
    });
    let suffix = id.trim_start_matches("AC");
    let recordings = match (answered, row.processing) {
        (Some(start), processing) => json!([{
            "id": format!("RC{suffix}"),
            "duration": row.duration,
            "startTime": time(start),
            "status": if processing == Processing::InProgress { "processing" } else { "completed" },
            "type": "audio/mpeg",
            "url": format!("https://files.example.com/recordings/RC{suffix}.mp3"),
        }]),
        (None, _) => json!([]),
    };
    let voicemail = (row.incoming && row.status == "missed").then(|| {
        json!({
            "id": format!("VM{suffix}"),
            "duration": 23,
            "transcript": "Hi, it's about the install, please call me back when you can.",
            "recordingUrl": format!("https://files.example.com/voicemails/VM{suffix}.mp3"),
            "status": "completed",
        })
    });
    DemoCall {
        call,
        summary,
        transcript,
        recordings,
        voicemail,
        number_id: number.id,
        participant: row.participant,
        created_at: created,
    }
}

/// A short exchange filling the call: whoever picks up speaks first.
fn dialogue(row: &Row, number: DemoNumber) -> Vec<Value> {
    let us = (number.number, Some(number.owner));
    let them = (row.participant, None);
    let topic = row.topic;
    let lines = if row.incoming {
        [
            (us, "Thanks for calling, how can I help?".to_owned()),
            (them, format!("Hi, it's about {topic}.")),
            (us, format!("Sure, let's sort out {topic} now.")),
            (them, "Great, thank you.".to_owned()),
        ]
    } else {
        [
            (them, "Hello?".to_owned()),
            (us, format!("Hi, I'm calling about {topic}.")),
            (them, "Sure, let's go through it.".to_owned()),
            (
                us,
                "Great, I'll send the details after this call.".to_owned(),
            ),
        ]
    };
    let step = row.duration as f64 / lines.len() as f64;
    lines
        .into_iter()
        .enumerate()
        .map(|(i, ((identifier, user_id), content))| {
            json!({
                "content": content,
                "start": i as f64 * step,
                "end": (i as f64 + 0.9) * step,
                "identifier": identifier,
                "userId": user_id,
            })
        })
        .collect()
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

    #[test]
    fn answered_calls_have_a_recording_missed_ones_a_voicemail() {
        let store = CallStore::new(start());
        let recordings = body(&store.recordings("ACcall0001", "t"));
        assert_eq!(recordings["data"][0]["status"], "completed");
        assert_eq!(recordings["data"][0]["duration"], 95);
        assert_eq!(
            body(&store.recordings("ACcall0000", "t"))["data"][0]["status"],
            "processing"
        );
        assert_eq!(
            body(&store.recordings("ACcall0004", "t"))["data"],
            json!([])
        );
        let voicemail = body(&store.voicemail("ACcall0004", "t"));
        assert_eq!(voicemail["data"]["status"], "completed");
        let decoded: quo_api::types::CallVoicemail =
            serde_json::from_value(voicemail["data"].clone()).unwrap();
        assert_eq!(decoded.duration, Some(23));
        for call in &store.calls {
            let decoded: Result<Vec<quo_api::types::CallRecording>, _> =
                serde_json::from_value(call.recordings.clone());
            assert!(decoded.is_ok(), "{decoded:?}");
        }
        let none = store.voicemail("ACcall0001", "t");
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        assert_eq!(body(&none)["code"], "1200404");
        assert_eq!(body(&store.recordings("ACnope", "t"))["code"], "0900404");
    }

    const CONVERSATION: &str = "phoneNumberId=PNdemo0001&participants=%2B15555550123";

    fn ids(page: &Value) -> Vec<&str> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["id"].as_str())
            .collect()
    }

    #[test]
    fn lists_the_conversations_calls_in_a_window_newest_first() {
        let store = CallStore::new(start());
        let after =
            |days: i64| (start() - Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true);
        let all = body(&store.list(Some(&format!("{CONVERSATION}&maxResults=100")), "t"));
        assert_eq!(all["totalItems"], 9);
        let week = body(&store.list(
            Some(&format!(
                "{CONVERSATION}&maxResults=100&createdAfter={}",
                after(7)
            )),
            "t",
        ));
        assert_eq!(ids(&week), ["ACcall0000", "ACcall0001", "ACcall0004"]);
        let month = body(&store.list(
            Some(&format!(
                "{CONVERSATION}&maxResults=3&createdAfter={}",
                after(30)
            )),
            "t",
        ));
        assert_eq!(month["totalItems"], 7);
        let token = month["nextPageToken"].as_str().unwrap();
        let next = body(&store.list(
            Some(&format!(
                "{CONVERSATION}&maxResults=3&createdAfter={}&pageToken={token}",
                after(30)
            )),
            "t",
        ));
        assert_eq!(ids(&next), ["ACcall0005", "ACcall0006", "ACcall0007"]);
        let grace = body(&store.list(
            Some(&format!("{CONVERSATION}&maxResults=100&userId=USdemo0002")),
            "t",
        ));
        assert_eq!(grace["totalItems"], 9);
        let nobody = body(&store.list(
            Some(&format!("{CONVERSATION}&maxResults=100&userId=USnobody")),
            "t",
        ));
        assert_eq!(nobody["totalItems"], 0);
    }

    #[test]
    fn the_listing_checks_its_query() {
        let store = CallStore::new(start());
        let two = store.list(
            Some(&format!(
                "{CONVERSATION}&participants=%2B15555550177&maxResults=10"
            )),
            "t",
        );
        assert_eq!(two.status, StatusCode::BAD_REQUEST);
        let two = body(&two);
        assert_eq!(
            (two["code"].as_str(), two["title"].as_str()),
            (Some("0101400"), Some("Too Many Participants"))
        );
        let missing = body(&store.list(Some("participants=%2B15555550123&maxResults=10"), "t"));
        assert_eq!(missing["code"], "0100400");
        assert_eq!(missing["errors"][0]["path"], "/phoneNumberId");
        let foreign = store.list(Some("phoneNumberId=PNx&participants=x&maxResults=10"), "t");
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);
        assert_eq!(body(&foreign)["code"], "0101403");
    }

    #[test]
    fn summaries_and_transcripts_carry_their_status() {
        let store = CallStore::new(start());
        let summary = body(&store.summary("ACcall0000", "t"))["data"].clone();
        assert_eq!(summary["status"], "in-progress");
        assert_eq!(summary["summary"], Value::Null);
        let summary = body(&store.summary("ACcall0001", "t"))["data"].clone();
        assert_eq!(summary["status"], "completed");
        let transcript = body(&store.transcript("ACcall0001", "t"))["data"].clone();
        assert_eq!(transcript["dialogue"].as_array().map(Vec::len), Some(4));
        assert_eq!(
            body(&store.transcript("ACcall0004", "t"))["data"]["status"],
            "absent"
        );
        for (reply, code) in [
            (store.get("ACnope", "t"), "0100404"),
            (store.summary("ACnope", "t"), "0500404"),
            (store.transcript("ACnope", "t"), "0600404"),
        ] {
            assert_eq!(reply.status, StatusCode::NOT_FOUND);
            assert_eq!(body(&reply)["code"], code);
        }
    }

    #[test]
    fn everything_decodes_as_the_sdk_types() {
        use quo_api::types::{Call, CallSummary, CallTranscript};
        let store = CallStore::new(start());
        for call in &store.calls {
            let decoded: Result<Call, _> = serde_json::from_value(call.call.clone());
            assert!(decoded.is_ok(), "{decoded:?}");
            let decoded: Result<CallSummary, _> = serde_json::from_value(call.summary.clone());
            assert!(decoded.is_ok(), "{decoded:?}");
            let decoded: Result<CallTranscript, _> =
                serde_json::from_value(call.transcript.clone());
            assert!(decoded.is_ok(), "{decoded:?}");
        }
    }
}
