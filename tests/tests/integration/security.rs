//! The API key stays secret, inputs cannot inject headers or paths, plain
//! http is refused off loopback, and error excerpts stay short.

use std::time::Duration;

use quo_api_ext::testing::{DemoConfig, DemoServer, Fault};
use quo_api_ext::{Error, QuoClient, RetryConfig};
use quo_tests::fault_server::FaultServer;
use quo_tests::fixtures;

const KEY: &str = "sk_live_TOPSECRET_9f8e7d6c5b4a";

fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(2)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(10))
        .with_overall_deadline(Duration::from_secs(3))
}

fn client_for(url: &str, key: &str) -> QuoClient {
    QuoClient::builder()
        .api_key(key.to_owned())
        .base_url(url)
        .no_rate_limit()
        .timeout(Duration::from_millis(300))
        .retry(fast_retry())
        .build()
        .expect("client")
}

fn assert_no_key(what: &str, text: &str) {
    assert!(!text.contains(KEY), "{what} leaks the key: {text}");
    assert!(
        !text.contains("TOPSECRET"),
        "{what} leaks part of the key: {text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_key_never_appears_in_debug_display_errors_or_traces() {
    // Everything this (single-threaded) test traces, on its thread.
    let captured = crate::support::capture_traces();

    let server = DemoServer::start(DemoConfig::default().with_api_key(KEY))
        .await
        .unwrap();
    let builder = QuoClient::builder()
        .api_key(KEY)
        .base_url(server.url())
        .no_rate_limit()
        .timeout(Duration::from_millis(300))
        .retry(fast_retry());
    assert_no_key("builder Debug", &format!("{builder:?} {builder:#?}"));
    let client = builder.clone().build().unwrap();
    assert_no_key("client Debug", &format!("{client:?} {client:#?}"));
    assert_no_key(
        "retry config Debug",
        &format!("{:?}", client.retry_config()),
    );
    assert_no_key(
        "contacts Debug",
        &format!("{:?} {:?}", client.contacts(), client.contacts().list()),
    );

    // Successful requests, under TRACE.
    let id = server.dataset().ids().next().unwrap().to_owned();
    client.contacts().get(&id).await.unwrap();
    let all = client
        .contacts()
        .list()
        .page_size(50)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), server.dataset().len());
    // A prefetching walk runs its exchanges as tasks: on this thread too.
    let prefetched = client
        .contacts()
        .list()
        .page_size(50)
        .prefetch(1)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(prefetched.len(), server.dataset().len());

    // Failing requests of every kind, each checked in Debug and Display.
    let mut errors: Vec<Error> = Vec::new();
    errors.push(client.contacts().get("no-such-id").await.unwrap_err());
    server.inject(Fault::Status(503));
    server.inject(Fault::Status(503));
    errors.push(client.contacts().get(&id).await.unwrap_err());
    server.inject(Fault::rate_limited(3600));
    errors.push(client.contacts().get(&id).await.unwrap_err());
    server.inject(Fault::Raw {
        status: 200,
        body: "{\"data\": \"not-a-contact\"}".to_owned(),
    });
    errors.push(client.contacts().get(&id).await.unwrap_err());
    server.inject(Fault::Disconnect);
    server.inject(Fault::Disconnect);
    errors.push(client.contacts().get(&id).await.unwrap_err());
    server.inject(Fault::Delay(Duration::from_secs(2)));
    server.inject(Fault::Delay(Duration::from_secs(2)));
    errors.push(client.contacts().get(&id).await.unwrap_err());
    errors.push(client.contacts().get("..").await.unwrap_err());
    // Wrong key: the server answers 401.
    let wrong = client_for(&server.url(), "sk_live_TOPSECRET_wrong");
    errors.push(wrong.contacts().get(&id).await.unwrap_err());
    // Bad configurations.
    for bad in [
        QuoClient::builder()
            .api_key(format!("{KEY}\r\nX-Evil: 1"))
            .build(),
        QuoClient::builder().api_key(format!("{KEY} more")).build(),
        QuoClient::builder()
            .api_key(KEY)
            .base_url("http://example.com")
            .build(),
        QuoClient::builder()
            .api_key(KEY)
            .base_url(format!("https://user:{KEY}@api.quo.com"))
            .build(),
        QuoClient::builder().api_key(KEY).rate_limit(0).build(),
    ] {
        errors.push(bad.unwrap_err());
    }
    // A connection refused (nothing listens on a freshly closed port).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    errors.push(
        client_for(&format!("http://{closed}"), KEY)
            .contacts()
            .get(&id)
            .await
            .unwrap_err(),
    );

    assert!(errors.len() >= 13);
    for e in &errors {
        assert_no_key("error Display", &e.to_string());
        assert_no_key("error Debug", &format!("{e:?} {e:#?}"));
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            assert_no_key("error source", &format!("{s} {s:?}"));
            source = s.source();
        }
    }
    let trace = captured.text();
    assert!(
        trace.contains("quo.request"),
        "tracing captured nothing useful: {trace}"
    );
    assert!(
        trace.contains("TRACE") || trace.contains("DEBUG"),
        "not at TRACE: {trace}"
    );
    assert_no_key("tracing output", &trace);
    // The server did get the key (so it was sent, just never shown).
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.authorization.as_deref() == Some(KEY))
    );
}

