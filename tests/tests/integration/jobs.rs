//! The long jobs: a workspace-wide call export (`calls().export()`) and
//! waiting for a message's delivery (`messages().wait(id)`), against an
//! httpmock server (what goes over the wire, failures placed per call) and
//! the demo server (its conversations, its delivery schedule, its
//! latency). Each test prints what it measured: requests of an export,
//! polls and time of a wait.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use httpmock::Method::GET;
use httpmock::MockServer;
use quo_api::Open;
use quo_api::types::MessageStatus;
use quo_api_ext::calls::{CallProcessing, ExportedCall};
use quo_api_ext::messages::{DeliveryOutcome, MessageDraft};
use quo_api_ext::testing::{
    DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID, DEMO_UNDELIVERABLE, DemoConfig, DemoServer,
    RecordedRequest,
};
use quo_api_ext::{Error, QuoClient};
use serde_json::{Value, json};

use quo_tests::clients;
use quo_tests::resources;

const A: &str = "+15555550001";
const B: &str = "+15555550002";
const C: &str = "+15555550003";

fn phone_number(id: &str) -> Value {
    let mut number = serde_json::to_value(resources::phone_number()).unwrap();
    number["id"] = id.into();
    number
}

fn conversation(id: &str, number: &str, participants: &[&str]) -> Value {
    let mut conversation = serde_json::to_value(resources::conversation()).unwrap();
    conversation["id"] = id.into();
    conversation["phoneNumberId"] = number.into();
    conversation["participants"] = json!(participants);
    conversation
}

fn call(id: &str, number: &str, participants: &[&str]) -> Value {
    let mut call = serde_json::to_value(resources::call()).unwrap();
    call["id"] = id.into();
    call["phoneNumberId"] = number.into();
    call["participants"] = json!(participants);
    call
}

fn page(items: Vec<Value>) -> Value {
    json!({"data": items, "totalItems": items.len(), "nextPageToken": null})
}

/// A workspace of two numbers and three participants on httpmock:
///
/// - PN1 talks to A alone and to A and B together (a group: the pair
///   (PN1, A) is named by two conversations), PN2 to C and to A;
/// - call AC2 was with A and B on PN1, so both A's and B's listings
///   return it.
///
/// Returns the mocks of the four call listings.
fn workspace(server: &MockServer) -> Vec<httpmock::Mock<'_>> {
    server.mock(|when, then| {
        when.method(GET).path("/v1/phone-numbers");
        then.status(200)
            .json_body(json!({"data": [phone_number("PN1"), phone_number("PN2")]}));
    });
    server.mock(|when, then| {
        when.method(GET)
            .path("/v1/conversations")
            .query_param("phoneNumbers", "PN1")
            .query_param("phoneNumbers", "PN2")
            .query_param("updatedAfter", "2024-05-01T00:00:00Z")
            .query_param("createdBefore", "2024-06-01T00:00:00Z")
            .query_param("maxResults", "100");
        then.status(200).json_body(page(vec![
            conversation("CN1", "PN1", &[A]),
            conversation("CN2", "PN1", &[A, B]),
            conversation("CN3", "PN2", &[C]),
            conversation("CN4", "PN2", &[A]),
        ]));
    });
    let listing = |number: &str, participant: &str, calls: Vec<Value>| {
        server.mock(|when, then| {
            when.method(GET)
                .path("/v1/calls")
                .query_param("phoneNumberId", number)
                .query_param("participants", participant)
                .query_param("createdAfter", "2024-05-01T00:00:00Z")
                .query_param("createdBefore", "2024-06-01T00:00:00Z");
            then.status(200).json_body(page(calls));
        })
    };
    vec![
        listing(
            "PN1",
            A,
            vec![call("AC1", "PN1", &[A]), call("AC2", "PN1", &[A, B])],
        ),
        listing(
            "PN1",
            B,
            vec![call("AC2", "PN1", &[A, B]), call("AC3", "PN1", &[B])],
        ),
        listing("PN2", C, vec![call("AC4", "PN2", &[C])]),
        listing("PN2", A, vec![call("AC5", "PN2", &[A])]),
    ]
}

