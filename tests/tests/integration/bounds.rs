//! Bounded memory and bounded errors, whatever the server sends: a response
//! body is read up to the client's limit and no further, every error stays
//! a few hundred characters long, and the smaller fixes that go with them
//! (no request after an empty page, the right timeout message, redirects
//! not followed, ids cut in errors).
//!
//! Peak memory is measured as `VmHWM` (from `/proc/self/status`) in a child
//! process that runs one scenario alone, so that other tests running in
//! parallel do not disturb it; the server runs in the parent.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use quo_api_ext::testing::Fault;
use quo_api_ext::{Error, QuoClient};
use quo_api_ext::{MAX_EXCERPT_CHARS, MAX_ID_CHARS};
use quo_tests::clients;
use quo_tests::fault_server::FaultServer;
use quo_tests::fixtures;
use serde_json::json;

const MIB: usize = 1024 * 1024;
/// The size of the hostile bodies: 50 MB.
const HUGE: usize = 50_000_000;
/// A tight limit, so that the bound on memory is plain next to a 50 MB body.
const SMALL_LIMIT: usize = 4 * MIB;
/// A limit the 50 MB bodies fit in, so that they reach the decoder.
const LARGE_LIMIT: usize = 64 * MIB;
/// Longest `Display` and `Debug` accepted for an error caused by a body.
const MAX_DISPLAY: usize = 400;
const MAX_DEBUG: usize = 800;

fn client(server: &FaultServer, limit: usize, timeout: Duration) -> QuoClient {
    clients::builder(server)
        .timeout(timeout)
        .max_attempts(3)
        .max_response_bytes(limit)
        .build()
        .expect("client")
}

/// Asserts that `e`'s `Display` and `Debug` are short, and returns their lengths.
fn assert_bounded(what: &str, e: &Error) -> (usize, usize) {
    let display = e.to_string().chars().count();
    let debug = format!("{e:?}").chars().count();
    assert!(
        display <= MAX_DISPLAY,
        "{what}: Display is {display} chars: {e}"
    );
    assert!(debug <= MAX_DEBUG, "{what}: Debug is {debug} chars: {e:?}");
    (display, debug)
}

// ---- memory, measured in a child process ---------------------------------

/// What a child process runs: a body the server sends for the second
/// request, the limit the client has, and what the error must be.
#[derive(Debug, Clone, Copy)]
enum Scenario {
    /// 50 MB of HTML (or a 50 MB JSON string), with `Content-Length` or
    /// chunked, against a 4 MiB limit: refused at the limit.
    OverLimit { json: bool, announce: bool },
    /// The same 50 MB bodies against a 64 MiB limit: read whole, then a
    /// decode error that must stay short.
    WithinLimit { json: bool },
    /// A body that never ends, against a 4 MiB limit and a 10 s timeout.
    Endless,
}

impl Scenario {
    fn all() -> [Scenario; 7] {
        [
            Scenario::OverLimit {
                json: false,
                announce: true,
            },
            Scenario::OverLimit {
                json: false,
                announce: false,
            },
            Scenario::OverLimit {
                json: true,
                announce: true,
            },
            Scenario::OverLimit {
                json: true,
                announce: false,
            },
            Scenario::WithinLimit { json: false },
            Scenario::WithinLimit { json: true },
            Scenario::Endless,
        ]
    }

    fn name(self) -> String {
        format!("{self:?}")
    }

    fn from_name(name: &str) -> Option<Scenario> {
        Scenario::all().into_iter().find(|s| s.name() == name)
    }

    fn limit(self) -> usize {
        match self {
            Scenario::WithinLimit { .. } => LARGE_LIMIT,
            _ => SMALL_LIMIT,
        }
    }

    fn action(self) -> Fault {
        match self {
            Scenario::OverLimit { json, announce } => Fault::Large {
                status: 200,
                size: HUGE,
                json,
                announce,
            },
            Scenario::WithinLimit { json } => Fault::Large {
                status: 200,
                size: HUGE,
                json,
                announce: true,
            },
            Scenario::Endless => Fault::Endless,
        }
    }
}

/// Set in the environment of the child process that runs [`bounds_child`].
const CHILD_SCENARIO: &str = "QUO_TESTS_BOUNDS_SCENARIO";
const CHILD_URL: &str = "QUO_TESTS_BOUNDS_URL";

/// Runs `scenario` in a child process against a server of this process;
/// returns the child's report line.
async fn run_in_child(scenario: Scenario) -> String {
    let server = FaultServer::start(fixtures::contacts(3), vec![Fault::Serve, scenario.action()])
        .await
        .expect("server");
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "bounds::bounds_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_SCENARIO, scenario.name())
            .env(CHILD_URL, url)
            .output()
            .expect("child process")
    })
    .await
    .expect("child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{scenario:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Two requests: the warm-up and the scenario, never a retry.
    assert_eq!(server.request_count(), 2, "{scenario:?}");
    // The test harness may print the test's name on the same line.
    let report = stdout
        .lines()
        .find_map(|line| line.find("bounds:").map(|at| line[at..].to_owned()))
        .unwrap_or_default();
    eprintln!("{report}");
    report
}

