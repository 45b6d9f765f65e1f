//! Jobs at the floor of Quo's rate limit, side by side in one run against
//! the demo server with its rate limit on (scaled up, 100 requests per
//! second by default, so a run takes seconds) and a page latency:
//!
//! - **contact sync**: rows of which 10% changed and 5% are new, synced
//!   with `contacts().sync(rows)` and with a per-row
//!   `upsert_by_external_id` loop, each against a fresh server holding the
//!   same contacts. Requests are counted on the server side. The floor is
//!   `ceil(rows / 50)` reads plus the writes needed; the wall floor is the
//!   floor requests at the rate.
//!
//! - **call export**: every call of the demo workspace with its summary
//!   and transcript through `calls().export()`, requests per exported call
//!   against the floor the API allows (one phone number listing, one page
//!   of conversations, one call listing per number and participant, a
//!   summary and a transcript per call).
//!
//! Prints figures; asserts nothing about speed. Its last three lines are
//! `sync requests/floor: R`, `sync wall/floor: W` and
//! `sync speedup over per-row upsert: S`, so runs can be compared.
//!
//! `cargo bench -p quo-api-ext --features testing --bench jobs`
//! (env: `QUO_BENCH_SYNC_ROWS` default 5000, `QUO_BENCH_RATE` default 100
//! requests per second, `QUO_BENCH_LATENCY_MS` default 20,
//! `QUO_BENCH_SYNC_CONCURRENCY` default 4)

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use quo_api_ext::QuoClient;
use quo_api_ext::contacts::ContactDraft;
use quo_api_ext::testing::{Dataset, DemoConfig, DemoRateLimit, DemoServer};
use serde_json::{Value, json};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A stored contact with external id `crm-{i}`, as Quo sends it.
fn stored(i: usize) -> Value {
    json!({
        "id": format!("{:024x}", i + 1),
        "externalId": format!("crm-{i}"),
        "source": "public-api",
        "sourceUrl": null,
        "defaultFields": {
            "company": "Engines",
            "emails": [{"id": format!("em{i}"), "name": "work", "value": format!("ada{i}@example.com")}],
            "firstName": format!("Ada{i}"),
            "lastName": "Lovelace",
            "phoneNumbers": [],
            "role": "Engineer"
        },
        "customFields": [
            {"name": "Deal Size", "key": "deal-size", "id": format!("cf{i}"), "type": "number", "value": 100}
        ],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-05-21T20:39:34.000Z",
        "createdByUserId": "USlHhXmRMz"
    })
}

/// Row `i`: the stored contact as it is, its role changed for every tenth.
fn row(i: usize) -> ContactDraft {
    let draft = ContactDraft::new(format!("Ada{i}"))
        .external_id(format!("crm-{i}"))
        .last_name("Lovelace")
        .custom_field_text("Deal Size", "100");
    if i % 10 == 7 {
        draft.role("CTO")
    } else {
        draft
    }
}

struct Setup {
    rate: u32,
    latency: Duration,
    existing: usize,
}