/// One detail (summary or transcript) answer for `id` at `path`.
fn detail(server: &MockServer, path: &str, id: &str, status: u16, body: Value) {
    let path = format!("{path}{id}");
    server.mock(|when, then| {
        when.method(GET).path(path);
        then.status(status).json_body(body);
    });
}

fn summary(id: &str, status: &str) -> Value {
    let mut summary = serde_json::to_value(resources::call_summary()).unwrap();
    summary["callId"] = id.into();
    summary["status"] = status.into();
    json!({ "data": summary })
}

fn transcript(id: &str) -> Value {
    let mut transcript = serde_json::to_value(resources::call_transcript()).unwrap();
    transcript["callId"] = id.into();
    json!({ "data": transcript })
}

fn window() -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    (
        resources::at("2024-05-01T00:00:00Z"),
        resources::at("2024-06-01T00:00:00Z"),
    )
}

fn ids(calls: &[ExportedCall]) -> Vec<&str> {
    calls.iter().map(|c| c.call.id.as_str()).collect()
}

#[tokio::test]
async fn export_walks_every_number_and_participant_and_yields_each_call_once() {
    let server = MockServer::start_async().await;
    let listings = workspace(&server);
    let client = clients::client(&server);
    let (after, before) = window();
    let export = client
        .calls()
        .export()
        .created_after(after)
        .created_before(before);
    let progress = export.progress();
    let calls: Vec<ExportedCall> = export.items().try_collect().await.unwrap();

    // Every call of every pair, in walk order, AC2 once though two
    // listings returned it.
    assert_eq!(ids(&calls), ["AC1", "AC2", "AC3", "AC4", "AC5"]);
    let unique: HashSet<&str> = ids(&calls).into_iter().collect();
    assert_eq!(unique.len(), calls.len());
    // (PN1, A) is named by two conversations and listed once.
    for listing in &listings {
        listing.assert_calls(1);
    }
    assert_eq!(calls[1].participant, A, "found first under A");
    assert!(
        calls
            .iter()
            .all(|c| c.summary.is_none() && c.transcript.is_none())
    );

    let done = progress.snapshot();
    assert_eq!(done.phone_numbers, 2);
    assert_eq!(done.conversations, 4);
    assert_eq!(done.participants, 4);
    assert_eq!(done.calls, 5);
    assert_eq!(done.duplicates, 1);
    // 1 phone number listing + 1 conversation page + 4 call listings.
    assert_eq!(done.requests, 6);
    assert_eq!(calls[4].progress.calls, 5);
    assert_eq!(calls[0].progress.calls, 1);
    println!(
        "export over 2 numbers x 3 participants: {} requests for 5 calls",
        done.requests
    );
}

#[tokio::test]
async fn a_missing_unfinished_or_failed_summary_is_that_calls_outcome_and_the_export_goes_on() {
    let server = MockServer::start_async().await;
    workspace(&server);
    let summaries = "/v1/call-summaries/";
    detail(&server, summaries, "AC1", 200, summary("AC1", "completed"));
    let not_found = json!({"message": "Call summary not found", "code": "0500404", "status": 404});
    detail(&server, summaries, "AC2", 404, not_found);
    detail(
        &server,
        summaries,
        "AC3",
        200,
        summary("AC3", "in-progress"),
    );
    let broken = json!({"message": "Unknown error", "code": "0500500", "status": 500});
    detail(&server, summaries, "AC4", 500, broken);
    detail(&server, summaries, "AC5", 200, summary("AC5", "failed"));
    for id in ["AC1", "AC2", "AC3", "AC4", "AC5"] {
        detail(&server, "/v1/call-transcripts/", id, 200, transcript(id));
    }
    let client = clients::client(&server);
    let (after, before) = window();
    let calls: Vec<ExportedCall> = client
        .calls()
        .export()
        .created_after(after)
        .created_before(before)
        .with_summaries()
        .with_transcripts()
        .items()
        .try_collect()
        .await
        .expect("no summary ends the export");

    assert_eq!(ids(&calls), ["AC1", "AC2", "AC3", "AC4", "AC5"]);
    let summary_of = |i: usize| calls[i].summary.as_ref().expect("summaries were asked for");
    match summary_of(0) {
        CallProcessing::Completed(s) => assert_eq!(s.call_id, "AC1"),
        other => panic!("AC1: {other:?}"),
    }
    assert!(
        matches!(summary_of(1), CallProcessing::Missing),
        "{:?}",
        summary_of(1)
    );
    match summary_of(2) {
        CallProcessing::NotCompleted(s) => assert_eq!(s.status.to_string(), "in-progress"),
        other => panic!("AC3: {other:?}"),
    }
    match summary_of(3) {
        CallProcessing::Failed(e) => assert_eq!(e.status(), Some(500)),
        other => panic!("AC4: {other:?}"),
    }
    match summary_of(4) {
        CallProcessing::NotCompleted(s) => assert_eq!(s.status.to_string(), "failed"),
        other => panic!("AC5: {other:?}"),
    }
    for exported in &calls {
        let transcript = exported
            .transcript
            .as_ref()
            .and_then(CallProcessing::completed);
        assert_eq!(
            transcript.map(|t| t.call_id.as_str()),
            Some(exported.call.id.as_str())
        );
    }
    // 6 listings + 5 summaries + 5 transcripts (the 500 is not retried).
    assert_eq!(calls[4].progress.requests, 16);
}