#[tokio::test]
async fn keys_with_line_breaks_or_control_characters_are_refused() {
    for bad in [
        "abc\r\nX-Injected: yes",
        "abc\nX-Injected: yes",
        "abc\rdef",
        "abc\0def",
        "ab\tc",
        "abc\u{7f}",
        "",
        "   ",
    ] {
        let result = QuoClient::builder()
            .api_key(bad.to_owned())
            .base_url("http://127.0.0.1:9")
            .build();
        match result {
            Err(Error::Config(message)) => {
                let inner = bad.trim();
                assert!(inner.is_empty() || !message.contains(inner), "{message}");
            }
            other => panic!("{bad:?} was accepted: {other:?}"),
        }
    }
    // And nothing with a line break ever reaches a server as a header.
    let server = FaultServer::start(fixtures::contacts(1), vec![])
        .await
        .unwrap();
    let _ = QuoClient::builder()
        .api_key("k\r\nX-Injected: yes")
        .base_url(server.url())
        .build();
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn ids_stay_one_encoded_path_segment() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = client_for(&server.url(), server.api_key());
    let cases = [
        ("a/b", "/v1/contacts/a%2Fb"),
        ("../webhooks", "/v1/contacts/..%2Fwebhooks"),
        ("x?admin=1", "/v1/contacts/x%3Fadmin=1"),
        ("x#frag", "/v1/contacts/x%23frag"),
        ("100%", "/v1/contacts/100%25"),
        ("%2e%2e", "/v1/contacts/%252e%252e"),
        ("a b", "/v1/contacts/a%20b"),
        ("...", "/v1/contacts/..."),
    ];
    for (id, _) in &cases {
        let e = client.contacts().get(id).await.unwrap_err();
        assert_eq!(e.status(), Some(404), "{id:?}: {e:?}");
    }
    let seen: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(seen.len(), cases.len(), "{seen:?}");
    for ((id, expected), path) in cases.iter().zip(&seen) {
        // One segment below /v1/contacts/, no query, no fragment.
        let segment = path
            .strip_prefix("/v1/contacts/")
            .unwrap_or_else(|| panic!("{id:?} -> {path}"));
        assert!(
            !segment.contains('/') && !segment.contains('?') && !segment.contains('#'),
            "{id:?} -> {path}"
        );
        // '=' may or may not be encoded; compare with it normalised.
        assert_eq!(path.replace("%3D", "="), *expected, "{id:?}");
    }
    assert!(server.requests().iter().all(|r| r.query.is_none()));
    // Ids the URL rules would resolve into another path are refused unsent.
    for id in ["", ".", "..", "a\\b", "a\nb"] {
        let e = client.contacts().get(id).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::InvalidInput {
                    field: "contact_id",
                    ..
                }
            ),
            "{id:?}: {e:?}"
        );
    }
    assert_eq!(server.requests().len(), cases.len());
}

#[test]
fn plain_http_is_refused_off_loopback() {
    for url in [
        "http://api.quo.com",
        "http://10.0.0.1:8080",
        "http://192.168.1.10",
        "http://[2001:db8::1]",
        "http://localhost.evil.com",
        "http://127.0.0.1.nip.io",
        "ftp://api.quo.com",
    ] {
        let result = QuoClient::builder().api_key("k").base_url(url).build();
        assert!(matches!(result, Err(Error::Config(_))), "{url} accepted");
    }
    for url in [
        "https://api.quo.com",
        "http://127.0.0.1:1",
        "http://localhost:1",
        "http://[::1]:1",
    ] {
        assert!(
            QuoClient::builder()
                .api_key("k")
                .base_url(url)
                .build()
                .is_ok(),
            "{url} refused"
        );
    }
}

#[tokio::test]
async fn error_excerpts_of_huge_bodies_are_bounded() {
    let big = 1 << 20;
    for status in [200u16, 400, 500, 502] {
        let server = FaultServer::start(
            fixtures::contacts(3),
            vec![Fault::Html { status, size: big }; 3],
        )
        .await
        .unwrap();
        let client = client_for(&server.url(), "k");
        let e = client.contacts().get("c0001").await.unwrap_err();
        let display = e.to_string();
        let debug = format!("{e:?}");
        assert!(
            display.chars().count() <= 400,
            "{status}: Display is {} chars",
            display.chars().count()
        );
        assert!(
            debug.chars().count() <= 1000,
            "{status}: Debug is {} chars",
            debug.chars().count()
        );
        match &e {
            Error::Decode { excerpt, .. } => {
                assert!(excerpt.chars().count() <= quo_api_ext::MAX_EXCERPT_CHARS)
            }
            other => {
                let excerpt = other
                    .service_error()
                    .and_then(|s| s.body_excerpt.clone())
                    .unwrap_or_default();
                assert!(
                    excerpt.chars().count() <= quo_api_ext::MAX_EXCERPT_CHARS,
                    "{status}"
                );
                assert!(
                    excerpt.starts_with("<!DOCTYPE html>"),
                    "{status}: {excerpt:?}"
                );
            }
        }
    }
}
