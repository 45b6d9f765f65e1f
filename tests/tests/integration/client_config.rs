//! `QuoClient::builder()` and `from_env()`: what goes over the wire (raw key,
//! user agent), which keys and base URLs are refused, that the key never shows
//! up in `Debug`, errors or tracing output, and that clones share one rate
//! budget.

use std::net::TcpListener;

use std::time::{Duration, Instant};

use httpmock::prelude::*;
use quo_api_ext::{Error, QuoClient, RetryConfig};
use quo_tests::{clients, fixtures};
use serde_json::{Value, json};

/// The key used by these tests: distinctive, so that a leak is easy to spot.
const KEY: &str = "QUOKEY-5f1e2d3c4b5a";

/// A get-contact body for `id`.
fn contact(id: &str) -> Value {
    json!({ "data": fixtures::contact(id) })
}

fn builder(server: &MockServer) -> quo_api_ext::QuoClientBuilder {
    clients::builder(server).api_key(KEY)
}

fn config_message(result: quo_api_ext::Result<QuoClient>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("expected a Config error, got {other:?}"),
        Ok(client) => panic!("expected a Config error, got {client:?}"),
    }
}

#[tokio::test]
async fn sends_the_raw_key_without_bearer_and_the_user_agent() {
    let server = MockServer::start_async().await;
    let exact = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts/c1")
                .header("authorization", KEY)
                .header(
                    "user-agent",
                    concat!("quo-api-ext/", env!("CARGO_PKG_VERSION")),
                );
            then.status(200).json_body(contact("c1"));
        })
        .await;
    // Surrounding whitespace (a pasted key with its newline) is trimmed.
    let client = QuoClient::builder()
        .api_key(format!("  {KEY}\n"))
        .base_url(server.base_url())
        .no_rate_limit()
        .build()
        .expect("client");
    let got = client
        .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
        .await
        .expect("contact");
    assert_eq!(got.data.id, "c1");
    exact.assert_calls_async(1).await;
}

#[tokio::test]
async fn appends_the_user_agent_suffix() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts/c1").header(
                "user-agent",
                concat!("quo-api-ext/", env!("CARGO_PKG_VERSION"), " crm-sync/2.1"),
            );
            then.status(200).json_body(contact("c1"));
        })
        .await;
    let client = builder(&server)
        .user_agent_suffix("crm-sync/2.1")
        .build()
        .expect("client");
    client
        .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
        .await
        .expect("contact");
    mock.assert_calls_async(1).await;
}

#[test]
fn refuses_bad_keys_without_echoing_them() {
    assert!(config_message(QuoClient::builder().build()).contains("QUO_API_KEY"));
    assert!(config_message(QuoClient::builder().api_key("").build()).contains("empty"));
    assert!(config_message(QuoClient::builder().api_key(" \t\r\n ").build()).contains("empty"));
    for bad in [
        "QUOKEY-one QUOKEY-two",
        "QUOKEY-one\r\nX-Injected: QUOKEY-two",
        "QUOKEY-one\nQUOKEY-two",
        "QUOKEY-one\tQUOKEY-two",
        "QUOKEY-one\u{0}QUOKEY-two",
        "QUOKEY-one\u{7f}QUOKEY-two",
    ] {
        let result = QuoClient::builder().api_key(bad).build();
        let err = result.expect_err("bad key accepted");
        let shown = format!("{err} {err:?}");
        assert!(matches!(err, Error::Config(_)), "{shown}");
        assert!(!shown.contains("QUOKEY"), "error repeats the key: {shown}");
        assert!(shown.contains("whitespace or control"), "{shown}");
    }
}

