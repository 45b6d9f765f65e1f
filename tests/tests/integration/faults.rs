//! Walking contacts against a server that misbehaves in every way a real one
//! (or the network between) can: each walk yields every contact exactly once
//! or ends with a typed `Error`, never a panic, a hang, a duplicate or a
//! silently short result, and retries stay within the configured attempts.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use quo_api_ext::testing::Fault;
use quo_api_ext::{
    Error, QuoClient, RetryConfig, custom_fields::ContactExt, custom_fields::CustomFieldValue,
};
use quo_tests::clients;
use quo_tests::fault_server::{FaultServer, Options};
use quo_tests::fixtures;
use serde_json::Value;

/// Contacts served; page size 10 gives 3 pages (10, 10, 5).
const N: usize = 25;
const PAGE: u32 = 10;
const PAGES: usize = 3;
/// No walk may take longer than this.
const WALK_LIMIT: Duration = Duration::from_secs(10);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn retry(attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(attempts)
        .with_initial_backoff(ms(5))
        .with_max_backoff(ms(20))
        .with_max_retry_after(Duration::from_secs(2))
        .with_overall_deadline(Duration::from_secs(4))
}

fn client_with(server: &FaultServer, retry: RetryConfig) -> QuoClient {
    clients::builder(server)
        .timeout(ms(400))
        .connect_timeout(ms(400))
        .retry(retry)
        .build()
        .expect("client")
}

fn client(server: &FaultServer, attempts: u32) -> QuoClient {
    client_with(server, retry(attempts))
}

fn ids_of(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// What a walk produced: every id yielded before the end, and how it ended.
struct Walk {
    ids: Vec<String>,
    end: Result<(), Error>,
    elapsed: Duration,
}

/// Walks with `items()`, bounded in time, and checks the invariants every
/// walk must keep: no duplicate, and a walk that ends without error has
/// yielded every expected contact.
async fn walk(client: &QuoClient, expected: &[String]) -> Walk {
    walk_prefetching(client, expected, 0, Poller::Task).await
}

/// Who polls a walk: a spawned task (on a runtime worker) or the test's own
/// `block_on` thread, which is outside any task. A prefetching walk runs
/// its requests differently in each case.
#[derive(Debug, Clone, Copy)]
enum Poller {
    Task,
    BlockOn,
}

/// [`walk`] with the given `prefetch` setting, polled by `poller`.
async fn walk_prefetching(
    client: &QuoClient,
    expected: &[String],
    prefetch: usize,
    poller: Poller,
) -> Walk {
    let started = Instant::now();
    let client = client.clone();
    let walk = async move {
        let mut items = client
            .contacts()
            .list()
            .page_size(PAGE)
            .prefetch(prefetch)
            .items();
        let mut ids = Vec::new();
        // Bounded: a walk never yields more than 10x what is served.
        for _ in 0..(N * 10) {
            match items.try_next().await {
                Ok(Some(c)) => ids.push(c.id),
                Ok(None) => return (ids, Ok(())),
                Err(e) => return (ids, Err(e)),
            }
        }
        panic!("the walk did not end after {} items", N * 10);
    };
    let (ids, end) = match poller {
        Poller::Task => tokio::time::timeout(WALK_LIMIT, tokio::spawn(walk))
            .await
            .expect("the walk hung")
            .expect("the walk panicked"),
        Poller::BlockOn => tokio::time::timeout(WALK_LIMIT, walk)
            .await
            .expect("the walk hung"),
    };
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "duplicate contacts yielded: {ids:?}"
    );
    let expected_set: HashSet<&String> = expected.iter().collect();
    assert!(unique.is_subset(&expected_set), "unexpected ids: {ids:?}");
    Walk {
        ids,
        end,
        elapsed: started.elapsed(),
    }
}

/// The walk must have yielded exactly `expected`, each once, in order.
fn assert_complete(w: &Walk, expected: &[String]) {
    if let Err(e) = &w.end {
        panic!(
            "expected a complete walk, got {e:?} after {} contacts",
            w.ids.len()
        );
    }
    assert_eq!(w.ids, expected, "short or reordered walk");
}

fn expect_err(w: Walk) -> (Vec<String>, Error) {
    match w.end {
        Ok(()) => panic!(
            "expected an error, the walk completed with {} contacts",
            w.ids.len()
        ),
        Err(e) => (w.ids, e),
    }
}

