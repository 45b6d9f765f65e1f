//! Throughput of walking contacts with the SDK (sequential and prefetching)
//! vs. a hand-written reqwest + serde loop that reads the same fields,
//! decode-only cost, per-request overhead, memory while streaming, and walk
//! time per page against a server that answers after 20 ms (plus up to 5 ms
//! of seeded jitter) with a consumer that awaits 15 ms per page. Prints
//! figures; asserts nothing about speed. Everything runs from the runtime's
//! `block_on`, as the body of a `#[tokio::main]` function does.
//!
//! `cargo bench -p quo-api-ext --features testing --bench pagination`
//! (env: `QUO_BENCH_CONTACTS` default 20000, `QUO_BENCH_ROUNDS` default 5,
//! `QUO_BENCH_STREAM` default 100000, `QUO_BENCH_GETS` default 500,
//! `QUO_BENCH_WORK_US` default 300: the consumer's own CPU work per page in
//! the "consumer works" section, `QUO_BENCH_PREFETCH` default 1: the prefetch
//! setting measured against the default, `QUO_BENCH_LATENCY_PAGES` default 40
//! and `QUO_BENCH_LATENCY_ROUNDS` default 3: the latency section's walk
//! length, in pages of 50, and rounds)

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use quo_api_ext::QuoClient;
use quo_api_ext::testing::{Dataset, DemoConfig, DemoServer};
use serde::Deserialize;
use serde_json::Value;

const SEED: u64 = 0x5EED_0042;