#[tokio::test]
async fn a_failed_listing_is_an_error_in_its_place_and_the_walk_goes_on() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.method(GET)
            .path("/v1/conversations")
            .query_param("phoneNumbers", "PN1");
        then.status(200).json_body(page(vec![
            conversation("CN1", "PN1", &[A]),
            conversation("CN2", "PN1", &[B]),
        ]));
    });
    let refused = server.mock(|when, then| {
        when.method(GET)
            .path("/v1/calls")
            .query_param("participants", A);
        then.status(403).json_body(json!({
            "message": "You are not a user of this phone number.",
            "code": "0101403",
            "status": 403,
            "title": "Not Phone Number User"
        }));
    });
    server.mock(|when, then| {
        when.method(GET)
            .path("/v1/calls")
            .query_param("participants", B);
        then.status(200)
            .json_body(page(vec![call("AC3", "PN1", &[B])]));
    });
    let client = clients::client(&server);
    let items: Vec<_> =
        futures::StreamExt::collect(client.calls().export().phone_numbers(["PN1"]).items()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(&items[0], Err(e) if e.status() == Some(403)),
        "{:?}",
        items[0]
    );
    assert_eq!(items[1].as_ref().unwrap().call.id, "AC3");
    refused.assert_calls(1);
}

#[tokio::test]
async fn a_bad_setting_is_the_only_item_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(500);
    });
    let client = clients::client(&server);
    let (after, before) = window();
    for export in [
        client.calls().export().concurrency(0),
        client
            .calls()
            .export()
            .created_after(before)
            .created_before(after),
        client.calls().export().phone_numbers(["+15555550100"]),
    ] {
        let items: Vec<_> = futures::StreamExt::collect(export.items()).await;
        assert!(
            matches!(items.as_slice(), [Err(Error::InvalidInput { .. })]),
            "{items:?}"
        );
    }
    anything.assert_calls(0);
}

