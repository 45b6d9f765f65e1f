//! Runs the built `send_message` example: on its own demo server (no key),
//! and against a demo server this test starts (`QUO_API_KEY` and
//! `QUO_BASE_URL` point at it), and checks what it printed against the
//! demo conversation and what went over the wire.

use crate::common::run_example;
use futures::TryStreamExt;
use quo_api_ext::QuoClient;
use quo_api_ext::testing::{
    DEMO_PARTICIPANT, DEMO_PHONE_NUMBER, DEMO_PHONE_NUMBER_ID, DemoConfig, DemoServer,
};

const UNSET: &[&str] = &["QUO_API_KEY", "QUO_BASE_URL"];

fn client_for(server: &DemoServer) -> QuoClient {
    QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap()
}

/// The id in the example's `sent <id> from ...` line.
fn sent_id(stdout: &str) -> &str {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("sent "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no `sent` line in:\n{stdout}"))
}

/// The message ids of the listing, in the order printed.
fn listed_ids(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .skip_while(|line| !line.starts_with("latest messages"))
        .skip(1)
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_key_it_texts_the_demo_customer_and_lists_it_above_the_conversation() {
    let run = tokio::task::spawn_blocking(|| run_example("send_message", &[], UNSET, &[]))
        .await
        .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    assert!(
        run.stderr.contains("QUO_API_KEY is not set"),
        "{}",
        run.stderr
    );
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(
        first.contains(&format!(
            "from {DEMO_PHONE_NUMBER} (Main line) to {DEMO_PARTICIPANT}: queued"
        )),
        "{first}"
    );

    // The demo conversation as a fresh demo server serves it.
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let seeded: Vec<String> = client_for(&server)
        .messages()
        .list(DEMO_PHONE_NUMBER_ID, [DEMO_PARTICIPANT])
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(!seeded.is_empty());
    let mut expected = vec![sent_id(&run.stdout)];
    expected.extend(seeded.iter().map(String::as_str));
    assert_eq!(listed_ids(&run.stdout), expected, "{}", run.stdout);
    // Waited for: delivered after 400 ms on the demo schedule, seen by
    // the second poll (the first, at once, sees it queued).
    let id = sent_id(&run.stdout);
    let waited = run
        .stdout
        .lines()
        .find(|line| line.starts_with(&format!("{id} delivered (delivered) after 2 poll(s) in ")))
        .unwrap_or_else(|| panic!("no delivery line in:\n{}", run.stdout));
    let seconds: f64 = waited
        .rsplit(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no time in {waited:?}"));
    assert!((0.9..3.0).contains(&seconds), "{waited}");
    assert!(
        run.stdout.contains("-> delivered Hello from quo-rs!"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn to_the_undeliverable_demo_number_it_says_the_message_was_not_delivered() {
    let run = tokio::task::spawn_blocking(|| {
        run_example(
            "send_message",
            &[quo_api_ext::testing::DEMO_UNDELIVERABLE],
            UNSET,
            &[],
        )
    })
    .await
    .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    let id = sent_id(&run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{id} NOT delivered (undelivered) after 2 poll(s)")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-> undelivered Hello"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_key_it_sends_what_it_was_given_from_the_first_number() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let (url, key) = (server.url(), server.api_key().to_owned());
    let run = tokio::task::spawn_blocking(move || {
        run_example(
            "send_message",
            &["+15555550177", "Your quote is attached"],
            &[],
            &[("QUO_API_KEY", &key), ("QUO_BASE_URL", &url)],
        )
    })
    .await
    .unwrap();
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);

    let sends: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(sends.len(), 1, "sent once, never retried");
    let id = sent_id(&run.stdout).to_owned();
    let polls = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == format!("/v1/messages/{id}"))
        .count();
    assert_eq!(
        polls, 2,
        "one poll at once (queued), one after 1 s (delivered)"
    );
    assert_eq!(sends[0].path, "/v1/messages");
    assert_eq!(sends[0].status, Some(202));
    assert_eq!(
        sends[0].body_json(),
        Some(serde_json::json!({
            "from": DEMO_PHONE_NUMBER_ID,
            "to": ["+15555550177"],
            "content": "Your quote is attached"
        }))
    );
    let listing = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/messages" && r.method == "GET")
        .expect("the conversation was listed");
    let pairs = listing.query_pairs();
    assert!(pairs.contains(&("phoneNumberId".into(), DEMO_PHONE_NUMBER_ID.into())));
    assert!(pairs.contains(&("participants".into(), "+15555550177".into())));

    // The server has it, first in that conversation, as the example listed it.
    let conversation: Vec<_> = client_for(&server)
        .messages()
        .list(DEMO_PHONE_NUMBER_ID, ["+15555550177"])
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(conversation[0].id, sent_id(&run.stdout));
    assert_eq!(conversation[0].text, "Your quote is attached");
    let listed = listed_ids(&run.stdout);
    let stored: Vec<&str> = conversation.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(listed, stored);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_recipient_or_none_with_a_key_sends_nothing() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let (url, key) = (server.url(), server.api_key().to_owned());
    let runs = tokio::task::spawn_blocking(move || {
        let env = [
            ("QUO_API_KEY", key.as_str()),
            ("QUO_BASE_URL", url.as_str()),
        ];
        (
            run_example("send_message", &[], &[], &env),
            // Neither E.164 nor a short code of up to 15 characters.
            run_example("send_message", &["555-0123-4567-890"], &[], &env),
        )
    })
    .await
    .unwrap();
    let (missing, bad) = runs;
    assert!(!missing.success);
    assert!(
        missing.stderr.contains("usage: send_message"),
        "{}",
        missing.stderr
    );
    assert!(!bad.success);
    assert!(bad.stderr.contains("invalid input `to`"), "{}", bad.stderr);
    assert!(
        server.requests().iter().all(|r| r.method != "POST"),
        "nothing was sent"
    );
}
