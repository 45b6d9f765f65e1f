//! `client.contacts().list()`: what goes over the wire on every page, when a
//! walk stops, laziness, validation, and errors in the middle of a walk.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use quo_api_ext::{Error, QuoClient};
use quo_tests::{clients, fixtures};
use serde_json::{Value, json};

/// A list response body.
fn page(ids: &[&str], next: Option<&str>, total: i64) -> Value {
    json!({
        "data": ids.iter().map(|id| fixtures::contact(id)).collect::<Vec<_>>(),
        "totalItems": total,
        "nextPageToken": next,
    })
}

/// One canned answer of the fake list endpoint, picked by the request's
/// (decoded) `pageToken`; `None` answers the request without a token.
struct Answer {
    token: Option<&'static str>,
    status: u16,
    body: Value,
}

fn ok(token: Option<&'static str>, body: Value) -> Answer {
    Answer {
        token,
        status: 200,
        body,
    }
}

/// `GET /v1/contacts` answering by page token and recording every raw
/// (still percent-encoded) query string it receives.
struct FakeList {
    server: MockServer,
    queries: Arc<Mutex<Vec<String>>>,
}

impl FakeList {
    async fn start(answers: Vec<Answer>) -> Self {
        let server = MockServer::start_async().await;
        let queries = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&queries);
        server
            .mock_async(move |when, then| {
                when.method(GET).path("/v1/contacts");
                then.respond_with(move |req: &HttpMockRequest| {
                    let uri = req.uri();
                    log.lock()
                        .unwrap()
                        .push(uri.query().unwrap_or("").to_owned());
                    let token = req
                        .query_params()
                        .into_iter()
                        .find(|(key, _)| key == "pageToken")
                        .map(|(_, value)| value);
                    let (status, body) =
                        match answers.iter().find(|a| a.token.map(str::to_owned) == token) {
                            Some(answer) => (answer.status, answer.body.to_string()),
                            None => (418, format!("no canned answer for page token {token:?}")),
                        };
                    HttpMockResponse::builder()
                        .status(status)
                        .header("content-type", "application/json")
                        .body(body)
                        .build()
                });
            })
            .await;
        Self { server, queries }
    }

    fn client(&self) -> QuoClient {
        clients::client(&self.server)
    }

    /// The raw query strings received so far, in order.
    fn queries(&self) -> Vec<String> {
        self.queries.lock().unwrap().clone()
    }

    fn requests(&self) -> usize {
        self.queries.lock().unwrap().len()
    }
}

/// A raw query string as `(key, value)` pairs, still percent-encoded, sorted
/// by key (keeping the order of repeated keys), so parameter order does not
/// matter but encoding and repetition do.
fn raw_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_owned(), value.to_owned())
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

fn ids(contacts: &[quo_api_ext::Contact]) -> Vec<&str> {
    contacts.iter().map(|c| c.id.as_str()).collect()
}

/// Fails the test instead of hanging if a walk never ends.
async fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .expect("the walk did not finish within 10s")
}

#[tokio::test]
async fn walks_three_pages_sending_filters_page_size_and_previous_token_every_time() {
    // Tokens with characters that must be percent-encoded in a query.
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("tok/1+="), 6)),
        ok(Some("tok/1+="), page(&["c3", "c4"], Some("tok 2,&"), 6)),
        ok(Some("tok 2,&"), page(&["c5"], None, 6)),
    ])
    .await;

    let contacts = bounded(
        fake.client()
            .contacts()
            .list()
            .external_ids(["a+b", "c,d"])
            .sources(["public-api", "csv"])
            .page_size(2)
            .collect_all(),
    )
    .await
    .expect("walk");

    assert_eq!(ids(&contacts), ["c1", "c2", "c3", "c4", "c5"]);
    let filters = [
        ("externalIds", "a%2Bb"),
        ("externalIds", "c%2Cd"),
        ("maxResults", "2"),
        ("sources", "public-api"),
        ("sources", "csv"),
    ];
    let with_token = |token: &'static str| {
        let mut all = filters.to_vec();
        all.push(("pageToken", token));
        pairs(&all)
    };
    let queries = fake.queries();
    assert_eq!(queries.len(), 3, "one request per page: {queries:?}");
    assert_eq!(
        raw_pairs(&queries[0]),
        pairs(&filters),
        "page 1: {}",
        queries[0]
    );
    assert_eq!(
        raw_pairs(&queries[1]),
        with_token("tok%2F1%2B%3D"),
        "page 2: {}",
        queries[1]
    );
    assert_eq!(
        raw_pairs(&queries[2]),
        with_token("tok+2%2C%26"),
        "page 3: {}",
        queries[2]
    );
}

