//! `client.contacts().sync(rows)` against the stateful demo server on
//! 127.0.0.1: the batched reads and the writes as they go over the wire,
//! one outcome per row (a bad row fails alone), the dry run's plan, a
//! second run that writes nothing, and the request count against per-row
//! upserts.

use std::time::Instant;

use futures::StreamExt;
use quo_api_ext::contacts::{
    ChangedField, ContactDraft, SyncAction, SyncOutcome, SyncReport, Upserted,
};
use quo_api_ext::testing::{Dataset, DemoConfig, DemoServer, Fault, RecordedRequest};
use quo_api_ext::{Error, QuoClient};
use quo_tests::clients::client;
use quo_tests::fixtures::contact_with;
use serde_json::{Value, json};

/// A stored contact with external id `crm-{i}`: first name `Ada{i}`, role
/// Engineer, one work email and a Deal Size of 100.
fn stored(i: usize) -> Value {
    stored_with_external_id(i, &format!("crm-{i}"))
}

fn stored_with_external_id(i: usize, external_id: &str) -> Value {
    let mut contact = contact_with(
        &format!("{:024x}", i + 1),
        json!({
            "firstName": format!("Ada{i}"),
            "role": "Engineer",
            "emails": [{"id": format!("em{i}"), "name": "work", "value": format!("ada{i}@example.com")}],
        }),
        json!([{"name": "Deal Size", "key": "deal-size", "id": format!("cf{i}"), "type": "number", "value": 100}]),
    );
    contact["externalId"] = json!(external_id);
    contact["source"] = json!("public-api");
    contact
}

/// The row that matches [`stored`] `i` as it is: names the first name only.
fn row(i: usize) -> ContactDraft {
    ContactDraft::new(format!("Ada{i}")).external_id(format!("crm-{i}"))
}

/// A demo server holding [`stored`] contacts `0..n`.
async fn seeded(n: usize) -> (DemoServer, QuoClient) {
    seeded_with((0..n).map(stored)).await
}

async fn seeded_with(contacts: impl IntoIterator<Item = Value>) -> (DemoServer, QuoClient) {
    let dataset = Dataset::from_values(contacts);
    let server = DemoServer::start(DemoConfig::new(dataset)).await.unwrap();
    let client = client(&server);
    (server, client)
}

/// The `GET /v1/contacts` requests (the sync's reads).
fn reads(server: &DemoServer) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/v1/contacts")
        .collect()
}

/// The requests that write (`POST`, `PATCH`).
fn writes(server: &DemoServer) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" || r.method == "PATCH")
        .collect()
}

fn query_ids(request: &RecordedRequest) -> Vec<String> {
    request
        .query_pairs()
        .into_iter()
        .filter(|(k, _)| k == "externalIds")
        .map(|(_, v)| v)
        .collect()
}

fn outcome(report: &SyncReport, row: usize) -> &SyncOutcome {
    let outcome = &report.outcomes[row];
    assert_eq!(outcome.row, row, "outcomes in row order");
    outcome
}

fn failure(outcome: &SyncOutcome) -> &Error {
    outcome
        .action
        .error()
        .unwrap_or_else(|| panic!("row {} failed: {:?}", outcome.row, outcome.action))
}

