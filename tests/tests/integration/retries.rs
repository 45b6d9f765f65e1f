//! The request policy: which failures are retried, how often, how long it
//! waits (backoff, `Retry-After`, deadline), that `POST` is only retried when
//! asked, the rate limiter's pace, and timeouts and connection errors.
//!
//! Request counts are the mock server's hit counts: what really went over
//! the wire.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use httpmock::prelude::*;
use quo_api::ClientInfo;
use quo_api_ext::{Error, QuoClient, QuoClientBuilder, RetryConfig};
use quo_tests::{clients, fixtures};
use serde_json::{Value, json};

const PATH: &str = "/v1/contacts/c1";

/// The get-contact body of `PATH`.
fn contact() -> Value {
    json!({ "data": fixtures::contact("c1") })
}

/// Fast retries (5 ms initial backoff), no pacing.
fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

fn builder(server: &MockServer) -> QuoClientBuilder {
    clients::builder(server).retry(fast_retry())
}

fn client(server: &MockServer) -> QuoClient {
    builder(server).build().expect("client")
}

async fn get(client: &QuoClient) -> quo_api_ext::Result<String> {
    client
        .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
        .await
        .map(|c| c.data.id)
}

/// A mock answering `status` (with `retry_after`, if any) to the first `times` requests.
async fn failing<'a>(
    server: &'a MockServer,
    status: u16,
    retry_after: Option<&str>,
    times: usize,
) -> httpmock::Mock<'a> {
    let retry_after = retry_after.map(str::to_owned);
    let mock = server
        .mock_async(|when, then| {
            when.path(PATH);
            let then = then
                .status(status)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"message":"failure","code":"0800{status}","status":{status},"docs":"https://quo.com/docs","title":"Failure"}}"#
                ));
            if let Some(value) = retry_after {
                then.header("retry-after", value);
            }
        })
        .await;
    mock.up_to_n_times_async(times).await;
    mock
}

async fn succeeding(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.path(PATH);
            then.status(200).json_body(contact());
        })
        .await
}