#[tokio::test]
async fn without_settings_only_max_results_50_is_sent() {
    let fake = FakeList::start(vec![ok(None, page(&["c1"], None, 1))]).await;

    let contacts = fake.client().contacts().list().collect_all().await.unwrap();

    assert_eq!(ids(&contacts), ["c1"]);
    assert_eq!(fake.queries(), ["maxResults=50"]);
}

#[tokio::test]
async fn a_null_next_page_token_ends_the_walk() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("t1"), 3)),
        ok(Some("t1"), page(&["c3"], None, 3)),
        // Never requested: it would only be reached by ignoring the null token.
        ok(Some(""), page(&["never"], None, 3)),
    ])
    .await;

    let contacts = bounded(fake.client().contacts().list().collect_all())
        .await
        .unwrap();

    assert_eq!(ids(&contacts), ["c1", "c2", "c3"]);
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn an_empty_next_page_token_ends_the_walk() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1"], Some("t1"), 2)),
        ok(Some("t1"), page(&["c2"], Some(""), 2)),
        ok(Some(""), page(&["never"], None, 2)),
    ])
    .await;

    let mut pages = fake.client().contacts().list().pages();
    let first = pages.try_next().await.unwrap().unwrap();
    let second = pages.try_next().await.unwrap().unwrap();

    assert_eq!(first.next_page_token(), Some("t1"));
    assert_eq!(ids(second.items()), ["c2"]);
    assert_eq!(
        second.next_page_token(),
        None,
        "an empty token means no next page"
    );
    assert!(bounded(pages.next()).await.is_none());
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn an_empty_page_ends_the_walk_even_with_a_token() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1"], Some("t1"), 1)),
        ok(Some("t1"), page(&[], Some("t2"), 1)),
        ok(Some("t2"), page(&["never"], None, 1)),
    ])
    .await;

    let pages: Vec<_> = bounded(fake.client().contacts().list().pages().try_collect())
        .await
        .unwrap();

    assert_eq!(
        pages.len(),
        2,
        "the empty page is yielded, then the walk ends"
    );
    assert!(pages[1].is_empty());
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn a_repeated_token_yields_one_pagination_loop_error_then_ends() {
    // t1 -> t2 -> t1 -> ... would never end.
    let fake = FakeList::start(vec![
        ok(
            None,
            page(&["c1"], Some("t1-a-rather-long-opaque-token"), 9),
        ),
        ok(
            Some("t1-a-rather-long-opaque-token"),
            page(&["c2"], Some("t2"), 9),
        ),
        ok(
            Some("t2"),
            page(&["c3"], Some("t1-a-rather-long-opaque-token"), 9),
        ),
    ])
    .await;

    let mut items = fake.client().contacts().list().items();
    let mut seen = Vec::new();
    let error = bounded(async {
        loop {
            match items.next().await {
                Some(Ok(contact)) => seen.push(contact.id),
                Some(Err(error)) => break error,
                None => panic!("the walk ended without reporting the loop"),
            }
        }
    })
    .await;

    assert_eq!(
        seen,
        ["c1", "c2", "c3"],
        "every page actually fetched is yielded"
    );
    match error {
        Error::PaginationLoop { token_excerpt } => {
            assert!(token_excerpt.starts_with("t1-a"), "{token_excerpt}");
            assert!(token_excerpt.len() < "t1-a-rather-long-opaque-token".len());
        }
        other => panic!("expected PaginationLoop, got {other:?}"),
    }
    for _ in 0..3 {
        assert!(
            items.next().await.is_none(),
            "the stream ends after the loop error"
        );
    }
    assert_eq!(fake.requests(), 3, "no request for the repeated token");
}

#[tokio::test]
async fn a_page_repeating_its_own_token_is_a_loop() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1"], Some("same"), 9)),
        ok(Some("same"), page(&["c2"], Some("same"), 9)),
    ])
    .await;

    let results: Vec<_> = bounded(fake.client().contacts().list().pages().collect()).await;

    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(matches!(results[2], Err(Error::PaginationLoop { .. })));
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn nothing_is_sent_until_polled_and_taking_one_item_costs_one_request() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("t1"), 4)),
        ok(Some("t1"), page(&["c3", "c4"], None, 4)),
    ])
    .await;
    let client = fake.client();

    let items = client.contacts().list().page_size(2).items();
    let pages = client.contacts().list().page_size(2).pages();
    // Give any eagerly spawned request time to arrive.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(fake.requests(), 0, "building a stream sends nothing");
    drop(pages);

    let first: Vec<_> = items.take(1).try_collect().await.unwrap();
    assert_eq!(ids(&first), ["c1"]);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        fake.requests(),
        1,
        "one item from the first page is one request"
    );

    // The second page is only requested once the first one is used up.
    let three: Vec<_> = client
        .contacts()
        .list()
        .page_size(2)
        .items()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&three), ["c1", "c2", "c3"]);
    assert_eq!(fake.requests(), 3);
}