#[tokio::test]
async fn a_120_row_sync_sends_three_batched_reads_then_only_the_needed_writes() {
    let (server, client) = seeded(100).await;
    // Rows 0..100 exist; every tenth changes its role; 100..120 are new.
    let rows = (0..120).map(|i| {
        if i % 10 == 3 {
            row(i).role("CTO")
        } else {
            row(i)
        }
    });

    let report = client.contacts().sync(rows).run().await;

    let reads = reads(&server);
    assert_eq!(reads.len(), 3, "one read per 50 ids");
    let expected: Vec<Vec<String>> = [0..50, 50..100, 100..120]
        .into_iter()
        .map(|r| r.map(|i| format!("crm-{i}")).collect())
        .collect();
    let sent: Vec<Vec<String>> = reads.iter().map(query_ids).collect();
    assert_eq!(
        sent, expected,
        "the ids on the wire as repeated externalIds"
    );

    let writes = writes(&server);
    let posts: Vec<_> = writes.iter().filter(|w| w.method == "POST").collect();
    let patches: Vec<_> = writes.iter().filter(|w| w.method == "PATCH").collect();
    assert_eq!(posts.len(), 20, "a create per new row");
    assert_eq!(
        patches.len(),
        10,
        "a PATCH per changed row, none for the others"
    );
    assert_eq!(
        server.request_count(),
        3 + 30,
        "nothing else: no read per contact"
    );
    for patch in &patches {
        let i =
            usize::from_str_radix(patch.path.trim_start_matches("/v1/contacts/"), 16).unwrap() - 1;
        assert_eq!(i % 10, 3, "only changed rows are written: {}", patch.path);
        let body = patch.body_json().unwrap();
        assert_eq!(body["defaultFields"]["role"], "CTO");
        // Every array of the contact as the batch read it, with its ids.
        assert_eq!(
            body["defaultFields"]["emails"],
            json!([{"id": format!("em{i}"), "name": "work", "value": format!("ada{i}@example.com")}])
        );
        assert_eq!(
            body["customFields"],
            json!([{"id": format!("cf{i}"), "key": "deal-size", "value": 100.0}])
        );
    }

    let s = report.summary;
    assert_eq!(
        (s.rows, s.created, s.updated, s.unchanged, s.failed),
        (120, 20, 10, 90, 0)
    );
    assert_eq!((s.reads, s.writes), (3, 30));
    let changed = outcome(&report, 13);
    assert_eq!(
        changed.action.changes(),
        [ChangedField::new("role", json!("Engineer"), json!("CTO"))]
    );
    assert_eq!(
        changed
            .contact
            .as_ref()
            .unwrap()
            .default_fields
            .role
            .as_deref(),
        Some("CTO"),
        "the contact as written"
    );
    assert!(matches!(outcome(&report, 0).action, SyncAction::Unchanged));
    let created = outcome(&report, 110);
    assert!(matches!(created.action, SyncAction::Created { .. }));
    let id = &created.contact.as_ref().unwrap().id;
    let stored = client.contacts().get(id).await.unwrap();
    assert_eq!(stored.external_id.as_deref(), Some("crm-110"));
    // Progress: every row counted once, requests up to the end.
    let mut done: Vec<usize> = report.outcomes.iter().map(|o| o.progress.done).collect();
    done.sort_unstable();
    assert_eq!(done, (1..=120).collect::<Vec<_>>());
    assert!(report.outcomes.iter().all(|o| o.progress.total == 120));
    let last = report
        .outcomes
        .iter()
        .max_by_key(|o| o.progress.done)
        .unwrap();
    assert_eq!(last.progress.requests, 33);
}