// ---------------------------------------------------------------------------
// Hand-written structs: what a user without the SDK would write to read every
// field the SDK reads. Timestamps stay text; a custom field's value is read
// as JSON and then checked against its `type`, accepting what Quo documents
// (booleans and numbers sent as strings) and failing the page otherwise.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RawPage {
    data: Vec<RawContact>,
    next_page_token: Option<String>,
    total_items: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RawContact {
    id: String,
    external_id: Option<String>,
    source: Option<String>,
    source_url: Option<String>,
    default_fields: RawDefaults,
    #[serde(default)]
    custom_fields: Vec<RawCustomField>,
    created_at: String,
    updated_at: String,
    created_by_user_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RawDefaults {
    company: Option<String>,
    #[serde(default)]
    emails: Vec<RawValue>,
    first_name: Option<String>,
    last_name: Option<String>,
    #[serde(default)]
    phone_numbers: Vec<RawValue>,
    role: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawValue {
    id: Option<String>,
    name: Option<String>,
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(try_from = "RawCustomFieldWire")]
#[allow(dead_code)]
struct RawCustomField {
    name: Option<String>,
    key: Option<String>,
    id: Option<String>,
    value: RawFieldValue,
}

/// A custom field as it arrives, before its value is checked.
#[derive(Deserialize)]
struct RawCustomFieldWire {
    name: Option<String>,
    key: Option<String>,
    id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    value: Value,
}

#[allow(dead_code)]
enum RawFieldValue {
    Null,
    Options(Vec<String>),
    Text(String),
    Bool(bool),
    Number(f64),
    Date(DateTime<Utc>),
}

impl TryFrom<RawCustomFieldWire> for RawCustomField {
    type Error = String;

    fn try_from(wire: RawCustomFieldWire) -> Result<Self, String> {
        let mismatch = |value: &Value| format!("{} field holding {value}", wire.kind);
        let value = match (wire.kind.as_str(), wire.value) {
            (_, Value::Null) => RawFieldValue::Null,
            ("multi-select", Value::Array(items)) => RawFieldValue::Options(
                items
                    .into_iter()
                    .map(|item| match item {
                        Value::String(option) => Ok(option),
                        other => Err(mismatch(&other)),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            ("address" | "string" | "url", Value::String(text)) => RawFieldValue::Text(text),
            ("boolean", Value::Bool(b)) => RawFieldValue::Bool(b),
            ("boolean", Value::String(text)) => {
                RawFieldValue::Bool(text.parse().map_err(|_| mismatch(&Value::String(text)))?)
            }
            ("number", Value::Number(n)) => {
                RawFieldValue::Number(n.as_f64().ok_or_else(|| mismatch(&Value::Number(n)))?)
            }
            ("number", Value::String(text)) => {
                RawFieldValue::Number(text.parse().map_err(|_| mismatch(&Value::String(text)))?)
            }
            ("date", Value::String(text)) => RawFieldValue::Date(
                DateTime::parse_from_rfc3339(&text)
                    .map_err(|_| mismatch(&Value::String(text.clone())))?
                    .with_timezone(&Utc),
            ),
            (_, other) => return Err(mismatch(&other)),
        };
        Ok(RawCustomField {
            name: wire.name,
            key: wire.key,
            id: wire.id,
            value,
        })
    }
}

// ---------------------------------------------------------------------------

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn sdk_client(server: &DemoServer) -> QuoClient {
    QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .no_rate_limit()
        .build()
        .expect("client")
}

fn raw_http(server: &DemoServer) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(server.api_key()).unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Walks everything with the SDK's default settings; returns (count, elapsed).
async fn walk_sdk(client: &QuoClient) -> (usize, Duration) {
    walk_sdk_prefetching(client, quo_api_ext::pagination::DEFAULT_PREFETCH).await
}

/// [`walk_sdk`] with `prefetch` pages requested ahead.
async fn walk_sdk_prefetching(client: &QuoClient, prefetch: usize) -> (usize, Duration) {
    let start = Instant::now();
    let mut items = client
        .contacts()
        .list()
        .page_size(50)
        .prefetch(prefetch)
        .items();
    let mut n = 0usize;
    let mut chars = 0usize;
    while let Some(c) = items.try_next().await.expect("sdk walk") {
        chars += c.id.len();
        n += 1;
    }
    std::hint::black_box(chars);
    (n, start.elapsed())
}

/// What a consumer does with each page once it has it.
#[derive(Clone, Copy)]
enum PerPage {
    /// Keeps its thread busy this long, as transforming records would.
    Busy(Duration),
    /// Awaits this long, as writing the page to a database or another
    /// service would: the thread is free meanwhile.
    Await(Duration),
}

impl PerPage {
    async fn spend(self) {
        match self {
            PerPage::Busy(work) => busy(work),
            PerPage::Await(wait) => tokio::time::sleep(wait).await,
        }
    }
}

/// Walks everything with the SDK page by page, handing each page to
/// `consumer`; returns (count, elapsed).
async fn walk_sdk_working(
    client: &QuoClient,
    prefetch: usize,
    consumer: PerPage,
) -> (usize, Duration) {
    let start = Instant::now();
    let mut pages = client
        .contacts()
        .list()
        .page_size(50)
        .prefetch(prefetch)
        .pages();
    let mut n = 0usize;
    while let Some(page) = pages.try_next().await.expect("sdk walk") {
        n += page.len();
        std::hint::black_box(&page);
        consumer.spend().await;
    }
    (n, start.elapsed())
}

/// Walks everything with reqwest + serde_json into the hand-written structs.
async fn walk_raw(http: &reqwest::Client, base: &str) -> (usize, Duration) {
    walk_raw_working(http, base, PerPage::Busy(Duration::ZERO)).await
}

/// [`walk_raw`], handing each page to `consumer` like [`walk_sdk_working`].
async fn walk_raw_working(
    http: &reqwest::Client,
    base: &str,
    consumer: PerPage,
) -> (usize, Duration) {
    let start = Instant::now();
    let mut token: Option<String> = None;
    let mut n = 0usize;
    let mut chars = 0usize;
    for _ in 0..1_000_000 {
        let mut req = http
            .get(format!("{base}/v1/contacts"))
            .query(&[("maxResults", "50")]);
        if let Some(t) = &token {
            req = req.query(&[("pageToken", t.as_str())]);
        }
        let resp = req.send().await.expect("raw send");
        assert!(resp.status().is_success(), "raw status {}", resp.status());
        let body = resp.bytes().await.expect("raw body");
        let page: RawPage = serde_json::from_slice(&body).expect("raw decode");
        for c in &page.data {
            chars += c.id.len();
        }
        n += page.data.len();
        consumer.spend().await;
        match page.next_page_token {
            Some(t) if !t.is_empty() && !page.data.is_empty() => token = Some(t),
            _ => break,
        }
    }
    std::hint::black_box(chars);
    (n, start.elapsed())
}

/// Fetches every page body once (raw), for the decode-only comparison.
async fn fetch_pages(http: &reqwest::Client, base: &str) -> Vec<bytes::Bytes> {
    let mut token: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let mut req = http
            .get(format!("{base}/v1/contacts"))
            .query(&[("maxResults", "50")]);
        if let Some(t) = &token {
            req = req.query(&[("pageToken", t.as_str())]);
        }
        let body = req.send().await.unwrap().bytes().await.unwrap();
        let page: RawPage = serde_json::from_slice(&body).unwrap();
        pages.push(body);
        match page.next_page_token {
            Some(t) if !t.is_empty() && !page.data.is_empty() => token = Some(t),
            _ => break,
        }
    }
    pages
}

/// Decodes every page the way the SDK does (`quo_api::decode::from_json`,
/// which the generated client calls) into the SDK's types.
fn decode_sdk(pages: &[bytes::Bytes]) -> (usize, Duration) {
    let start = Instant::now();
    let mut n = 0;
    for body in pages {
        let page: quo_api::types::ContactPage =
            quo_api::decode::from_json(body).expect("sdk decode");
        n += page.data.len();
        std::hint::black_box(&page);
    }
    (n, start.elapsed())
}

/// Decodes every page the way a hand-written loop does (`resp.json()`, that
/// is `serde_json::from_slice`) into the hand-written structs.
fn decode_raw(pages: &[bytes::Bytes]) -> (usize, Duration) {
    let start = Instant::now();
    let mut n = 0;
    for body in pages {
        let page: RawPage = serde_json::from_slice(body).expect("raw decode");
        n += page.data.len();
        std::hint::black_box(&page);
    }
    (n, start.elapsed())
}

/// [`decode_raw`] with the SDK's decoder instead of `from_slice`: the
/// hand-written structs at their fastest, for reference.
fn decode_raw_as_text(pages: &[bytes::Bytes]) -> (usize, Duration) {
    let start = Instant::now();
    let mut n = 0;
    for body in pages {
        let page: RawPage = quo_api::decode::from_json(body).expect("raw decode");
        n += page.data.len();
        std::hint::black_box(&page);
    }
    (n, start.elapsed())
}

/// Keeps this thread busy for `work` (nothing for zero).
fn busy(work: Duration) {
    let start = Instant::now();
    while start.elapsed() < work {
        std::hint::spin_loop();
    }
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// (VmHWM, VmRSS) in KiB from /proc/self/status.
fn mem_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Server latency in the latency run: each request is answered after
/// `LATENCY_BASE` plus up to `LATENCY_JITTER`, seeded by the dataset.
const LATENCY_BASE: Duration = Duration::from_millis(20);
/// See [`LATENCY_BASE`].
const LATENCY_JITTER: Duration = Duration::from_millis(5);
/// What the consumer spends on each page in the latency run. It awaits
/// rather than spins: a consumer that takes 15 ms per page of 50 contacts is
/// waiting on I/O (a database, another API), not computing, and the
/// "consumer works" section already covers CPU work.
const CONSUMER_WAIT: Duration = Duration::from_millis(15);

/// Walks `pages` pages of 50 from a server that answers after
/// [`LATENCY_BASE`] plus jitter, with a consumer awaiting [`CONSUMER_WAIT`]
/// per page: the hand-written sequential loop, the SDK's default walk, and
/// `prefetch(1)`, in `rounds` interleaved rounds. Returns the median ms per
/// page of each, and the paired medians of raw time / SDK time for the two
/// SDK walks.
async fn latency_run(pages: usize, rounds: usize) -> ([f64; 3], [f64; 2]) {
    let contacts = pages * 50;
    let dataset = Arc::new(Dataset::generate(contacts, SEED));
    let config = DemoConfig::new(dataset.clone())
        .with_record_limit(0)
        .with_latency(LATENCY_BASE, LATENCY_JITTER);
    let server = DemoServer::start(config).await.expect("latency server");
    let (base, client, http) = (server.url(), sdk_client(&server), raw_http(&server));
    println!(
        "\n== latency: {pages} pages of 50, server answers after {LATENCY_BASE:?} + up to {LATENCY_JITTER:?}, consumer awaits {CONSUMER_WAIT:?} per page, {rounds} interleaved rounds (ms/page) =="
    );
    // Open two connections for each client (a prefetching walk uses two).
    let id = dataset.ids().next().expect("a contact").to_owned();
    let get_raw = || http.get(format!("{base}/v1/contacts/{id}")).send();
    let (a, b) = tokio::join!(get_raw(), get_raw());
    a.and(b).expect("raw warm-up");
    let sdk = client.contacts();
    let (a, b) = tokio::join!(sdk.get(&id), sdk.get(&id));
    a.and(b).expect("sdk warm-up");

    let consumer = PerPage::Await(CONSUMER_WAIT);
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / pages as f64;
    let mut times: [Vec<f64>; 3] = Default::default();
    let mut ratios: [Vec<f64>; 2] = Default::default();
    for round in 1..=rounds {
        let mut walks = [Duration::ZERO; 3];
        // Alternate the order to cancel drift.
        let order: [usize; 3] = if round % 2 == 1 { [0, 1, 2] } else { [2, 1, 0] };
        for arm in order {
            let (n, elapsed) = match arm {
                0 => walk_raw_working(&http, &base, consumer).await,
                _ => walk_sdk_working(&client, arm - 1, consumer).await,
            };
            assert_eq!(n, contacts, "latency walk {arm} saw {n} contacts");
            walks[arm] = elapsed;
        }
        let raw = walks[0].as_secs_f64();
        let round_ratios = [1, 2].map(|arm| raw / walks[arm].as_secs_f64());
        println!(
            "round {round}: raw {:>5.1}  sdk {:>5.1} ({:.2})  sdk prefetch(1) {:>5.1} ({:.2})",
            ms(walks[0]),
            ms(walks[1]),
            round_ratios[0],
            ms(walks[2]),
            round_ratios[1]
        );
        for arm in 0..3 {
            times[arm].push(ms(walks[arm]));
        }
        for arm in 0..2 {
            ratios[arm].push(round_ratios[arm]);
        }
    }
    server.shutdown().await;
    (
        [0, 1, 2].map(|arm| median(&times[arm])),
        [0, 1].map(|arm| median(&ratios[arm])),
    )
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let contacts = env_usize("QUO_BENCH_CONTACTS", 20_000);
    let rounds = env_usize("QUO_BENCH_ROUNDS", 5);
    let gets = env_usize("QUO_BENCH_GETS", 500);
    let stream_n = env_usize("QUO_BENCH_STREAM", 100_000);

    // ---- memory baseline before anything big is allocated -------------------
    let t = Instant::now();
    let dataset = Arc::new(Dataset::generate(contacts, SEED));
    let total_json: usize = (0..dataset.len())
        .map(|i| dataset.contact_json(i).len())
        .sum();
    println!(
        "dataset: {} contacts, {:.2} MB JSON ({:.0} B/contact), generated in {:.2?}",
        dataset.len(),
        total_json as f64 / 1e6,
        total_json as f64 / dataset.len().max(1) as f64,
        t.elapsed()
    );
    let server = DemoServer::start(DemoConfig::new(dataset.clone()).with_record_limit(0))
        .await
        .expect("server");
    let base = server.url();
    let client = sdk_client(&server);
    let http = raw_http(&server);

    // ---- memory while streaming -------------------------------------------
    // A separate server over the same dataset cycled: walk `stream_n` contacts by
    // repeating full walks (the dataset has `contacts`), never collecting them.
    println!("\n== memory while streaming {stream_n} contacts with items() ==");
    // Reset the peak (VmHWM) to the current RSS, so the peak below is this
    // section's (Linux >= 4.0; if refused, HWM still includes earlier phases).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let (hwm0, rss0) = mem_kib();
    let mut seen = 0usize;
    let mut walks = 0;
    while seen < stream_n && walks < 1000 {
        let mut items = client.contacts().list().page_size(50).items();
        while let Some(c) = items.try_next().await.expect("stream walk") {
            std::hint::black_box(&c);
            seen += 1;
            if seen >= stream_n {
                break;
            }
        }
        walks += 1;
    }
    let (hwm1, rss1) = mem_kib();
    let page_kb = 50.0 * total_json as f64 / dataset.len().max(1) as f64 / 1024.0;
    println!(
        "streamed {seen} contacts in {walks} walks: VmRSS {rss0} -> {rss1} KiB (growth {} KiB), VmHWM {hwm0} -> {hwm1} KiB (growth {} KiB); one page of JSON ≈ {page_kb:.0} KiB",
        rss1 as i64 - rss0 as i64,
        hwm1 as i64 - hwm0 as i64
    );
    println!("  (peak reset via /proc/self/clear_refs: {reset})");
    println!(
        "  (measured first, on a fresh client; baseline holds the {:.1} MB dataset and the server; HWM growth / page = {:.1})",
        total_json as f64 / 1e6,
        (hwm1 as f64 - hwm0 as f64) / page_kb
    );

    // warm-up (connections, allocator)
    let (n, _) = walk_sdk(&client).await;
    assert_eq!(n, contacts, "sdk warm-up saw {n} contacts");
    let (n, _) = walk_raw(&http, &base).await;
    assert_eq!(n, contacts, "raw warm-up saw {n} contacts");

    let pages = fetch_pages(&http, &base).await;
    let page_bytes: usize = pages.iter().map(|p| p.len()).sum();
    println!(
        "pages: {} of up to 50 contacts, {:.1} KB/page on average",
        pages.len(),
        page_bytes as f64 / pages.len() as f64 / 1e3
    );

    let ahead = env_usize("QUO_BENCH_PREFETCH", 1);
    println!(
        "\n== walk {contacts} contacts, page_size 50, {rounds} interleaved rounds (contacts/s) =="
    );
    let (mut sdk_r, mut raw_r, mut dsdk_r, mut draw_r, mut ratios, mut dratios) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut dtext_r, mut pre_r, mut pre_ratios) = (vec![], vec![], vec![]);
    for round in 1..=rounds {
        // Alternate order to cancel drift.
        let (s, r, p) = if round % 2 == 1 {
            let s = walk_sdk(&client).await;
            let r = walk_raw(&http, &base).await;
            (s, r, walk_sdk_prefetching(&client, ahead).await)
        } else {
            let p = walk_sdk_prefetching(&client, ahead).await;
            let r = walk_raw(&http, &base).await;
            (walk_sdk(&client).await, r, p)
        };
        assert_eq!(s.0, contacts);
        assert_eq!(r.0, contacts);
        assert_eq!(p.0, contacts);
        let pr = rate(p.0, p.1);
        pre_r.push(pr);
        let ds = decode_sdk(&pages);
        let dr = decode_raw(&pages);
        let dt = decode_raw_as_text(&pages);
        dtext_r.push(rate(dt.0, dt.1));
        let (sr, rr, dsr, drr) = (
            rate(s.0, s.1),
            rate(r.0, r.1),
            rate(ds.0, ds.1),
            rate(dr.0, dr.1),
        );
        println!(
            "round {round}: sdk {sr:>8.0}  raw {rr:>8.0}  sdk/raw {:.2}  sdk prefetch({ahead}) {pr:>8.0} /raw {:.2}  | decode-only sdk {dsr:>8.0}  raw {drr:>8.0}  sdk/raw {:.2}",
            sr / rr,
            pr / rr,
            dsr / drr
        );
        pre_ratios.push(pr / rr);
        sdk_r.push(sr);
        raw_r.push(rr);
        dsdk_r.push(dsr);
        draw_r.push(drr);
        ratios.push(sr / rr);
        dratios.push(dsr / drr);
    }
    println!(
        "median: sdk {:.0}/s  raw {:.0}/s  sdk prefetch({ahead}) {:.0}/s  | decode-only sdk {:.0}/s  raw {:.0}/s  decode sdk/raw paired median {:.2}",
        median(&sdk_r),
        median(&raw_r),
        median(&pre_r),
        median(&dsdk_r),
        median(&draw_r),
        median(&dratios)
    );
    println!(
        "  (for reference: the hand-written structs decoded as the SDK decodes, checking UTF-8 once per body: {:.0}/s, {:.2} of the SDK's types)",
        median(&dtext_r),
        median(&dsdk_r) / median(&dtext_r)
    );
    drop(pages);

    // ---- the same walks polled by a spawned task instead of `block_on`:
    // one worker does the I/O and the decoding ----------------------------
    println!(
        "\n== walk {contacts} contacts polled from a spawned task, {rounds} interleaved rounds (contacts/s) =="
    );
    let mut task_ratios = (vec![], vec![]);
    for round in 1..=rounds {
        let in_task = |ahead: usize| {
            let client = client.clone();
            tokio::spawn(async move { walk_sdk_prefetching(&client, ahead).await })
        };
        let s = in_task(0).await.expect("walk task");
        let r = walk_raw(&http, &base).await;
        let p = in_task(ahead).await.expect("walk task");
        assert_eq!((s.0, r.0, p.0), (contacts, contacts, contacts));
        let (sr, rr, pr) = (rate(s.0, s.1), rate(r.0, r.1), rate(p.0, p.1));
        println!(
            "round {round}: sdk {sr:>8.0}  raw {rr:>8.0}  sdk/raw {:.2}  sdk prefetch({ahead}) {pr:>8.0} /raw {:.2}",
            sr / rr,
            pr / rr
        );
        task_ratios.0.push(sr / rr);
        task_ratios.1.push(pr / rr);
    }
    println!(
        "in a task: sdk/raw paired median {:.2}, sdk prefetch({ahead})/raw paired median {:.2}",
        median(&task_ratios.0),
        median(&task_ratios.1)
    );

    // ---- a consumer that works on each page: prefetching overlaps it -------
    let work = Duration::from_micros(env_usize("QUO_BENCH_WORK_US", 300) as u64);
    println!(
        "\n== consumer works {work:?} per page of CPU on its own thread, {rounds} interleaved rounds (contacts/s) =="
    );
    let (mut w_ratios, mut w_seq_ratios) = (vec![], vec![]);
    for round in 1..=rounds {
        let r = walk_raw_working(&http, &base, PerPage::Busy(work)).await;
        let p0 = walk_sdk_working(&client, 0, PerPage::Busy(work)).await;
        let p1 = walk_sdk_working(&client, ahead, PerPage::Busy(work)).await;
        assert_eq!((r.0, p0.0, p1.0), (contacts, contacts, contacts));
        let (rr, r0, r1) = (rate(r.0, r.1), rate(p0.0, p0.1), rate(p1.0, p1.1));
        println!(
            "round {round}: raw {rr:>8.0}  sdk {r0:>8.0} ({:.2})  sdk prefetch({ahead}) {r1:>8.0}  sdk prefetch({ahead})/raw {:.2}",
            r0 / rr,
            r1 / rr
        );
        w_seq_ratios.push(r0 / rr);
        w_ratios.push(r1 / rr);
    }
    println!(
        "consumer works: sdk/raw paired median {:.2}, sdk prefetch({ahead})/raw paired median {:.2}",
        median(&w_seq_ratios),
        median(&w_ratios)
    );

    // ---- per-request overhead: get(id) vs raw GET ---------------------------
    println!("\n== per-request overhead, {gets} calls each, interleaved (µs) ==");
    let ids: Vec<String> = dataset.ids().take(gets.max(1)).map(str::to_owned).collect();
    let (mut sdk_us, mut raw_us) = (Vec::with_capacity(gets), Vec::with_capacity(gets));
    for i in 0..gets {
        let id = &ids[i % ids.len()];
        let t = Instant::now();
        let c = client.contacts().get(id).await.expect("sdk get");
        sdk_us.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(c);
        let t = Instant::now();
        let resp = http
            .get(format!("{base}/v1/contacts/{id}"))
            .send()
            .await
            .unwrap();
        let body = resp.bytes().await.unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        raw_us.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(v);
    }
    let (ms, mr) = (median(&sdk_us), median(&raw_us));
    println!(
        "get: sdk median {ms:.1} µs, raw reqwest median {mr:.1} µs, overhead {:.1} µs ({:.2}x)",
        ms - mr,
        ms / mr
    );

    server.shutdown().await;

    // ---- pages that wait on the network, a consumer that awaits ------------
    let latency_pages = env_usize("QUO_BENCH_LATENCY_PAGES", 40).max(1);
    let latency_rounds = env_usize("QUO_BENCH_LATENCY_ROUNDS", 3);
    let (per_page, latency_ratios) = latency_run(latency_pages, latency_rounds).await;
    println!(
        "latency: ms/page median raw {:.1}  sdk {:.1}  sdk prefetch(1) {:.1}",
        per_page[0], per_page[1], per_page[2]
    );
    println!(
        "latency: raw/sdk paired median {:.2}, raw/sdk prefetch(1) paired median {:.2}",
        latency_ratios[0], latency_ratios[1]
    );

    println!(
        "\nsdk prefetch({ahead})/raw paired median: {:.2}",
        median(&pre_ratios)
    );
    println!("sdk/raw paired median: {:.2}", median(&ratios));
}