fn assert_invalid_input(result: Option<Result<impl std::fmt::Debug, Error>>, field: &str) {
    match result {
        Some(Err(Error::InvalidInput {
            field: got,
            message,
        })) => {
            assert_eq!(got, field, "{message}");
            assert!(!message.is_empty());
        }
        other => panic!("expected InvalidInput for {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn out_of_range_page_sizes_are_refused_before_anything_is_sent() {
    let fake = FakeList::start(vec![ok(None, page(&["c1"], None, 1))]).await;
    let client = fake.client();

    for size in [0, 51, u32::MAX] {
        let mut items = client.contacts().list().page_size(size).items();
        assert_invalid_input(items.next().await, "page_size");
        assert!(items.next().await.is_none(), "only the error is yielded");

        let mut pages = client.contacts().list().page_size(size).pages();
        assert_invalid_input(pages.next().await, "page_size");
        assert!(pages.next().await.is_none());

        let all = client.contacts().list().page_size(size).collect_all().await;
        assert_invalid_input(Some(all), "page_size");
    }
    assert_eq!(fake.requests(), 0);

    // The bounds themselves are accepted.
    for size in [1, 50] {
        client
            .contacts()
            .list()
            .page_size(size)
            .collect_all()
            .await
            .unwrap();
    }
    assert_eq!(fake.queries(), ["maxResults=1", "maxResults=50"]);
}

#[tokio::test]
async fn filter_values_the_api_would_reject_are_refused_before_anything_is_sent() {
    let fake = FakeList::start(vec![ok(None, page(&["c1"], None, 1))]).await;
    let client = fake.client();
    let too_long = "x".repeat(76);

    let cases = [
        client.contacts().list().external_ids(["ok", ""]),
        client.contacts().list().external_ids([too_long.as_str()]),
        client.contacts().list().sources([""]),
        client
            .contacts()
            .list()
            .sources(["fine", too_long.as_str()]),
    ];
    let fields = ["external_ids", "external_ids", "sources", "sources"];
    for (list, field) in cases.into_iter().zip(fields) {
        let mut items = list.items();
        assert_invalid_input(items.next().await, field);
        assert!(items.next().await.is_none());
    }
    assert_eq!(fake.requests(), 0);

    // 75 characters is the documented maximum.
    let longest = "y".repeat(75);
    client
        .contacts()
        .list()
        .external_ids([longest.as_str()])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn an_error_on_page_two_comes_after_page_one_items_and_ends_the_stream() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("t1"), 4)),
        Answer {
            token: Some("t1"),
            status: 400,
            body: json!({
                "message": "Invalid page token",
                "code": "0801400",
                "status": 400,
                "docs": "https://quo.com/docs",
                "title": "Invalid Custom Field Item",
                "trace": "trace-1"
            }),
        },
        ok(Some("t2"), page(&["never"], None, 4)),
    ])
    .await;

    let results: Vec<_> = bounded(fake.client().contacts().list().items().collect()).await;

    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, "c1");
    assert_eq!(results[1].as_ref().unwrap().id, "c2");
    let error = results[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status(), Some(400));
    assert_eq!(fake.requests(), 2);

    // collect_all reports the same error instead of a partial list.
    let all = fake.client().contacts().list().collect_all().await;
    assert_eq!(all.unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn total_items_is_only_a_hint_and_never_decides_the_walk() {
    let fake = FakeList::start(vec![
        // Claims 1 item in all, but there are 3 across two pages.
        ok(None, page(&["c1", "c2"], Some("t1"), 1)),
        // Claims 1000 items, but this is the last page.
        ok(Some("t1"), page(&["c3"], None, 1000)),
    ])
    .await;

    let pages: Vec<_> = fake
        .client()
        .contacts()
        .list()
        .pages()
        .try_collect()
        .await
        .unwrap();

    let hints: Vec<_> = pages.iter().map(|p| p.total_items_hint()).collect();
    assert_eq!(hints, [Some(1), Some(1000)]);
    let all: Vec<_> = pages.into_iter().flat_map(|p| p.into_items()).collect();
    assert_eq!(ids(&all), ["c1", "c2", "c3"]);
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn pages_expose_the_raw_token_and_a_walk_can_resume_from_it() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1"], Some("opaque/+= token"), 2)),
        ok(Some("opaque/+= token"), page(&["c2"], None, 2)),
    ])
    .await;
    let client = fake.client();

    let mut pages = client.contacts().list().external_ids(["x"]).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.next_page_token(), Some("opaque/+= token"));
    drop(pages);
    assert_eq!(fake.requests(), 1);

    let token = first.next_page_token().unwrap().to_owned();
    let rest = client
        .contacts()
        .list()
        .external_ids(["x"])
        .resume_from(token)
        .collect_all()
        .await
        .unwrap();

    assert_eq!(ids(&rest), ["c2"]);
    let queries = fake.queries();
    assert_eq!(queries.len(), 2);
    assert_eq!(
        raw_pairs(&queries[1]),
        pairs(&[
            ("externalIds", "x"),
            ("maxResults", "50"),
            ("pageToken", "opaque%2F%2B%3D+token")
        ])
    );
}