#[tokio::test]
async fn a_429_without_retry_after_is_retried_with_backoff() {
    let server = MockServer::start_async().await;
    let limited = failing(&server, 429, None, 1).await;
    let ok = succeeding(&server).await;
    assert_eq!(get(&client(&server)).await.expect("retried"), "c1");
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_429_waits_for_retry_after_seconds() {
    let _timed = crate::support::timed().await;
    let server = MockServer::start_async().await;
    let limited = failing(&server, 429, Some("1"), 1).await;
    let ok = succeeding(&server).await;
    let started = Instant::now();
    assert_eq!(get(&client(&server)).await.expect("retried"), "c1");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(950),
        "retried after {elapsed:?}, before the 1 s Retry-After"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_429_waits_for_a_retry_after_http_date() {
    let _timed = crate::support::timed().await;
    let server = MockServer::start_async().await;
    // HTTP dates have whole seconds: 2 s from now is between 1 and 2 s away.
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let limited = failing(&server, 429, Some(&date), 1).await;
    let ok = succeeding(&server).await;
    let started = Instant::now();
    assert_eq!(get(&client(&server)).await.expect("retried"), "c1");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_retry_after_over_the_cap_returns_rate_limited_at_once() {
    let _timed = crate::support::timed().await;
    let server = MockServer::start_async().await;
    let limited = failing(&server, 429, Some("120"), 5).await;
    let ok = succeeding(&server).await;
    let client = builder(&server)
        .retry(fast_retry().with_max_retry_after(Duration::from_secs(10)))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = get(&client).await.expect_err("not retried");
    assert!(started.elapsed() < Duration::from_secs(2));
    match &err {
        Error::RateLimited { retry_after, error } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(120)));
            assert_eq!(error.status, 429);
            assert_eq!(error.message.as_deref(), Some("failure"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(429));
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_429_after_the_last_attempt_is_rate_limited() {
    let server = MockServer::start_async().await;
    let limited = failing(&server, 429, Some("0"), 10).await;
    let client = builder(&server).max_attempts(2).build().expect("client");
    let err = get(&client).await.expect_err("exhausted");
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d.is_zero()),
        "{err:?}"
    );
    limited.assert_calls_async(2).await;
}

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let server = MockServer::start_async().await;
    let unavailable = failing(&server, 503, None, 100).await;
    let client = builder(&server).max_attempts(4).build().expect("client");
    let err = get(&client).await.expect_err("exhausted");
    assert_eq!(err.status(), Some(503));
    assert!(matches!(&err, Error::Api(e) if e.status == 503), "{err:?}");
    assert!(err.is_retryable());
    unavailable.assert_calls_async(4).await;

    // The default is 3 attempts in total.
    let server = MockServer::start_async().await;
    let unavailable = failing(&server, 503, None, 100).await;
    get(&client_default_attempts(&server))
        .await
        .expect_err("exhausted");
    unavailable.assert_calls_async(3).await;
}

fn client_default_attempts(server: &MockServer) -> QuoClient {
    builder(server).build().expect("client")
}

#[tokio::test]
async fn gateway_errors_are_retried() {
    for status in [502, 503, 504] {
        let server = MockServer::start_async().await;
        let bad = failing(&server, status, None, 1).await;
        let ok = succeeding(&server).await;
        assert_eq!(
            get(&client(&server)).await.expect("retried"),
            "c1",
            "{status}"
        );
        bad.assert_calls_async(1).await;
        ok.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn a_500_is_retried_only_when_enabled() {
    let server = MockServer::start_async().await;
    let broken = failing(&server, 500, None, 1).await;
    let ok = succeeding(&server).await;
    let err = get(&client(&server)).await.expect_err("500 not retried");
    assert_eq!(err.status(), Some(500));
    assert!(!err.is_retryable());
    broken.assert_calls_async(1).await;
    ok.assert_calls_async(0).await;

    let server = MockServer::start_async().await;
    let broken = failing(&server, 500, None, 1).await;
    let ok = succeeding(&server).await;
    let client = builder(&server).retry_on_500(true).build().expect("client");
    assert_eq!(get(&client).await.expect("retried"), "c1");
    broken.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 409] {
        let server = MockServer::start_async().await;
        let refused = failing(&server, status, None, 10).await;
        let err = get(&client(&server)).await.expect_err("refused");
        assert_eq!(err.status(), Some(status));
        assert!(!err.is_retryable());
        refused.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn no_retries_sends_once() {
    let server = MockServer::start_async().await;
    let unavailable = failing(&server, 503, None, 10).await;
    let client = builder(&server).no_retries().build().expect("client");
    get(&client).await.expect_err("not retried");
    unavailable.assert_calls_async(1).await;
}

/// Sends a raw request through the client's policy, as generated code does.
async fn send_raw(client: &QuoClient, method: reqwest::Method, url: String) -> u16 {
    let raw = client.raw();
    let policy = raw.inner().policy().expect("policy installed");
    let request = raw
        .client()
        .request(method, url)
        .body(r#"{"name":"x"}"#)
        .build()
        .expect("request");
    policy
        .execute(raw.client(), request, "create_thing_v1")
        .await
        .expect("response")
        .status()
        .as_u16()
}

#[tokio::test]
async fn post_and_patch_are_not_retried_unless_asked() {
    for method in [reqwest::Method::POST, reqwest::Method::PATCH] {
        let server = MockServer::start_async().await;
        let unavailable = server
            .mock_async(|when, then| {
                when.path("/v1/things");
                then.status(503);
            })
            .await;
        let client = client(&server);
        let status = send_raw(&client, method.clone(), server.url("/v1/things")).await;
        assert_eq!(status, 503);
        unavailable.assert_calls_async(1).await;

        // Opted in on a derived client: retried up to max_attempts.
        let retrying = client.with_non_idempotent_retries();
        let status = send_raw(&retrying, method.clone(), server.url("/v1/things")).await;
        assert_eq!(status, 503);
        unavailable.assert_calls_async(4).await;

        // The permission belongs to the derived client, not the original.
        send_raw(&client, method, server.url("/v1/things")).await;
        unavailable.assert_calls_async(5).await;
    }
}

#[tokio::test]
async fn idempotent_writes_are_retried() {
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
        let server = MockServer::start_async().await;
        let unavailable = server
            .mock_async(|when, then| {
                when.path("/v1/things/1");
                then.status(502);
            })
            .await;
        unavailable.up_to_n_times_async(1).await;
        let ok = server
            .mock_async(|when, then| {
                when.path("/v1/things/1");
                then.status(204);
            })
            .await;
        let status = send_raw(&client(&server), method, server.url("/v1/things/1")).await;
        assert_eq!(status, 204);
        unavailable.assert_calls_async(1).await;
        ok.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn the_rate_limiter_paces_requests_evenly() {
    let server = MockServer::start_async().await;
    let ok = succeeding(&server).await;
    // 50 per second with a burst of 1: 20 requests need 19 gaps of 20 ms.
    let client = builder(&server).rate_limit(50).build().expect("client");
    let started = Instant::now();
    for _ in 0..20 {
        get(&client).await.expect("contact");
    }
    let elapsed = started.elapsed();
    ok.assert_calls_async(20).await;
    assert!(
        elapsed >= Duration::from_millis(340),
        "20 requests at 50/s took {elapsed:?}"
    );

    // Concurrent callers share the same pace.
    let started = Instant::now();
    let calls = (0..20).map(|_| get(&client));
    for result in futures::future::join_all(calls).await {
        result.expect("contact");
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(340), "{elapsed:?}");
    ok.assert_calls_async(40).await;
}

#[tokio::test]
async fn retries_wait_for_the_rate_limiter_too() {
    let server = MockServer::start_async().await;
    let unavailable = failing(&server, 503, Some("0"), 100).await;
    // 5 per second: 3 attempts need 2 gaps of 200 ms, even with no backoff.
    let client = builder(&server).rate_limit(5).build().expect("client");
    let started = Instant::now();
    get(&client).await.expect_err("exhausted");
    assert!(started.elapsed() >= Duration::from_millis(380));
    unavailable.assert_calls_async(3).await;
}

#[tokio::test]
async fn time_queued_for_the_rate_limiter_does_not_count_against_the_deadline() {
    let server = MockServer::start_async().await;
    let ok = succeeding(&server).await;
    // 2 per second: the third of three concurrent requests is sent after
    // about 1 s, long after a 300 ms deadline would have ended had it started
    // when the request was queued.
    let client = builder(&server)
        .rate_limit(2)
        .retry(fast_retry().with_overall_deadline(Duration::from_millis(300)))
        .build()
        .expect("client");
    let started = Instant::now();
    let calls = (0..3).map(|_| get(&client));
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.expect("sent in time"), "c1");
    }
    assert!(started.elapsed() >= Duration::from_millis(900));
    ok.assert_calls_async(3).await;
}

#[tokio::test]
async fn a_slow_response_times_out_and_is_retried() {
    let _timed = crate::support::timed().await;
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.path(PATH);
            then.status(200)
                .json_body(contact())
                .delay(Duration::from_millis(1500));
        })
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .max_attempts(2)
        .build()
        .expect("client");
    let started = Instant::now();
    let err = get(&client).await.expect_err("timed out");
    let elapsed = started.elapsed();
    match &err {
        Error::Timeout { message } => {
            assert!(message.contains("per-attempt timeout"), "{message}");
            assert!(message.contains("2 attempts"), "{message}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1400), "{elapsed:?}");
    slow.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_timeout_then_a_fast_answer_succeeds() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.path(PATH);
            then.status(200)
                .json_body(contact())
                .delay(Duration::from_millis(1500));
        })
        .await;
    slow.up_to_n_times_async(1).await;
    let fast = succeeding(&server).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(150))
        .build()
        .expect("client");
    assert_eq!(get(&client).await.expect("second attempt"), "c1");
    slow.assert_calls_async(1).await;
    fast.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_overall_deadline_bounds_waits_and_attempts() {
    let _timed = crate::support::timed().await;
    // A Retry-After that would end after the deadline is not waited for.
    let server = MockServer::start_async().await;
    let unavailable = failing(&server, 503, Some("2"), 10).await;
    let client = builder(&server)
        .retry(fast_retry().with_overall_deadline(Duration::from_secs(1)))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = get(&client).await.expect_err("deadline");
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(err.status(), Some(503));
    unavailable.assert_calls_async(1).await;

    // An attempt's timeout is shortened to end at the deadline.
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.path(PATH);
            then.status(200)
                .json_body(contact())
                .delay(Duration::from_secs(3));
        })
        .await;
    let client = builder(&server)
        .timeout(Duration::from_secs(10))
        .retry(fast_retry().with_overall_deadline(Duration::from_millis(300)))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = get(&client).await.expect_err("deadline");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    match &err {
        Error::Timeout { message } => assert!(message.contains("deadline"), "{message}"),
        other => panic!("expected Timeout, got {other:?}"),
    }
    slow.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_closed_port_is_a_retryable_transport_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = QuoClient::builder()
        .api_key("test-key")
        .base_url(format!("http://127.0.0.1:{port}"))
        .no_rate_limit()
        .retry(fast_retry())
        .build()
        .expect("client");
    let started = Instant::now();
    let err = get(&client).await.expect_err("nothing listens");
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    // Three attempts with two (short) backoffs in between.
    assert!(started.elapsed() >= Duration::from_millis(10));
}