async fn setup(script: Vec<Fault>, attempts: u32) -> (FaultServer, QuoClient, Vec<String>) {
    let contacts = fixtures::contacts(N);
    let expected = ids_of(&contacts);
    let server = FaultServer::start(contacts, script).await.unwrap();
    let client = client(&server, attempts);
    (server, client, expected)
}

#[tokio::test]
async fn baseline_walk_is_complete_in_three_requests() {
    let (server, client, expected) = setup(vec![], 3).await;
    let w = walk(&client, &expected).await;
    assert_complete(&w, &expected);
    assert_eq!(server.request_count(), PAGES);
}

// ---- 429 ---------------------------------------------------------------

#[tokio::test]
async fn short_429_storm_is_retried_through() {
    // Mid-walk: page 1 fine, then two 429s (one without, one with Retry-After: 0).
    let (server, client, expected) = setup(
        vec![Fault::Serve, Fault::too_many(), Fault::rate_limited(0)],
        3,
    )
    .await;
    let w = walk(&client, &expected).await;
    assert_complete(&w, &expected);
    assert_eq!(server.request_count(), PAGES + 2);
}

#[tokio::test]
async fn long_429_storm_without_retry_after_ends_rate_limited_after_max_attempts() {
    let (server, client, expected) = setup(vec![Fault::too_many(); 20], 3).await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert!(ids.is_empty());
    assert!(
        matches!(
            e,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.status(), Some(429));
    assert!(e.is_retryable());
    assert_eq!(
        server.request_count(),
        3,
        "attempts must stop at max_attempts"
    );
}

#[tokio::test]
async fn long_429_storm_with_retry_after_ends_rate_limited_after_max_attempts() {
    let (server, client, expected) = setup(
        vec![Fault::Serve]
            .into_iter()
            .chain(vec![Fault::rate_limited(0); 20])
            .collect(),
        4,
    )
    .await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(
        ids,
        expected[..PAGE as usize],
        "the first page is kept, nothing more"
    );
    match &e {
        Error::RateLimited { retry_after, .. } => assert_eq!(*retry_after, Some(Duration::ZERO)),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.request_count(), 1 + 4);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let (server, client, expected) = setup(vec![Fault::rate_limited(1)], 3).await;
    let w = walk(&client, &expected).await;
    assert_complete(&w, &expected);
    assert!(
        w.elapsed >= ms(950),
        "Retry-After: 1 not honoured ({:?})",
        w.elapsed
    );
    assert_eq!(server.request_count(), PAGES + 1);
}

#[tokio::test]
async fn retry_after_over_the_cap_is_returned_at_once() {
    let (server, client, expected) = setup(vec![Fault::rate_limited(3600)], 3).await;
    let (_, e) = expect_err(walk(&client, &expected).await);
    match &e {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_deadline_is_not_waited_for() {
    let _timed = crate::support::timed().await;
    // Retry-After: 2 is within the 2 s cap, but a 1 s deadline cannot fit the wait.
    let contacts = fixtures::contacts(N);
    let expected = ids_of(&contacts);
    let server = FaultServer::start(contacts, vec![Fault::rate_limited(2)])
        .await
        .unwrap();
    let client = client_with(
        &server,
        retry(3).with_overall_deadline(Duration::from_secs(1)),
    );
    let w = walk(&client, &expected).await;
    assert!(
        w.elapsed < ms(900),
        "waited past the deadline: {:?}",
        w.elapsed
    );
    let (_, e) = expect_err(w);
    assert!(matches!(e, Error::RateLimited { .. }), "{e:?}");
    assert_eq!(server.request_count(), 1);
}

// ---- 5xx -----------------------------------------------------------------

#[tokio::test]
async fn transient_gateway_errors_are_retried_through() {
    for status in [502, 503, 504] {
        let (server, client, expected) = setup(
            vec![Fault::Serve, Fault::Status(status), Fault::Status(status)],
            3,
        )
        .await;
        let w = walk(&client, &expected).await;
        assert_complete(&w, &expected);
        assert_eq!(server.request_count(), PAGES + 2, "status {status}");
    }
}

#[tokio::test]
async fn persistent_gateway_errors_end_in_an_api_error_after_max_attempts() {
    for status in [502, 503, 504] {
        let (server, client, expected) = setup(
            vec![Fault::Serve]
                .into_iter()
                .chain(vec![Fault::Status(status); 10])
                .collect(),
            3,
        )
        .await;
        let (ids, e) = expect_err(walk(&client, &expected).await);
        assert_eq!(ids.len(), PAGE as usize);
        assert!(matches!(e, Error::Api(_)), "{e:?}");
        assert_eq!(e.status(), Some(status));
        assert!(e.is_retryable());
        assert_eq!(server.request_count(), 1 + 3, "status {status}");
    }
}

#[tokio::test]
async fn status_500_is_not_retried_unless_enabled() {
    let (server, client, expected) = setup(vec![Fault::Status(500)], 3).await;
    let (_, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(e.status(), Some(500));
    assert!(!e.is_retryable());
    let service = e.service_error().expect("decoded body");
    assert_eq!(service.message.as_deref(), Some("injected failure"));
    assert_eq!(server.request_count(), 1);

    let contacts = fixtures::contacts(N);
    let server = FaultServer::start(contacts, vec![Fault::Status(500)])
        .await
        .unwrap();
    let client = client_with(&server, retry(3).with_retry_500(true));
    let w = walk(&client, &expected).await;
    assert_complete(&w, &expected);
    assert_eq!(server.request_count(), PAGES + 1);
}

// ---- broken bodies -------------------------------------------------------

#[tokio::test]
async fn connection_reset_mid_body_is_retried_and_the_walk_completes() {
    for at_page in 0..PAGES {
        let mut script = vec![Fault::Serve; at_page];
        script.push(Fault::ResetMidBody);
        let (server, client, expected) = setup(script, 3).await;
        let w = walk(&client, &expected).await;
        assert_complete(&w, &expected);
        assert_eq!(server.request_count(), PAGES + 1, "page {at_page}");
    }
}

#[tokio::test]
async fn resets_mid_body_past_the_attempts_are_a_transport_error_after_the_earlier_pages() {
    let (server, client, expected) = setup(
        vec![
            Fault::Serve,
            Fault::ResetMidBody,
            Fault::ResetMidBody,
            Fault::ResetMidBody,
        ],
        3,
    )
    .await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(ids, expected[..PAGE as usize]);
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert!(e.is_retryable());
    assert_eq!(server.request_count(), 1 + 3);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_a_bounded_excerpt() {
    let (server, client, expected) = setup(vec![Fault::Serve, Fault::TruncatedJson], 3).await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(ids, expected[..PAGE as usize]);
    match &e {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, Some(200));
            assert!(excerpt.chars().count() <= quo_api_ext::MAX_EXCERPT_CHARS);
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.is_retryable());
    assert_eq!(
        server.request_count(),
        2,
        "a 200 with a bad body is not retried"
    );
}

#[tokio::test]
async fn html_page_with_status_200_is_a_decode_error() {
    let (server, client, expected) = setup(
        vec![Fault::Html {
            status: 200,
            size: 4000,
        }],
        3,
    )
    .await;
    let (_, e) = expect_err(walk(&client, &expected).await);
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn html_502_is_retried_and_then_reported_with_a_bounded_excerpt() {
    let (server, client, expected) = setup(
        vec![Fault::Html {
            status: 502,
            size: 4000,
        }],
        3,
    )
    .await;
    let w = walk(&client, &expected).await;
    assert_complete(&w, &expected);
    assert_eq!(server.request_count(), PAGES + 1);

    let (server, client, expected) = setup(
        vec![
            Fault::Html {
                status: 502,
                size: 4000
            };
            5
        ],
        3,
    )
    .await;
    let (_, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(e.status(), Some(502));
    let service = e.service_error().expect("an API error");
    let excerpt = service.body_excerpt.as_deref().unwrap_or_default();
    assert!(excerpt.starts_with("<!DOCTYPE html>"), "{excerpt:?}");
    assert!(excerpt.chars().count() <= quo_api_ext::MAX_EXCERPT_CHARS);
    assert!(e.to_string().chars().count() < 600, "{e}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn empty_200_body_is_a_decode_error() {
    let (server, client, expected) =
        setup(vec![Fault::Serve, Fault::Serve, Fault::Empty200], 3).await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(ids, expected[..2 * PAGE as usize]);
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_stalled_body_times_out_within_the_attempt_timeout_and_is_retried() {
    let _timed = crate::support::timed().await;
    let (server, client, expected) = setup(vec![Fault::StallBody], 3).await;
    let w = walk(&client, &expected).await;
    assert!(w.elapsed < Duration::from_secs(3), "took {:?}", w.elapsed);
    assert_complete(&w, &expected);
    assert_eq!(server.request_count(), PAGES + 1);
}

#[tokio::test]
async fn stalled_bodies_past_the_attempts_are_a_timeout() {
    let (server, client, expected) = setup(vec![Fault::StallBody; 3], 3).await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert!(ids.is_empty());
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn stalled_headers_are_retried_as_timeouts_then_reported() {
    let _timed = crate::support::timed().await;
    let (server, client, expected) = setup(vec![Fault::StallHeaders; 10], 3).await;
    let w = walk(&client, &expected).await;
    // 3 attempts of 400 ms plus short backoffs.
    assert!(w.elapsed < ms(2500), "took {:?}", w.elapsed);
    let (_, e) = expect_err(w);
    assert!(
        matches!(e, Error::Timeout { .. } | Error::Transport(_)),
        "{e:?}"
    );
    assert!(e.is_retryable());
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn stalls_stop_at_the_overall_deadline() {
    let _timed = crate::support::timed().await;
    let contacts = fixtures::contacts(N);
    let expected = ids_of(&contacts);
    let server = FaultServer::start(contacts, vec![Fault::StallHeaders; 50])
        .await
        .unwrap();
    let client = client_with(&server, retry(50).with_overall_deadline(ms(1000)));
    let w = walk(&client, &expected).await;
    assert!(
        w.elapsed < ms(1500),
        "the 1 s deadline was not kept: {:?}",
        w.elapsed
    );
    let (_, e) = expect_err(w);
    assert!(
        matches!(e, Error::Timeout { .. } | Error::Transport(_)),
        "{e:?}"
    );
    // 400 ms attempts within 1 s: at most 3 attempts.
    assert!(
        server.request_count() <= 3,
        "{} attempts",
        server.request_count()
    );
}

// ---- tokens ----------------------------------------------------------------

#[tokio::test]
async fn repeated_page_token_ends_with_pagination_loop() {
    // Page 2 answers with its own token as the next one.
    let (server, client, expected) = setup(vec![Fault::Serve, Fault::RepeatToken], 3).await;
    let (ids, e) = expect_err(walk(&client, &expected).await);
    assert_eq!(ids, expected[..2 * PAGE as usize]);
    assert!(matches!(e, Error::PaginationLoop { .. }), "{e:?}");
    assert_eq!(
        server.request_count(),
        2,
        "the repeated token is not fetched"
    );
}

#[tokio::test]
async fn null_token_mid_walk_ends_the_walk_where_the_server_said() {
    // A null nextPageToken is the documented end of a list, so the walk stops
    // there: what the server sent, each once, and no further request.
    let (server, client, expected) = setup(vec![Fault::Serve, Fault::NullToken], 3).await;
    let w = walk(&client, &expected).await;
    assert!(w.end.is_ok(), "{:?}", w.end.err());
    assert_eq!(w.ids, expected[..2 * PAGE as usize]);
    assert_eq!(server.request_count(), 2);
}

// ---- odd but legal payloads -------------------------------------------------

#[tokio::test]
async fn unknown_fields_kinds_and_string_scalars_decode_completely() {
    let contacts: Vec<Value> = (0..N)
        .map(|i| fixtures::odd_contact(&format!("odd{i:03}"), i))
        .collect();
    let expected = ids_of(&contacts);
    let options = Options {
        extra_page_fields: true,
        ..Options::default()
    };
    let server = FaultServer::start_with(contacts, vec![], options)
        .await
        .unwrap();
    let client = client(&server, 3);
    let w = walk(&client, &expected).await;
    assert_complete(&w, &expected);
    assert_eq!(server.request_count(), PAGES);

    let all = client
        .contacts()
        .list()
        .page_size(PAGE)
        .collect_all()
        .await
        .unwrap();
    for c in &all {
        assert_eq!(
            c.custom_value("Deal Size")
                .and_then(CustomFieldValue::as_number),
            Some(424242.0)
        );
        assert_eq!(
            c.custom_value("Opt-in").and_then(CustomFieldValue::as_bool),
            Some(false)
        );
        assert!(
            matches!(c.custom_value("rating"), Some(CustomFieldValue::Unknown { kind, .. }) if kind == "stars")
        );
        assert!(
            matches!(c.custom_value("No type"), Some(CustomFieldValue::Unknown { kind, .. }) if kind.is_empty())
        );
        assert!(matches!(
            c.custom_value("bad-date"),
            Some(CustomFieldValue::Invalid { .. })
        ));
        assert_eq!(
            c.custom_value("7")
                .and_then(CustomFieldValue::as_multi_select)
                .map(<[String]>::len),
            Some(2)
        );
        assert_eq!(c.emails().count(), 1);
    }
}

#[tokio::test]
async fn missing_nullable_keys_give_a_complete_walk_or_a_decode_error() {
    let contacts: Vec<Value> = (0..N)
        .map(|i| fixtures::sparse_contact(&format!("sp{i:03}")))
        .collect();
    let expected = ids_of(&contacts);
    let server = FaultServer::start(contacts, vec![]).await.unwrap();
    let client = client(&server, 3);
    let w = walk(&client, &expected).await;
    match &w.end {
        Ok(()) => assert_complete(&w, &expected),
        Err(e) => {
            eprintln!("missing nullable keys: {e}");
            assert!(matches!(e, Error::Decode { path: Some(_), .. }), "{e:?}");
            assert!(w.ids.is_empty());
            assert_eq!(server.request_count(), 1);
        }
    }
}

#[tokio::test]
async fn odd_or_missing_total_items_never_fail_the_walk() {
    // `totalItems` is documented as inaccurate: read as a hint, never fatal.
    for (options, hint) in [
        (
            Options {
                total_as_string: true,
                ..Options::default()
            },
            Some(N as u64),
        ),
        (
            Options {
                omit_total: true,
                ..Options::default()
            },
            None,
        ),
    ] {
        let contacts = fixtures::contacts(N);
        let expected = ids_of(&contacts);
        let server = FaultServer::start_with(contacts, vec![], options.clone())
            .await
            .unwrap();
        let client = client(&server, 3);
        let w = walk(&client, &expected).await;
        assert!(w.end.is_ok(), "{options:?}: {:?}", w.end);
        assert_complete(&w, &expected);
        let mut pages = client.contacts().list().page_size(10).pages();
        let first = pages.try_next().await.expect("the first page decodes");
        let first = first.expect("a first page");
        assert_eq!(first.total_items_hint(), hint, "{options:?}");
    }
}

#[tokio::test]
async fn faults_on_get_are_typed_and_bounded() {
    let contacts = fixtures::contacts(3);
    let id = contacts[1]["id"].as_str().unwrap().to_owned();
    let script = vec![
        Fault::Status(503),
        Fault::Serve, // retried: succeeds
        Fault::TruncatedJson,
        Fault::Empty200,
        Fault::Html {
            status: 200,
            size: 100,
        },
        Fault::Status(404),
    ];
    let server = FaultServer::start(contacts, script).await.unwrap();
    let client = client(&server, 3);
    let get = |id: String| {
        let client = client.clone();
        async move {
            tokio::time::timeout(WALK_LIMIT, async move { client.contacts().get(&id).await })
                .await
                .expect("get hung")
        }
    };
    assert_eq!(get(id.clone()).await.unwrap().id, id);
    assert_eq!(server.request_count(), 2);
    for _ in 0..3 {
        let e = get(id.clone()).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Decode {
                    status: Some(200),
                    ..
                }
            ),
            "{e:?}"
        );
    }
    let e = get(id.clone()).await.unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert_eq!(server.request_count(), 6);
}

// ---- the same faults with prefetching ------------------------------------

/// Prefetching changes when requests are sent, never what the walk yields:
/// each script ends, with `prefetch(1)`, exactly as the sequential walk
/// does (same ids, same kind of end, same status), whether the walk is
/// polled by a task or from outside any task.
#[tokio::test]
async fn prefetching_walks_end_exactly_like_sequential_ones_under_faults() {
    for poller in [Poller::Task, Poller::BlockOn] {
        prefetching_matches_sequential(poller).await;
    }
}

async fn prefetching_matches_sequential(poller: Poller) {
    let scripts: Vec<(&str, Vec<Fault>)> = vec![
        ("clean", vec![]),
        ("503 then ok", vec![Fault::Serve, Fault::Status(503)]),
        ("reset mid-body", vec![Fault::Serve, Fault::ResetMidBody]),
        ("truncated page 2", vec![Fault::Serve, Fault::TruncatedJson]),
        ("404 page 2", vec![Fault::Serve, Fault::Status(404)]),
        ("repeated token", vec![Fault::Serve, Fault::RepeatToken]),
        ("null token", vec![Fault::Serve, Fault::NullToken]),
    ];
    for (name, script) in scripts {
        let (_sequential_server, client, expected) = setup(script.clone(), 3).await;
        let sequential = walk_prefetching(&client, &expected, 0, poller).await;
        let (server, client, expected) = setup(script, 3).await;
        let prefetched = walk_prefetching(&client, &expected, 1, poller).await;
        let name = format!("{name} ({poller:?})");
        assert_eq!(prefetched.ids, sequential.ids, "{name}: ids");
        match (&sequential.end, &prefetched.end) {
            (Ok(()), Ok(())) => {}
            (Err(a), Err(b)) => {
                assert_eq!(
                    std::mem::discriminant(a),
                    std::mem::discriminant(b),
                    "{name}: {a:?} vs {b:?}"
                );
                assert_eq!(a.status(), b.status(), "{name}: {a:?} vs {b:?}");
            }
            (a, b) => panic!("{name}: sequential {a:?}, prefetched {b:?}"),
        }
        // At most one request beyond what the sequential walk needed.
        assert!(
            server.request_count() <= PAGES + 2,
            "{name}: {} requests",
            server.request_count()
        );
    }
}

/// Deletes a `contact`, `task` or `webhook` (`what`).
async fn delete(client: &QuoClient, what: &str) -> Result<(), Error> {
    match what {
        "contact" => client.contacts().delete("CT1").await,
        "task" => client.tasks().delete("TK1").await,
        _ => client.webhook_subscriptions().delete("WH1").await,
    }
}

/// A `DELETE` whose first attempt answered 503 may have been applied: the
/// retry's 404 is then [`Error::MaybeDeleted`], for every resource's
/// delete; a 404 at the first attempt stays a plain not-found.
#[tokio::test]
async fn a_retried_delete_that_meets_404_says_the_delete_may_have_happened() {
    for what in ["contact", "task", "webhook"] {
        let server = FaultServer::start(Vec::new(), vec![Fault::Status(503), Fault::Status(404)])
            .await
            .unwrap();
        let err = delete(&client(&server, 3), what).await.unwrap_err();
        assert_eq!(server.request_count(), 2, "{what}");
        let requests = server.requests();
        assert!(requests.iter().all(|r| r.method == "DELETE"), "{what}");
        match &err {
            Error::MaybeDeleted {
                earlier,
                attempts,
                error,
            } => {
                assert_eq!(earlier, "status 503", "{what}");
                assert_eq!(*attempts, 2, "{what}");
                assert_eq!(error.status, 404, "{what}");
            }
            other => panic!("{what}: expected MaybeDeleted, got {other:?}"),
        }
        assert_eq!(err.code(), None, "{what}: not a plain NotFound");
        assert!(!err.is_retryable());
        let message = err.to_string();
        assert!(
            message.contains("the delete may already have happened"),
            "{message}"
        );

        // Without an earlier attempt that may have been applied, a 404 is
        // the plain not-found it always was.
        let server = FaultServer::start(Vec::new(), vec![Fault::Status(404)])
            .await
            .unwrap();
        let err = delete(&client(&server, 3), what).await.unwrap_err();
        assert!(
            matches!(&err, Error::Api(e) if e.status == 404),
            "{what}: {err:?}"
        );
        // A 429 first was never acted on: the 404 after it is plain too.
        let server = FaultServer::start(
            Vec::new(),
            vec![
                Fault::TooManyRequests { retry_after: None },
                Fault::Status(404),
            ],
        )
        .await
        .unwrap();
        let err = delete(&client(&server, 3), what).await.unwrap_err();
        assert!(
            matches!(&err, Error::Api(e) if e.status == 404),
            "{what}: {err:?}"
        );
    }
}