#[tokio::test]
async fn refuses_plain_http_except_on_loopback() {
    let message = config_message(
        QuoClient::builder()
            .api_key(KEY)
            .base_url("http://example.com")
            .build(),
    );
    assert!(message.contains("https"), "{message}");
    assert!(!message.contains(KEY));
    for bad in ["not a url", "ftp://api.quo.com", "https://api.quo.com/?x=1"] {
        config_message(QuoClient::builder().api_key(KEY).base_url(bad).build());
    }

    let default = QuoClient::builder().api_key(KEY).build().expect("default");
    assert_eq!(default.base_url(), "https://api.quo.com");
    let slash = QuoClient::builder()
        .api_key(KEY)
        .base_url("https://api.quo.com/")
        .build()
        .expect("trailing slash");
    assert_eq!(slash.base_url(), "https://api.quo.com");

    // http to a loopback address is accepted, and requests really go there.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts/c1");
            then.status(200).json_body(contact("c1"));
        })
        .await;
    let url = format!("http://127.0.0.1:{}/", server.port());
    let client = QuoClient::builder()
        .api_key(KEY)
        .base_url(&url)
        .build()
        .expect("loopback http");
    assert_eq!(client.base_url(), url.trim_end_matches('/'));
    client
        .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
        .await
        .expect("contact");
    mock.assert_calls_async(1).await;
    QuoClient::builder()
        .api_key(KEY)
        .base_url("http://localhost:9")
        .build()
        .expect("localhost");
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn the_key_never_appears_in_debug_or_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts/unauthorized");
            then.status(401).json_body(json!({
                "message": "Invalid API key", "code": "0800401", "status": 401,
                "docs": "https://quo.com/docs", "title": "Unauthorized", "trace": "t1"
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts/limited");
            then.status(429).header("retry-after", "3").body("{}");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts/bad-body");
            then.status(200).json_body(json!({"data": {"id": 5}}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts/slow");
            then.status(200)
                .json_body(contact("slow"))
                .delay(Duration::from_millis(500));
        })
        .await;

    let builder = builder(&server)
        .no_retries()
        .timeout(Duration::from_millis(100));
    let builder_debug = format!("{builder:?}");
    let client = builder.build().expect("client");
    let unreachable = QuoClient::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .no_retries()
        .build()
        .expect("client");

    let mut shown = vec![
        builder_debug,
        format!("{client:?}"),
        format!("{:?}", client.clone()),
    ];
    for id in ["unauthorized", "limited", "bad-body", "slow"] {
        let err = client
            .call(|raw| async move { raw.get_contact_by_id_v1(id).await })
            .await
            .expect_err(id);
        shown.push(format!("{err}"));
        shown.push(format!("{err:?}"));
    }
    let err = unreachable
        .call(|raw| async move { raw.get_contact_by_id_v1("x").await })
        .await
        .expect_err("closed port");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    shown.push(format!("{err} {err:?}"));
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push(format!("{cause} {cause:?}"));
        source = cause.source();
    }

    for text in &shown {
        assert!(!text.contains(KEY), "key leaked: {text}");
    }
    assert!(shown[0].contains("[redacted]"), "{}", shown[0]);
    assert!(shown[1].contains("[redacted]"), "{}", shown[1]);
}

// A current-thread runtime: every span and event of the client is emitted on
// this thread, which the binary's one global subscriber captures. (A
// subscriber of the test's own, set as the thread's default, lost the
// `quo.request` span now and then: tracing caches a callsite's interest
// for every thread, and other tests register callsites meanwhile.)
#[tokio::test(flavor = "current_thread")]
async fn the_key_never_appears_in_trace_output() {
    let captured = crate::support::capture_traces();

    let server = MockServer::start_async().await;
    let flaky = server
        .mock_async(|when, then| {
            when.path("/v1/contacts/c1");
            then.status(503).body("busy");
        })
        .await;
    flaky.up_to_n_times_async(1).await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts/c1");
            then.status(200).json_body(contact("c1"));
        })
        .await;
    let client = builder(&server)
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("client");
    client
        .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
        .await
        .expect("contact after a retry");
    let _ = QuoClient::builder().api_key(format!("{KEY} x")).build();

    let output = captured.text();
    assert!(
        output.contains("quo.request"),
        "no span recorded:\n{output}"
    );
    assert!(output.contains("retrying request"), "{output}");
    assert!(output.contains("status=200"), "{output}");
    assert!(output.contains("attempt=2"), "{output}");
    assert!(!output.contains(KEY), "key leaked into traces:\n{output}");
    assert!(
        !output.to_ascii_lowercase().contains("authorization"),
        "{output}"
    );
}