/// The most summary and transcript requests the server was answering at
/// once: each one's interval is its answer time minus the server's fixed
/// latency, a lower bound of the time it spent in flight (the timer only
/// waits longer), so the count never exceeds the real one.
fn most_in_flight(requests: &[RecordedRequest], latency: Duration) -> usize {
    let details: Vec<(Instant, Instant)> = requests
        .iter()
        .filter(|r| {
            r.path.starts_with("/v1/call-summaries/") || r.path.starts_with("/v1/call-transcripts/")
        })
        .map(|r| (r.answered_at - latency, r.answered_at))
        .collect();
    details
        .iter()
        .map(|&(start, _)| {
            details
                .iter()
                .filter(|&&(s, e)| s <= start && start < e)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn demo_client(server: &DemoServer) -> QuoClient {
    clients::client(server)
}

#[tokio::test]
async fn the_export_keeps_summary_and_transcript_requests_within_its_concurrency() {
    let _timed = crate::support::timed().await;
    let latency = Duration::from_millis(60);
    for concurrency in [1, 3] {
        let server = DemoServer::start(DemoConfig::default().with_latency(latency, Duration::ZERO))
            .await
            .unwrap();
        let client = demo_client(&server);
        let started = Instant::now();
        let export = client
            .calls()
            .export()
            .with_summaries()
            .with_transcripts()
            .concurrency(concurrency);
        let progress = export.progress();
        let calls: Vec<ExportedCall> = export.items().try_collect().await.unwrap();
        let elapsed = started.elapsed();
        let requests = server.requests();
        let most = most_in_flight(&requests, latency);
        println!(
            "demo export, concurrency {concurrency}: {} calls, {} requests ({} on the server), \
             at most {most} detail requests in flight, {elapsed:?}",
            calls.len(),
            progress.snapshot().requests,
            requests.len()
        );
        assert_eq!(calls.len(), 11, "every demo call, all time");
        // 1 number listing + 1 conversation page + 3 pairs + 11 × 2.
        assert_eq!(requests.len(), 27);
        assert_eq!(progress.snapshot().requests, 27);
        assert_eq!(progress.snapshot().in_flight, 0);
        assert!(most <= concurrency, "{most} in flight, bound {concurrency}");
        assert_eq!(most, concurrency, "the bound is used");
    }
}

#[tokio::test]
async fn the_demo_export_covers_each_demo_conversation_once() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = demo_client(&server);
    let since = chrono::Utc::now() - chrono::Duration::days(30);
    let calls: Vec<ExportedCall> = client
        .calls()
        .export()
        .created_after(since)
        .items()
        .try_collect()
        .await
        .unwrap();
    let requests = server.requests();
    let pairs: Vec<(String, String)> = requests
        .iter()
        .filter(|r| r.path == "/v1/calls")
        .map(|r| {
            let q = r.query_pairs();
            let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
            (get("phoneNumberId").unwrap(), get("participants").unwrap())
        })
        .collect();
    let pair = |n: &str, p: &str| (n.to_owned(), p.to_owned());
    assert_eq!(
        pairs,
        [
            pair(DEMO_PHONE_NUMBER_ID, DEMO_PARTICIPANT),
            pair("PNdemo0002", DEMO_PARTICIPANT),
            pair(DEMO_PHONE_NUMBER_ID, "+15555550177"),
        ]
    );
    assert_eq!(calls.len(), 9);
    println!(
        "demo export, last 30 days, no details: {} calls in {} requests",
        calls.len(),
        requests.len()
    );
    assert_eq!(requests.len(), 5);
}

async fn send(client: &QuoClient, to: &str) -> String {
    client
        .messages()
        .send(
            MessageDraft::new("Your order has shipped")
                .from(DEMO_PHONE_NUMBER_ID)
                .to(to),
        )
        .await
        .unwrap()
        .id
}

fn polls_of(server: &DemoServer, id: &str) -> usize {
    let path = format!("/v1/messages/{id}");
    server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == path)
        .count()
}

#[tokio::test]
async fn waiting_on_the_demo_server_reaches_delivered() {
    let _timed = crate::support::timed().await;
    // queued for 200 ms, sent for 200 ms, then delivered.
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = demo_client(&server);
    let id = send(&client, DEMO_PARTICIPANT).await;
    let started = Instant::now();
    let settled = client
        .messages()
        .wait(&id)
        .poll_interval(Duration::from_millis(100))
        .max_poll_interval(Duration::from_millis(400))
        .deadline(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    println!(
        "wait for delivery: {} polls, {:?} (server saw {})",
        settled.polls,
        elapsed,
        polls_of(&server, &id)
    );
    assert_eq!(settled.outcome, DeliveryOutcome::Delivered);
    assert_eq!(settled.message.id, id);
    assert!(matches!(
        settled.message.status,
        Open::Known(MessageStatus::Delivered)
    ));
    // Polls at 0, 100, 300 and 700 ms: queued, queued, sent, delivered
    // (one fewer if the machine is slow enough to skip past `sent`).
    assert_eq!(polls_of(&server, &id), settled.polls as usize);
    assert!((3..=4).contains(&settled.polls), "{} polls", settled.polls);
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    // The server serves the message delivered from now on.
    let read = client.messages().get(&id).await.unwrap();
    assert_eq!(read.status.to_string(), "delivered");
}

#[tokio::test]
async fn waiting_on_an_incoming_message_or_a_non_message_id_is_refused_naming_message_id() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = demo_client(&server);
    let incoming = client
        .messages()
        .list(DEMO_PHONE_NUMBER_ID, [DEMO_PARTICIPANT])
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.status.to_string() == "received")
        .expect("a seeded incoming message");
    server.clear_requests();
    let refused = |result: quo_api_ext::Result<_>| match result {
        Err(Error::InvalidInput { field, message }) => (field, message),
        other => panic!("expected InvalidInput, got {other:?}"),
    };
    // An incoming message has no delivery: refused after the one read.
    let (field, message) = refused(client.messages().wait(&incoming.id).send().await);
    assert_eq!(field, "message_id");
    assert!(message.contains("incoming"), "{message}");
    assert_eq!(polls_of(&server, &incoming.id), 1);
    // Not a message id (a conversation's): refused with nothing sent.
    let (field, _) = refused(client.messages().wait("CN123abc").send().await);
    assert_eq!(field, "message_id");
    assert_eq!(
        server.requests().len(),
        1,
        "only the one read of the incoming message"
    );
}

