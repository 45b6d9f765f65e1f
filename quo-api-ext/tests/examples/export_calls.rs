//! Runs the built `export_calls` example on its own demo server (no key) and
//! against one this test starts, and checks its JSON lines against the
//! demo calls: every call of every number and participant in range, once,
//! each with its summary and transcript, a summary that is not ready shown
//! as its status alone; and the requests it made, on the server's side.

use std::collections::HashSet;

use crate::common::run_example;
use chrono::{Duration, Utc};
use quo_api_ext::QuoClient;
use quo_api_ext::raw::types::Call;
use quo_api_ext::testing::{DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID, DemoConfig, DemoServer};
use serde_json::Value;

const UNSET: &[&str] = &["QUO_API_KEY", "QUO_BASE_URL"];

/// The demo workspace's conversations, most recently active first, as
/// (phone number id, participant).
const PAIRS: [(&str, &str); 3] = [
    (DEMO_PHONE_NUMBER_ID, DEMO_PARTICIPANT),
    ("PNdemo0002", DEMO_PARTICIPANT),
    (DEMO_PHONE_NUMBER_ID, "+15555550177"),
];

/// The calls of every demo pair in the last `days` days, listed pair by
/// pair on a fresh demo server: what the export must yield, in its order.
async fn demo_calls(days: i64) -> Vec<Call> {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let mut calls = Vec::new();
    for (number, participant) in PAIRS {
        calls.extend(
            client
                .calls()
                .list(number, participant)
                .created_after(Utc::now() - Duration::days(days))
                .collect_all()
                .await
                .unwrap(),
        );
    }
    calls
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn ids(exported: &[Value]) -> Vec<&str> {
    exported
        .iter()
        .filter_map(|line| line["call"]["id"].as_str())
        .collect()
}

async fn export(args: &'static [&'static str]) -> (Vec<Value>, String) {
    let run = tokio::task::spawn_blocking(move || run_example("export_calls", args, UNSET, &[]))
        .await
        .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    (lines(&run.stdout), run.stderr)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_30_days_of_every_number_and_participant_are_one_json_line_per_call() {
    let (exported, stderr) = export(&[]).await;
    let expected = demo_calls(30).await;
    let expected_ids: Vec<&str> = expected.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids(&exported), expected_ids);
    assert_eq!(
        ids(&exported).len(),
        9,
        "the demo has 9 calls in the last 30 days: 7 with the demo customer on the main \
         number, one on the support number, one with another customer"
    );
    let unique: HashSet<&str> = ids(&exported).into_iter().collect();
    assert_eq!(unique.len(), 9, "no call twice");
    // 1 phone number listing + 1 conversation page + 3 call listings + 9 × 2.
    assert!(
        stderr.contains(
            "exported 9 call(s) of the last 30 days over 2 phone number(s) and 3 participant(s) \
             in 23 request(s) (0 listed twice, skipped)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("progress: 5 call(s)"), "{stderr}");

    for (line, call) in exported.iter().zip(&expected) {
        // The call as the API serves it (the demo places calls relative to
        // when its server started, so times differ by that much).
        let written: Call = serde_json::from_value(line["call"].clone()).unwrap();
        assert_eq!(
            Call {
                created_at: call.created_at,
                answered_at: call.answered_at,
                completed_at: call.completed_at,
                updated_at: call.updated_at,
                ..written.clone()
            },
            *call
        );
        assert!((written.created_at - call.created_at).abs() < Duration::minutes(1));
        assert!(
            call.participants
                .contains(&line["participant"].as_str().unwrap().to_owned())
        );
        let summary = &line["summary"];
        let transcript = &line["transcript"];
        match summary["status"].as_str() {
            Some("completed") => {
                assert_eq!(summary["callId"], call.id.as_str());
                assert!(summary["summary"][0].is_string(), "{summary}");
                assert_eq!(transcript["status"], "completed");
                assert!(!transcript["dialogue"].as_array().unwrap().is_empty());
            }
            Some(status) => {
                // Not ready: the status alone.
                assert_eq!(summary, &serde_json::json!({ "status": status }));
            }
            None => panic!("no summary status in {line}"),
        }
    }
    // The newest call is still being processed, missed calls have none.
    assert_eq!(
        exported[0]["summary"],
        serde_json::json!({"status": "in-progress"})
    );
    assert_eq!(
        exported[0]["transcript"],
        serde_json::json!({"status": "in-progress"})
    );
    let absent = exported
        .iter()
        .filter(|line| line["summary"]["status"] == "absent")
        .count();
    assert_eq!(absent, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_number_of_days_narrows_the_export() {
    let (week, _) = export(&["7"]).await;
    let expected = demo_calls(7).await;
    let expected_ids: Vec<&str> = expected.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids(&week), expected_ids);
    assert_eq!(ids(&week).len(), 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_key_it_walks_the_server_given_and_only_the_numbers_given() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let (url, key) = (server.url(), server.api_key().to_owned());
    let run = tokio::task::spawn_blocking(move || {
        run_example(
            "export_calls",
            &["10", "PNdemo0002"],
            &[],
            &[("QUO_API_KEY", &key), ("QUO_BASE_URL", &url)],
        )
    })
    .await
    .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    let exported = lines(&run.stdout);
    assert_eq!(ids(&exported), ["ACcall0002"], "{}", run.stdout);
    assert!(
        run.stderr
            .contains("exported 1 call(s) of the last 10 days over 1 phone number(s) and 1 participant(s) in 4 request(s)"),
        "{}",
        run.stderr
    );

    let requests = server.requests();
    let mut paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    // The summary and transcript go out together, in either order.
    paths[2..].sort_unstable();
    assert_eq!(
        paths,
        [
            "/v1/conversations",
            "/v1/calls",
            "/v1/call-summaries/ACcall0002",
            "/v1/call-transcripts/ACcall0002"
        ],
        "the phone number was given: no phone number listing"
    );
    let conversations = requests[0].query_pairs();
    assert!(conversations.contains(&("phoneNumbers".into(), "PNdemo0002".into())));
    assert!(conversations.iter().any(|(k, _)| k == "updatedAfter"));
    let calls = requests[1].query_pairs();
    assert!(calls.contains(&("participants".into(), DEMO_PARTICIPANT.into())));
    assert!(calls.contains(&("phoneNumberId".into(), "PNdemo0002".into())));
    assert!(calls.iter().any(|(k, _)| k == "createdAfter"));
}