/// A demo server holding `setup.existing` contacts, and a client for it
/// whose custom-field definitions are already read: both ways read them
/// once per client, outside the timing.
async fn start(setup: &Setup) -> (DemoServer, QuoClient) {
    let dataset = Dataset::from_values((0..setup.existing).map(stored));
    let config = DemoConfig::new(dataset)
        .with_record_limit(0)
        .with_rate_limit(DemoRateLimit::per_second(setup.rate))
        .with_latency(setup.latency, setup.latency / 4);
    let server = DemoServer::start(config).await.expect("demo server");
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .rate_limit(setup.rate)
        .build()
        .expect("client");
    client
        .custom_field_definitions()
        .refresh()
        .await
        .expect("definitions");
    (server, client)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

/// The call export over the default demo workspace, at the rate and latency.
#[allow(clippy::cast_precision_loss)]
async fn export_figures(rate: u32, latency: Duration) {
    let config = DemoConfig::default()
        .with_record_limit(0)
        .with_rate_limit(DemoRateLimit::per_second(rate))
        .with_latency(latency, latency / 4);
    let server = DemoServer::start(config).await.expect("demo server");
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .rate_limit(rate)
        .build()
        .expect("client");
    let export = client
        .calls()
        .export()
        .created_after(chrono::DateTime::UNIX_EPOCH)
        .with_summaries()
        .with_transcripts()
        .concurrency(4);
    let progress = export.progress();
    let before = server.request_count();
    let started = Instant::now();
    let calls: Vec<_> = export.items().try_collect().await.expect("export");
    let wall = started.elapsed();
    let requests = server.request_count() - before;
    let counts = progress.snapshot();
    let conversation_pages = counts.conversations.div_ceil(100).max(1);
    let floor = 1 + conversation_pages + counts.participants + 2 * counts.calls;
    let per_call = |n: u64| n as f64 / calls.len().max(1) as f64;
    println!(
        "call export: {} calls over {} phone numbers and {} participants: {requests} requests \
         in {wall:.2?}; floor {floor}",
        calls.len(),
        counts.phone_numbers,
        counts.participants
    );
    println!(
        "export requests per call: {:.2}, floor {:.2}; export requests/floor: {:.2}",
        per_call(requests as u64),
        per_call(floor),
        requests as f64 / floor as f64
    );
}

#[allow(clippy::cast_precision_loss)]
async fn run() {
    let rows = env_usize("QUO_BENCH_SYNC_ROWS", 5_000);
    let rate = u32::try_from(env_usize("QUO_BENCH_RATE", 100)).unwrap_or(100);
    let latency = Duration::from_millis(env_usize("QUO_BENCH_LATENCY_MS", 20) as u64);
    let concurrency = env_usize("QUO_BENCH_SYNC_CONCURRENCY", 4);
    export_figures(rate, latency).await;
    let setup = Setup {
        rate,
        latency,
        existing: rows * 95 / 100,
    };
    let drafts: Vec<ContactDraft> = (0..rows).map(row).collect();
    let changed = (0..setup.existing).filter(|i| i % 10 == 7).count();
    let new = rows - setup.existing;
    let floor = rows.div_ceil(50) + changed + new;
    let wall_floor = Duration::from_secs_f64(floor as f64 / f64::from(rate));
    println!(
        "contact sync: {rows} rows ({changed} changed, {new} new), {rate} requests/s, \
         {latency:?} latency; floor {floor} requests, {wall_floor:.2?}"
    );

    let (server, client) = start(&setup).await;
    let before = server.request_count();
    let started = Instant::now();
    let report = client
        .contacts()
        .sync(drafts.clone())
        .concurrency(concurrency)
        .run()
        .await;
    let sync_wall = started.elapsed();
    let sync_requests = server.request_count() - before;
    println!(
        "sync (concurrency {concurrency}): {sync_requests} requests in {sync_wall:.2?}: {}",
        report.summary
    );
    assert_eq!(report.summary.failed, 0, "every row synced");
    drop(server);

    let (server, client) = start(&setup).await;
    let before = server.request_count();
    let started = Instant::now();
    for draft in drafts {
        client
            .contacts()
            .upsert_by_external_id(draft)
            .await
            .expect("upsert");
    }
    let loop_wall = started.elapsed();
    let loop_requests = server.request_count() - before;
    println!("per-row upsert: {loop_requests} requests in {loop_wall:.2?}");
    println!(
        "per-row upsert requests/floor: {:.2}, wall/floor: {:.2}",
        loop_requests as f64 / floor as f64,
        loop_wall.as_secs_f64() / wall_floor.as_secs_f64()
    );
    println!(
        "sync requests/floor: {:.2}",
        sync_requests as f64 / floor as f64
    );
    println!(
        "sync wall/floor: {:.2}",
        sync_wall.as_secs_f64() / wall_floor.as_secs_f64()
    );
    println!(
        "sync speedup over per-row upsert: {:.2}",
        loop_wall.as_secs_f64() / sync_wall.as_secs_f64()
    );
}