#[tokio::test]
async fn streams_can_be_moved_into_spawned_tasks() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1"], Some("t1"), 2)),
        ok(Some("t1"), page(&["c2"], None, 2)),
    ])
    .await;
    let items = fake.client().contacts().list().items();

    // Requires the stream to be `Send + 'static`.
    let contacts: Vec<_> = tokio::spawn(items.try_collect::<Vec<_>>())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(ids(&contacts), ["c1", "c2"]);
}

#[tokio::test]
async fn client_paginate_walks_any_list_operation_of_the_raw_client() {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("t1"), 3)),
        ok(Some("t1"), page(&["c3"], None, 3)),
    ])
    .await;
    let client = fake.client();
    let page_size = std::num::NonZeroU64::new(2).unwrap();

    let paginator = client.paginate(move |c, token| async move {
        c.call(|raw| async move {
            raw.list_contacts_v1(None, page_size, token.as_deref(), None)
                .await
        })
        .await
    });
    let items = paginator.items();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(fake.requests(), 0, "lazy like the contact streams");

    // `Send + 'static` because the closure and its future are.
    let contacts: Vec<_> = bounded(tokio::spawn(items.try_collect::<Vec<_>>()))
        .await
        .unwrap()
        .unwrap();

    assert_eq!(ids(&contacts), ["c1", "c2", "c3"]);
    assert_eq!(
        fake.queries(),
        ["maxResults=2", "maxResults=2&pageToken=t1"]
    );
}

#[tokio::test]
async fn a_page_already_seen_under_a_new_token_is_a_loop_and_is_not_yielded_twice() {
    // The third token leads back to the first page's items.
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("a"), 9)),
        ok(Some("a"), page(&["c3"], Some("b"), 9)),
        ok(Some("b"), page(&["c1", "c2"], Some("c"), 9)),
        ok(Some("c"), page(&["c3"], Some("d"), 9)),
    ])
    .await;

    let results: Vec<_> = bounded(fake.client().contacts().list().items().collect()).await;

    let ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3"], "no contact is yielded twice");
    match results.last() {
        Some(Err(Error::PaginationLoop { token_excerpt })) => assert_eq!(token_excerpt, "b"),
        other => panic!("expected a PaginationLoop last, got {other:?}"),
    }
    assert_eq!(fake.requests(), 3, "nothing is requested after the loop");
}

/// Three pages of two contacts (c1..c6, tokens t1 and t2) walked with
/// `prefetch(1)`; nothing is requested until the stream is polled.
async fn prefetching_three_pages() -> (
    FakeList,
    impl futures::Stream<Item = quo_api_ext::Result<quo_api_ext::Contact>> + Unpin,
) {
    let fake = FakeList::start(vec![
        ok(None, page(&["c1", "c2"], Some("t1"), 6)),
        ok(Some("t1"), page(&["c3", "c4"], Some("t2"), 6)),
        ok(Some("t2"), page(&["c5", "c6"], None, 6)),
    ])
    .await;
    let items = fake
        .client()
        .contacts()
        .list()
        .page_size(2)
        .prefetch(1)
        .items();
    (fake, items)
}