#[tokio::test]
async fn clones_share_one_rate_budget() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/contacts/c1");
            then.status(200).json_body(contact("c1"));
        })
        .await;
    // 10 per second, evenly spaced: 6 requests need at least 5 intervals of
    // 100 ms, whichever clone sends them.
    let client = QuoClient::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .rate_limit(10)
        .build()
        .expect("client");
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let clone = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..3 {
                clone
                    .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
                    .await
                    .expect("contact");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let elapsed = started.elapsed();
    mock.assert_calls_async(6).await;
    assert!(
        elapsed >= Duration::from_millis(450),
        "6 requests at 10/s took only {elapsed:?}: clones do not share the budget"
    );
}

/// Set in the environment of the child process that runs [`from_env_child`].
const CHILD_MODE: &str = "QUO_TESTS_FROM_ENV_CHILD";

/// Runs `from_env_child` in a child process with `vars` as its environment
/// (the variables are never changed in this multi-threaded test process).
fn run_child(mode: &str, vars: &[(&str, &str)]) {
    let mut command = std::process::Command::new(std::env::current_exe().expect("test binary"));
    command
        .args([
            "--exact",
            "client_config::from_env_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_MODE, mode)
        .env_remove("QUO_API_KEY")
        .env_remove("QUO_BASE_URL");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("child process");
    assert!(
        output.status.success(),
        "child `{mode}` failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn from_env_reads_the_key_and_base_url() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/contacts/c1").header("authorization", KEY);
            then.status(200).json_body(contact("c1"));
        })
        .await;
    let url = server.base_url();
    let key = format!(" {KEY}\n");
    tokio::task::spawn_blocking(move || {
        run_child("ok", &[("QUO_API_KEY", &key), ("QUO_BASE_URL", &url)]);
        run_child("missing", &[]);
        run_child("default-url", &[("QUO_API_KEY", KEY)]);
    })
    .await
    .expect("children");
    mock.assert_calls_async(1).await;
}

/// Not a test on its own: the body of [`from_env_reads_the_key_and_base_url`],
/// run in a child process. Does nothing in a normal run.
#[test]
fn from_env_child() {
    let Ok(mode) = std::env::var(CHILD_MODE) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    match mode.as_str() {
        "ok" => runtime.block_on(async {
            let client = QuoClient::from_env().expect("from_env");
            let got = client
                .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
                .await
                .expect("contact");
            assert_eq!(got.data.id, "c1");
        }),
        "missing" => {
            let message = config_message(QuoClient::from_env());
            assert!(message.contains("QUO_API_KEY"), "{message}");
        }
        "default-url" => {
            let client = QuoClient::from_env().expect("from_env");
            assert_eq!(client.base_url(), "https://api.quo.com");
        }
        other => panic!("unknown mode {other}"),
    }
}

#[tokio::test]
async fn a_callers_own_http_client_still_carries_the_key_and_the_retries() {
    let server = MockServer::start_async().await;
    let mut busy = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts/c1");
            then.status(503);
        })
        .await;
    let own = reqwest::Client::builder().build().unwrap();
    let client = builder(&server)
        .http_client(own)
        .retry(
            RetryConfig::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let error = client.contacts().get("c1").await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(busy.calls(), 2, "retried by the policy");
    busy.delete();

    let ok = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts/c1")
                .header("authorization", KEY)
                .header_matches("user-agent", "^quo-api-ext/");
            then.status(200).json_body(contact("c1"));
        })
        .await;
    assert_eq!(client.contacts().get("c1").await.unwrap().id, "c1");
    ok.assert();
}

#[tokio::test]
async fn with_timeout_changes_one_clients_attempts_and_shares_the_rest() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts/c1");
            then.status(200)
                .json_body(contact("c1"))
                .delay(Duration::from_millis(400));
        })
        .await;
    let client = builder(&server).max_attempts(1).build().unwrap();
    let quick = client.with_timeout(Duration::from_millis(100));
    let error = quick.contacts().get("c1").await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        client.contacts().get("c1").await.unwrap().id,
        "c1",
        "the original keeps its timeout"
    );
    assert_eq!(slow.calls(), 2);
}