#[tokio::test]
async fn a_dry_run_reads_the_same_writes_nothing_and_plans_each_field_before_and_after() {
    let (server, client) = seeded(60).await;
    let rows = (0..62).map(|i| match i {
        1 => row(i).role("CTO").custom_field_text("Deal Size", "250"),
        2 => row(i).email("home", "home2@example.com"),
        _ => row(i),
    });

    let plan = client.contacts().sync(rows).dry_run().run().await;

    assert_eq!(reads(&server).len(), 2, "the same batched reads");
    assert!(writes(&server).is_empty(), "no POST or PATCH in a dry run");
    let s = plan.summary;
    assert!(s.dry_run);
    assert_eq!(
        (s.created, s.updated, s.unchanged, s.failed, s.writes),
        (2, 2, 58, 0, 0)
    );
    assert_eq!(
        outcome(&plan, 1).action.changes(),
        [
            ChangedField::new("role", json!("Engineer"), json!("CTO")),
            ChangedField::new("customFields.Deal Size", json!(100), json!(250.0)),
        ]
    );
    assert_eq!(
        outcome(&plan, 2).action.changes(),
        [ChangedField::new(
            "emails",
            json!(["ada2@example.com"]),
            json!(["ada2@example.com", "home2@example.com"])
        )]
    );
    let new = outcome(&plan, 61);
    assert!(
        matches!(new.action, SyncAction::Created { .. }),
        "{:?}",
        new.action
    );
    assert!(new.action.changes().contains(&ChangedField::new(
        "externalId",
        Value::Null,
        json!("crm-61")
    )));
    assert!(new.contact.is_none(), "nothing created");
    // What a plan prints.
    assert_eq!(
        outcome(&plan, 1).action.changes()[0].to_string(),
        "role: \"Engineer\" → \"CTO\""
    );
    // The store is as it was.
    assert_eq!(server.contacts().len(), 60);
    let untouched = client
        .contacts()
        .find_by_external_id("crm-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(untouched.default_fields.role.as_deref(), Some("Engineer"));
}

#[tokio::test]
async fn a_second_run_finds_everything_unchanged_and_writes_nothing() {
    let (server, client) = seeded(40).await;
    let rows: Vec<ContactDraft> = (0..60)
        .map(|i| {
            row(i)
                .role("Lead")
                .custom_field_text("Newsletter Opt-in", "yes")
        })
        .collect();

    let first = client.contacts().sync(rows.clone()).run().await;
    assert_eq!((first.summary.created, first.summary.updated), (20, 40));
    assert_eq!(
        first.summary.failed,
        0,
        "{:?}",
        first.outcomes.iter().find(|o| o.action.is_failed())
    );
    server.clear_requests();

    let second = client.contacts().sync(rows).run().await;
    assert_eq!(second.summary.unchanged, 60, "{}", second.summary);
    assert_eq!(second.summary.writes, 0);
    assert!(writes(&server).is_empty(), "no write on the wire");
    assert_eq!(reads(&server).len(), 2);
}

#[tokio::test]
async fn a_sync_stopped_halfway_writes_only_the_rest_when_run_again() {
    let (server, client) = seeded(50).await;
    // Every row needs a write: 30 updates and 20 creates.
    let rows: Vec<ContactDraft> = (20..70).map(|i| row(i).company("Engines")).collect();

    // Stop (drop the stream) after 25 rows, as Ctrl-C would.
    let mut outcomes = client
        .contacts()
        .sync(rows.clone())
        .concurrency(1)
        .outcomes();
    for _ in 0..25 {
        let outcome = outcomes.next().await.unwrap();
        assert!(!outcome.action.is_failed(), "{:?}", outcome.action);
    }
    drop(outcomes);
    let first_writes = writes(&server).len();
    assert_eq!(first_writes, 25);
    server.clear_requests();

    let rest = client.contacts().sync(rows).run().await;
    assert_eq!(
        writes(&server).len(),
        50 - first_writes,
        "only what the first run did not write"
    );
    assert_eq!(rest.summary.unchanged, 25);
    assert_eq!(rest.summary.created + rest.summary.updated, 25);
    assert_eq!(server.contacts().len(), 70, "no contact created twice");
}

#[tokio::test]
async fn an_external_id_twice_in_the_input_fails_the_later_row_only() {
    let (server, client) = seeded(3).await;
    let rows = vec![row(0).role("A"), row(1).role("B"), row(0).role("C"), row(5)];

    let report = client.contacts().sync(rows).run().await;

    match failure(outcome(&report, 2)) {
        Error::InvalidInput { field, message } => {
            assert_eq!(*field, "external_id");
            assert!(message.contains("row 0"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        query_ids(&reads(&server)[0]),
        ["crm-0", "crm-1", "crm-5"],
        "the duplicate is not read"
    );
    let s = report.summary;
    assert_eq!((s.created, s.updated, s.failed), (1, 2, 1));
    let roles: Vec<Value> = writes(&server)
        .iter()
        .filter(|w| w.method == "PATCH")
        .map(|w| w.body_json().unwrap()["defaultFields"]["role"].clone())
        .collect();
    assert_eq!(roles.len(), 2);
    assert!(!roles.contains(&json!("C")), "the later row is not written");
}

#[tokio::test]
async fn an_external_id_two_contacts_hold_fails_that_row_only() {
    let mut contacts: Vec<Value> = (0..3).map(stored).collect();
    contacts.push(stored_with_external_id(10, "crm-1"));
    let (server, client) = seeded_with(contacts).await;
    let rows = (0..4).map(|i| row(i).role("CTO"));

    let report = client.contacts().sync(rows).run().await;

    match failure(outcome(&report, 1)) {
        Error::AmbiguousExternalId {
            external_id,
            contact_ids,
            count,
        } => {
            assert_eq!(external_id, "crm-1");
            assert_eq!(*count, 2);
            assert_eq!(contact_ids.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    let s = report.summary;
    assert_eq!((s.created, s.updated, s.failed), (1, 2, 1));
    assert_eq!(s.reads, 1);
    let written: Vec<String> = writes(&server).iter().map(|w| w.path.clone()).collect();
    assert_eq!(written.len(), 3);
    for held in [format!("{:024x}", 2), format!("{:024x}", 11)] {
        assert!(
            !written.iter().any(|p| p.ends_with(&held)),
            "neither contact holding crm-1 is written: {written:?}"
        );
    }
}

#[tokio::test]
async fn a_batch_matching_more_than_a_page_follows_the_next_page_before_deciding() {
    // 50 ids; the last five are each held by a second contact stored after
    // all the others, so their second holders come on the second page.
    let mut contacts: Vec<Value> = (0..50).map(stored).collect();
    contacts.extend((45..50).map(|i| stored_with_external_id(100 + i, &format!("crm-{i}"))));
    let (server, client) = seeded_with(contacts).await;
    let rows = (0..50).map(|i| row(i).role("CTO"));

    let report = client.contacts().sync(rows).run().await;

    let reads = reads(&server);
    assert_eq!(reads.len(), 2, "one batch, two pages");
    assert_eq!(query_ids(&reads[0]).len(), 50);
    assert!(
        reads[1].query_pairs().iter().any(|(k, _)| k == "pageToken"),
        "the second read follows the page token"
    );
    for r in 45..50 {
        assert!(
            matches!(
                failure(outcome(&report, r)),
                Error::AmbiguousExternalId { count: 2, .. }
            ),
            "row {r}"
        );
    }
    let s = report.summary;
    assert_eq!((s.updated, s.failed, s.reads, s.writes), (45, 5, 2, 45));
    assert_eq!(writes(&server).len(), 45);
}

#[tokio::test]
async fn a_refused_write_fails_that_row_only() {
    let (server, client) = seeded(2).await;
    let rows = (0..4).map(|i| row(i).role("CTO"));
    // In order, one at a time: the read, row 0's PATCH, then row 1's PATCH
    // is refused as Quo refuses a bad body.
    server.inject(Fault::Serve);
    server.inject(Fault::Serve);
    server.inject(Fault::Raw {
        status: 400,
        body: json!({
            "message": "Invalid role",
            "code": "0800400",
            "status": 400,
            "docs": "https://quo.com/docs",
            "title": "Bad Request"
        })
        .to_string(),
    });

    let report = client.contacts().sync(rows).concurrency(1).run().await;

    let error = failure(outcome(&report, 1));
    assert_eq!(error.status(), Some(400), "{error}");
    let s = report.summary;
    assert_eq!((s.created, s.updated, s.failed), (2, 1, 1));
    let methods: Vec<String> = writes(&server).iter().map(|w| w.method.clone()).collect();
    assert_eq!(
        methods,
        ["PATCH", "PATCH", "POST", "POST"],
        "every other row written"
    );
}

#[tokio::test]
async fn csv_text_that_does_not_fit_fails_that_row_naming_the_field() {
    let (server, client) = seeded(1).await;
    let rows = vec![
        // An existing contact: the update path.
        row(0).custom_field_text("Deal Size", "lots"),
        // New contacts: the create path.
        row(1)
            .custom_field_text("Deal Size", " 12.5 ")
            .custom_field_text("Newsletter Opt-in", "yes")
            .custom_field_text("Product Interest", "sms; voice")
            .custom_field_text("Next Follow-up", "2024-05-01"),
        row(2).custom_field_text("Newsletter Opt-in", "maybe"),
        row(3).custom_field_text("Next Follow-up", "next week"),
    ];

    let report = client.contacts().sync(rows).run().await;

    for (r, field, text) in [
        (0, "Deal Size", "lots"),
        (2, "Newsletter Opt-in", "maybe"),
        (3, "Next Follow-up", "next week"),
    ] {
        let message = failure(outcome(&report, r)).to_string();
        assert!(
            message.contains(&format!("\"{field}\"")),
            "row {r}: {message}"
        );
        assert!(
            message.contains(&format!("\"{text}\"")),
            "row {r}: {message}"
        );
    }
    let writes = writes(&server);
    assert_eq!(writes.len(), 1, "only the row that fits is written");
    let body = writes[0].body_json().unwrap();
    let fields: Vec<(Value, Value)> = body["customFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["key"].clone(), f["value"].clone()))
        .collect();
    assert_eq!(
        fields,
        [
            (json!("deal-size"), json!(12.5)),
            (json!("newsletter-opt-in"), json!(true)),
            (json!("product-interest"), json!(["sms", "voice"])),
            (json!("next-follow-up"), json!("2024-05-01T00:00:00.000Z")),
        ]
    );
}

/// The figure the sync exists for: rows in Quo's batches against a
/// per-row upsert loop, counted on the server side. 2,000 rows keep the
/// suite quick; the `jobs` benchmark runs 5,000 with a rate limit and
/// latency, for wall times.
#[tokio::test]
async fn sync_requests_against_per_row_upserts() {
    const ROWS: usize = 2_000;
    // About 2,600 requests and 600 writes that copy the demo store: keep
    // timed tests off the machine meanwhile.
    let _heavy = crate::support::heavy().await;
    let existing = ROWS * 95 / 100;
    let rows: Vec<ContactDraft> = (0..ROWS)
        .map(|i| {
            if i % 10 == 7 {
                row(i).role("CTO")
            } else {
                row(i)
            }
        })
        .collect();
    let changed = (0..existing).filter(|i| i % 10 == 7).count();
    let new = ROWS - existing;

    let (server, client) = seeded(existing).await;
    let started = Instant::now();
    let report = client
        .contacts()
        .sync(rows.clone())
        .concurrency(8)
        .run()
        .await;
    let sync_time = started.elapsed();
    let sync_requests = server.request_count();
    assert_eq!(report.summary.failed, 0);
    assert_eq!(
        (report.summary.created, report.summary.updated),
        (new, changed)
    );

    let (server, client) = seeded(existing).await;
    let started = Instant::now();
    for draft in rows {
        let upserted = client
            .contacts()
            .upsert_by_external_id(draft)
            .await
            .unwrap();
        assert!(matches!(
            upserted,
            Upserted::Created(_) | Upserted::Updated(_) | Upserted::Unchanged(_)
        ));
    }
    let loop_time = started.elapsed();
    let loop_requests = server.request_count();

    let floor = ROWS.div_ceil(50) + new + changed;
    #[allow(clippy::cast_precision_loss)]
    let ratio = loop_requests as f64 / sync_requests as f64;
    println!(
        "{ROWS} rows ({changed} changed, {new} new): sync {sync_requests} requests in {sync_time:?}, \
         per-row upserts {loop_requests} requests in {loop_time:?}; floor {floor}; ratio {ratio:.2}"
    );
    assert_eq!(
        sync_requests, floor,
        "sync at the floor: reads of 50 ids plus the writes"
    );
    assert_eq!(loop_requests, ROWS + new + changed);
    assert!(ratio > 6.0, "{ratio}");
}
