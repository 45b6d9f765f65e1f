//! Runs the built `export_calls` example on its own demo server (no key) and
//! against one this test starts, and checks its JSON lines against the
//! demo calls: one line per call in range, newest first, each with its
//! summary and transcript, and a summary that is not ready shown as its
//! status alone.

use crate::common::run_example;
use chrono::{Duration, Utc};
use quo_api_ext::QuoClient;
use quo_api_ext::raw::types::Call;
use quo_api_ext::testing::{DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID, DemoConfig, DemoServer};
use serde_json::Value;

const UNSET: &[&str] = &["QUO_API_KEY", "QUO_BASE_URL"];

/// The ids of the demo calls with the demo customer on the main number in
/// the last `days` days, as a fresh demo server lists them.
async fn demo_calls(days: i64) -> Vec<Call> {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    client
        .calls()
        .list(DEMO_PHONE_NUMBER_ID, DEMO_PARTICIPANT)
        .created_after(Utc::now() - Duration::days(days))
        .collect_all()
        .await
        .unwrap()
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

async fn export(args: &'static [&'static str]) -> Vec<Value> {
    let run = tokio::task::spawn_blocking(move || run_example("export_calls", args, UNSET, &[]))
        .await
        .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    lines(&run.stdout)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_30_days_are_one_json_line_per_call_with_summary_and_transcript() {
    let exported = export(&[]).await;
    let expected = demo_calls(30).await;
    let ids: Vec<&str> = exported
        .iter()
        .filter_map(|line| line["call"]["id"].as_str())
        .collect();
    let expected_ids: Vec<&str> = expected.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, expected_ids);
    assert_eq!(
        ids.len(),
        7,
        "the demo has 7 such calls in the last 30 days"
    );

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
    let week = export(&["7"]).await;
    let expected = demo_calls(7).await;
    let ids: Vec<&str> = week
        .iter()
        .filter_map(|l| l["call"]["id"].as_str())
        .collect();
    let expected_ids: Vec<&str> = expected.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, expected_ids);
    assert_eq!(ids.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_key_it_asks_the_server_given_for_the_window_and_each_calls_details() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let (url, key) = (server.url(), server.api_key().to_owned());
    let run = tokio::task::spawn_blocking(move || {
        run_example(
            "export_calls",
            &["10", DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID],
            &[],
            &[("QUO_API_KEY", &key), ("QUO_BASE_URL", &url)],
        )
    })
    .await
    .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    let exported = lines(&run.stdout);
    assert_eq!(exported.len(), 4, "{}", run.stdout);
    assert!(run.stderr.contains("exported 4 call(s)"), "{}", run.stderr);

    let requests = server.requests();
    let listing = requests
        .iter()
        .find(|r| r.path == "/v1/calls")
        .expect("the calls were listed");
    let pairs = listing.query_pairs();
    assert!(pairs.contains(&("participants".into(), DEMO_PARTICIPANT.into())));
    assert!(pairs.iter().any(|(k, _)| k == "createdAfter"));
    assert!(
        requests.iter().all(|r| r.path != "/v1/phone-numbers"),
        "the phone number was given"
    );
    for line in &exported {
        let id = line["call"]["id"].as_str().unwrap();
        for prefix in ["/v1/call-summaries/", "/v1/call-transcripts/"] {
            let path = format!("{prefix}{id}");
            assert!(requests.iter().any(|r| r.path == path), "{path}");
        }
    }
}