#[tokio::test]
async fn waiting_for_the_undeliverable_demo_recipient_returns_undelivered() {
    let server =
        DemoServer::start(DemoConfig::default().with_delivery_step(Duration::from_millis(20)))
            .await
            .unwrap();
    let client = demo_client(&server);
    let id = send(&client, DEMO_UNDELIVERABLE).await;
    let settled = client
        .messages()
        .wait(&id)
        .poll_interval(Duration::from_millis(30))
        .deadline(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    println!(
        "wait for undelivered: {} polls, {:?}",
        settled.polls, settled.elapsed
    );
    assert_eq!(settled.outcome, DeliveryOutcome::Undelivered);
    assert_eq!(settled.message.status.to_string(), "undelivered");
    assert_eq!(polls_of(&server, &id), settled.polls as usize);
}

#[tokio::test]
async fn the_deadline_is_a_wait_timeout_naming_the_last_status_and_polls_follow_the_backoff() {
    let _timed = crate::support::timed().await;
    // Never leaves `queued` within the test.
    let server =
        DemoServer::start(DemoConfig::default().with_delivery_step(Duration::from_secs(3600)))
            .await
            .unwrap();
    let client = demo_client(&server);
    let id = send(&client, DEMO_PARTICIPANT).await;
    let started = Instant::now();
    let error = client
        .messages()
        .wait(&id)
        .poll_interval(Duration::from_millis(100))
        .max_poll_interval(Duration::from_millis(400))
        .deadline(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let polls = polls_of(&server, &id);
    println!("wait to its deadline: {polls} polls, {elapsed:?}: {error}");
    match &error {
        Error::WaitTimeout {
            id: named,
            last_status,
            polls: counted,
            waited,
        } => {
            assert_eq!(named, &id);
            assert_eq!(last_status.as_deref(), Some("queued"));
            assert_eq!(*counted as usize, polls);
            assert!(*waited >= Duration::from_secs(1), "{waited:?}");
        }
        other => panic!("expected WaitTimeout, got {other:?}"),
    }
    assert!(error.to_string().contains("still queued"), "{error}");
    // Pauses of 100, 200, 400 then 300 ms (cut at the deadline): polls at
    // 0, 100, 300, 700 and 1000 ms, five at most.
    assert!((4..=5).contains(&polls), "{polls} polls");
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1800), "{elapsed:?}");
}

#[tokio::test]
async fn polls_are_paced_by_the_clients_rate_limiter() {
    let _timed = crate::support::timed().await;
    let server =
        DemoServer::start(DemoConfig::default().with_delivery_step(Duration::from_secs(3600)))
            .await
            .unwrap();
    // 5 requests a second, evenly spaced: one every 200 ms.
    let client = clients::builder(&server).rate_limit(5).build().unwrap();
    let id = send(&client, DEMO_PARTICIPANT).await;
    let result = client
        .messages()
        .wait(&id)
        .poll_interval(Duration::from_millis(1))
        .max_poll_interval(Duration::from_millis(1))
        .deadline(Duration::from_secs(1))
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::WaitTimeout { .. })),
        "{result:?}"
    );
    let polls = polls_of(&server, &id);
    println!("1 ms polling for 1 s at 5 requests/s: {polls} polls");
    // Without the limiter, a 1 ms pause would poll hundreds of times.
    assert!((3..=7).contains(&polls), "{polls} polls");
}