#[tokio::test]
async fn prefetch_requests_the_next_page_before_the_current_one_is_used_up() {
    let (fake, mut items) = prefetching_three_pages().await;

    let first = bounded(items.try_next()).await.unwrap().unwrap();
    assert_eq!(first.id, "c1");
    // Not polled meanwhile: the second page's request goes out on its own.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(fake.requests(), 2, "page two was requested ahead");

    let rest: Vec<_> = bounded(items.try_collect::<Vec<_>>()).await.unwrap();
    assert_eq!(ids(&rest), ["c2", "c3", "c4", "c5", "c6"]);
    assert_eq!(fake.requests(), 3, "one request per page, none wasted");
    let queries = fake.queries();
    assert!(queries[1].contains("pageToken=t1"), "{queries:?}");
    assert!(queries[2].contains("pageToken=t2"), "{queries:?}");
}

#[tokio::test]
async fn a_page_prefetched_with_a_token_the_decoded_page_does_not_name_is_never_yielded() {
    // A nested `nextPageToken` after the real one misleads the quick read
    // of the body's end; the decoded page names `real`. The page fetched
    // for `decoy` (a 418 here) must be dropped without a trace.
    let mut first = page(&["c1"], Some("real"), 2);
    first["zzz"] = json!({ "nextPageToken": "decoy" });
    let fake = FakeList::start(vec![
        ok(None, first),
        ok(Some("real"), page(&["c2"], None, 2)),
    ])
    .await;

    let contacts = bounded(fake.client().contacts().list().prefetch(1).collect_all())
        .await
        .expect("the decoy never surfaces");

    assert_eq!(ids(&contacts), ["c1", "c2"]);
    let queries = fake.queries();
    assert!(
        queries
            .iter()
            .filter(|q| q.contains("pageToken=real"))
            .count()
            == 1,
        "{queries:?}"
    );
    assert!(fake.requests() <= 3, "{queries:?}");
}

#[tokio::test]
async fn a_prefetching_walk_whose_guess_was_wrong_requests_the_right_page_at_once() {
    // The quick read of the body's end finds `decoy`; the decoded page
    // names `real`, whose request must go out without waiting for the
    // stream to be polled again.
    let mut first = page(&["c1", "c2"], Some("real"), 3);
    first["zzz"] = json!({ "nextPageToken": "decoy" });
    let fake = FakeList::start(vec![
        ok(None, first),
        ok(Some("real"), page(&["c3"], None, 3)),
    ])
    .await;
    let mut items = fake
        .client()
        .contacts()
        .list()
        .page_size(2)
        .prefetch(1)
        .items();

    assert_eq!(bounded(items.try_next()).await.unwrap().unwrap().id, "c1");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let queries = fake.queries();
    assert!(
        queries.iter().any(|q| q.contains("pageToken=real")),
        "{queries:?}"
    );

    let rest: Vec<_> = bounded(items.try_collect::<Vec<_>>()).await.unwrap();
    assert_eq!(ids(&rest), ["c2", "c3"]);
}

#[tokio::test]
async fn dropping_a_prefetching_stream_stops_its_walk() {
    let (fake, mut items) = prefetching_three_pages().await;
    assert_eq!(bounded(items.try_next()).await.unwrap().unwrap().id, "c1");
    drop(items);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        fake.requests() <= 2,
        "at most the one page ahead is requested: {:?}",
        fake.queries()
    );
}

#[tokio::test]
async fn a_walk_counts_its_pages_items_and_requests_as_it_goes() {
    use quo_api_ext::testing::{DEMO_CONTACTS, DemoConfig, DemoServer};

    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = clients::client(&server);
    let list = client.contacts().list().page_size(50);
    let progress = list.progress();
    assert_eq!(progress.snapshot().requests, 0, "nothing before the walk");
    let mut items = list.items();
    items.try_next().await.unwrap().expect("a first contact");
    let first = progress.snapshot();
    assert_eq!((first.pages, first.items, first.requests), (1, 50, 1));
    let total = DEMO_CONTACTS as u64;
    assert_eq!(first.total_hint, Some(total));
    // 190 left at 50 a page: 4 pages, at 10 requests/s.
    assert_eq!(
        first.estimated_remaining(10),
        Some(Duration::from_millis(400))
    );
    let rest: Vec<_> = items.try_collect().await.unwrap();
    assert_eq!(rest.len() + 1, DEMO_CONTACTS);
    let done = progress.snapshot();
    assert_eq!(done.items, total);
    assert_eq!(done.pages, total.div_ceil(50));
    assert_eq!(done.requests, done.pages);
    assert_eq!(
        u64::try_from(server.request_count()).unwrap(),
        done.requests
    );
    assert_eq!(done.estimated_remaining(10), Some(Duration::ZERO));
}