#[tokio::test]
async fn fifty_megabyte_bodies_over_the_limit_are_refused_with_memory_bounded_by_it() {
    for scenario in Scenario::all() {
        if matches!(scenario, Scenario::OverLimit { .. }) {
            run_in_child(scenario).await;
        }
    }
}

#[tokio::test]
async fn fifty_megabyte_bodies_within_the_limit_give_short_decode_errors_with_memory_bounded() {
    for json in [false, true] {
        run_in_child(Scenario::WithinLimit { json }).await;
    }
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_before_the_timeout() {
    run_in_child(Scenario::Endless).await;
}

/// Not a test on its own: one scenario of the tests above, run in a child
/// process. Does nothing in a normal run.
#[test]
fn bounds_child() {
    let Ok(name) = std::env::var(CHILD_SCENARIO) else {
        return;
    };
    let scenario = Scenario::from_name(&name).expect("known scenario");
    let url = std::env::var(CHILD_URL).expect("server url");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let timeout = Duration::from_secs(10);
    runtime.block_on(async {
        let client = QuoClient::builder()
            .api_key("bounds-key")
            .base_url(url)
            .no_rate_limit()
            .timeout(timeout)
            .max_attempts(3)
            .max_response_bytes(scenario.limit())
            .build()
            .expect("client");
        // Warm up: connection pool, buffers, lazily built state.
        client.contacts().get("c0000").await.expect("warm-up");
        let before = Memory::baseline();
        let started = Instant::now();
        let e = client.contacts().get("c0001").await.unwrap_err();
        let elapsed = started.elapsed();
        let growth = before.growth();
        let (display, debug) = assert_bounded(&name, &e);
        match scenario {
            Scenario::OverLimit { announce, .. } => match &e {
                Error::ResponseTooLarge {
                    status: Some(200),
                    limit: SMALL_LIMIT,
                    content_length,
                } => assert_eq!(content_length.is_some(), announce, "{e:?}"),
                other => panic!("{name}: {other:?}"),
            },
            Scenario::WithinLimit { .. } => {
                assert!(matches!(e, Error::Decode { .. }), "{name}: {e:?}");
            }
            Scenario::Endless => {
                assert!(matches!(e, Error::ResponseTooLarge { .. }), "{e:?}");
                assert!(elapsed < timeout / 2, "took {elapsed:?}");
            }
        }
        assert!(!e.is_retryable());
        let limit = scenario.limit();
        println!(
            "bounds: {name}: limit {} KiB, VmHWM growth {} KiB ({}), error Display {display} \
             chars, Debug {debug} chars, {elapsed:?}",
            limit / 1024,
            growth.map_or_else(|| "not measured".to_owned(), |g| g.to_string()),
            before.how,
        );
        if let Some(growth) = growth {
            assert!(
                growth < 2 * limit / 1024,
                "{name}: peak memory grew by {growth} KiB, limit {} KiB",
                limit / 1024
            );
        }
    });
}

/// A process's peak memory (`VmHWM`) before a scenario.
struct Memory {
    /// In KiB; `None` where `/proc/self/status` is not available.
    baseline: Option<usize>,
    /// How the baseline was taken.
    how: &'static str,
}

impl Memory {
    /// Resets the peak to the current size where Linux allows it (writing
    /// `5` to `/proc/self/clear_refs`), so that only what follows counts;
    /// otherwise counts from the current size, which overstates the growth
    /// by any earlier peak (never understates it).
    fn baseline() -> Memory {
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        Memory {
            baseline: status_kib("VmRSS"),
            how: if reset {
                "peak reset before"
            } else {
                "from the current size"
            },
        }
    }

    /// Growth of the peak since the baseline, in KiB.
    fn growth(&self) -> Option<usize> {
        Some(status_kib("VmHWM")?.saturating_sub(self.baseline?))
    }
}

/// A `kB` line of `/proc/self/status`.
fn status_kib(key: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ---- the limit ---------------------------------------------------------------

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused() {
    let contacts = fixtures::contacts(3);
    let exact = serde_json::to_vec(&json!({ "data": contacts[1] }))
        .expect("body")
        .len();
    let server = FaultServer::start(contacts, vec![]).await.expect("server");
    let ok = client(&server, exact, Duration::from_secs(5));
    assert_eq!(
        ok.contacts().get("c0001").await.expect("at the limit").id,
        "c0001"
    );
    let short = client(&server, exact - 1, Duration::from_secs(5));
    let e = short.contacts().get("c0001").await.unwrap_err();
    match &e {
        Error::ResponseTooLarge {
            status,
            limit,
            content_length,
        } => {
            assert_eq!(*status, Some(200));
            assert_eq!(*limit, exact - 1);
            assert_eq!(*content_length, Some(exact as u64));
        }
        other => panic!("{other:?}"),
    }
    let message = e.to_string();
    assert!(
        message.contains(&format!("limit of {} bytes", exact - 1)),
        "{message}"
    );
    assert_eq!(server.request_count(), 2, "not retried");
}

#[tokio::test]
async fn a_body_over_the_limit_is_not_retried_even_with_a_retryable_status() {
    let server = FaultServer::start(
        fixtures::contacts(3),
        vec![
            Fault::Large {
                status: 503,
                size: 2 * MIB,
                json: false,
                announce: false,
            };
            3
        ],
    )
    .await
    .expect("server");
    let client = client(&server, MIB, Duration::from_secs(5));
    let e = client.contacts().get("c0001").await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::ResponseTooLarge {
                status: Some(503),
                content_length: None,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.is_retryable());
    assert_eq!(e.status(), Some(503));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn pages_within_the_limit_walk_as_before() {
    // A page of 10 contacts is about 10 KB: a 64 KiB limit does not touch it.
    let contacts = fixtures::contacts(25);
    let server = FaultServer::start(contacts, vec![]).await.expect("server");
    let client = client(&server, 64 * 1024, Duration::from_secs(5));
    let all = client
        .contacts()
        .list()
        .page_size(10)
        .prefetch(1)
        .collect_all()
        .await
        .expect("walk");
    assert_eq!(all.len(), 25);
}

// ---- bounded errors ----------------------------------------------------------

/// An error body that fills every field with megabytes: each quote is cut,
/// and only the first field errors are kept (Quo's own error bodies are
/// well under a kilobyte).
#[tokio::test]
async fn huge_error_bodies_give_short_errors() {
    // Within the default limit, in every shape an error body can take.
    let huge = "y".repeat(2 * MIB);
    let long = "z".repeat(10_000);
    let field_errors: Vec<_> = (0..100)
        .map(|i| json!({"path": format!("/{i}/{long}"), "message": long, "value": [long]}))
        .collect();
    let server = httpmock::MockServer::start_async().await;
    let bodies = [
        (
            400,
            json!({"message": huge, "code": huge, "status": 400, "docs": huge,
                   "title": huge, "trace": huge, "errors": field_errors}),
        ),
        (
            404,
            json!({"error": {"message": huge, "key": huge, "trace": huge}}),
        ),
        (429, json!({"error": huge})),
        (502, json!(huge)),
    ];
    for (i, (status, body)) in bodies.iter().enumerate() {
        let path = format!("/v1/contacts/e{i}");
        server
            .mock_async(|when, then| {
                when.path(path.as_str());
                then.status(*status).json_body(body.clone());
            })
            .await;
    }
    let client = QuoClient::builder()
        .api_key("k")
        .base_url(server.base_url())
        .no_rate_limit()
        .no_retries()
        .build()
        .expect("client");
    for (i, (status, _)) in bodies.iter().enumerate() {
        let e = client.contacts().get(&format!("e{i}")).await.unwrap_err();
        assert_eq!(e.status(), Some(*status), "{e:?}");
        let display = e.to_string().chars().count();
        let debug = format!("{e:?}").chars().count();
        eprintln!("HTTP {status}, huge body: Display {display} chars, Debug {debug} chars");
        assert!(display <= 1000, "{status}: Display is {display} chars");
        assert!(debug <= 3000, "{status}: Debug is {debug} chars");
    }
}

// ---- the smaller fixes ---------------------------------------------------------

/// Before the fix, the walk read the next token off the empty page's body
/// and requested that page while the empty one was still being decoded.
#[tokio::test]
async fn prefetch_sends_no_request_after_an_empty_page_that_carries_a_token() {
    for on_a_task in [true, false] {
        // Padding makes the empty page take a moment to decode, as a large
        // page would: time enough for a request sent too early to arrive.
        let script = vec![Fault::EmptyPageWithToken { padding: 4 * MIB }];
        let server = FaultServer::start(fixtures::contacts(25), script)
            .await
            .expect("server");
        let client = client(&server, SMALL_LIMIT * 2, Duration::from_secs(5));
        let walk = async move {
            let items = client.contacts().list().page_size(10).prefetch(1).items();
            items.try_collect::<Vec<_>>().await
        };
        let items = if on_a_task {
            tokio::spawn(walk).await.expect("walk task")
        } else {
            walk.await
        }
        .expect("walk");
        assert!(items.is_empty());
        // Time for a request already sent to reach the server.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            server.request_count(),
            1,
            "a request followed the empty page (on a task: {on_a_task})"
        );
    }
}

/// Before the fix, a body that stalled after its headers was reported as
/// "no response".
#[tokio::test]
async fn a_stall_after_the_headers_is_reported_as_a_late_body() {
    let server = FaultServer::start(fixtures::contacts(3), vec![Fault::StallBody])
        .await
        .expect("server");
    let client = QuoClient::builder()
        .api_key("k")
        .base_url(server.url())
        .no_rate_limit()
        .no_retries()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let e = client.contacts().get("c0001").await.unwrap_err();
    let Error::Timeout { message } = &e else {
        panic!("{e:?}");
    };
    assert!(
        message.contains("headers (HTTP 200) arrived, but not the whole body"),
        "{message}"
    );
    assert!(!message.contains("no response"), "{message}");

    let server = FaultServer::start(fixtures::contacts(3), vec![Fault::StallHeaders])
        .await
        .expect("server");
    let client = QuoClient::builder()
        .api_key("k")
        .base_url(server.url())
        .no_rate_limit()
        .no_retries()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    match client.contacts().get("c0001").await.unwrap_err() {
        Error::Timeout { message } => assert!(message.contains("no response"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// Before the fix, reqwest followed up to 10 redirects, to any origin and
/// from https to http.
#[tokio::test]
async fn redirects_are_not_followed_and_only_their_origin_is_named() {
    let elsewhere = FaultServer::start(fixtures::contacts(3), vec![])
        .await
        .expect("server");
    let target = format!("{}/v1/contacts/c0001?token=secret-token", elsewhere.url());
    let script = vec![
        Fault::Redirect {
            status: 302,
            location: target,
        },
        Fault::Redirect {
            status: 307,
            location: "/v1/contacts/c0002?token=secret-token".to_owned(),
        },
        Fault::Redirect {
            status: 301,
            location: "http://".to_owned(),
        },
    ];
    let server = FaultServer::start(fixtures::contacts(3), script)
        .await
        .expect("server");
    let client = client(&server, SMALL_LIMIT, Duration::from_secs(5));
    let expected = [
        (302, Some(elsewhere.url())),
        (307, Some(server.url())),
        (301, None),
    ];
    for (status, origin) in expected {
        let e = client.contacts().get("c0001").await.unwrap_err();
        match &e {
            Error::Redirect {
                status: got,
                location_origin,
            } => {
                assert_eq!(*got, status);
                assert_eq!(*location_origin, origin);
            }
            other => panic!("{status}: {other:?}"),
        }
        assert!(!e.is_retryable());
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("secret-token"), "{shown}");
        assert!(!shown.contains("/v1/contacts"), "{shown}");
    }
    assert_eq!(elsewhere.request_count(), 0, "a redirect was followed");
    assert_eq!(server.request_count(), 3, "a redirect was followed");
}

/// Before the fix, the error for an invalid id or filter value repeated it
/// whole.
#[tokio::test]
async fn long_ids_and_filter_values_are_cut_in_errors() {
    let server = FaultServer::start(fixtures::contacts(3), vec![])
        .await
        .expect("server");
    let client = client(&server, SMALL_LIMIT, Duration::from_secs(5));
    let id = format!("a\\{}", "b".repeat(100_000));
    let e = client.contacts().get(&id).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidInput {
                field: "contact_id",
                ..
            }
        ),
        "{e:?}"
    );
    let shown = e.to_string();
    let length = shown.chars().count();
    assert!(
        length < MAX_ID_CHARS + 100,
        "the message is {length} chars long"
    );
    assert!(
        shown.contains(&format!("a\\\\{}…", "b".repeat(MAX_ID_CHARS - 2))),
        "{shown}"
    );

    let e = client
        .contacts()
        .list()
        .external_ids(["c".repeat(100_000)])
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
    let length = e.to_string().chars().count();
    assert!(
        length < MAX_ID_CHARS + 200,
        "the message is {length} chars long"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_truncated_json_excerpt_stays_within_the_excerpt_bound() {
    // The excerpt bound holds for bodies cut anywhere, not only short ones.
    let server = FaultServer::start(fixtures::contacts(30), vec![Fault::TruncatedJson])
        .await
        .expect("server");
    let client = client(&server, SMALL_LIMIT, Duration::from_secs(5));
    let e = client
        .contacts()
        .list()
        .page_size(30)
        .collect_all()
        .await
        .unwrap_err();
    match &e {
        Error::Decode { excerpt, .. } => {
            assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS, "{excerpt}")
        }
        other => panic!("{other:?}"),
    }
    assert_bounded("truncated page", &e);
}
