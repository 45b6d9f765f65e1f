//! Throughput of walking contacts with the SDK (sequential and prefetching)
//! vs. a hand-written reqwest + serde loop, decode-only cost, per-request
//! overhead, and memory while streaming. Prints figures; asserts nothing
//! about speed. Everything runs from the runtime's `block_on`, as the body
//! of a `#[tokio::main]` function does.
//!
//! `cargo bench -p quo-api-ext --bench pagination`
//! (env: `QUO_BENCH_CONTACTS` default 20000, `QUO_BENCH_ROUNDS` default 5,
//! `QUO_BENCH_STREAM` default 100000, `QUO_BENCH_GETS` default 500,
//! `QUO_BENCH_WORK_US` default 300: the consumer's own CPU work per page in
//! the "consumer works" section, `QUO_BENCH_PREFETCH` default 1: the prefetch
//! depth measured against the default)

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use quo_api_ext::QuoClient;
use quo_api_ext::testing::{Dataset, DemoConfig, DemoServer};
use serde::Deserialize;
use serde_json::Value;

const SEED: u64 = 0x5EED_0042;

// ---------------------------------------------------------------------------
// Hand-written minimal structs: what a user without the SDK would write.

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawPage {
    data: Vec<RawContact>,
    #[serde(rename = "nextPageToken")]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawContact {
    id: String,
    #[serde(rename = "defaultFields")]
    default_fields: RawDefaults,
    #[serde(rename = "customFields", default)]
    custom_fields: Vec<RawCustomField>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawDefaults {
    #[serde(rename = "firstName")]
    first_name: Option<String>,
    #[serde(rename = "lastName")]
    last_name: Option<String>,
    company: Option<String>,
    #[serde(default)]
    emails: Vec<RawValue>,
    #[serde(rename = "phoneNumbers", default)]
    phone_numbers: Vec<RawValue>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawValue {
    name: Option<String>,
    value: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawCustomField {
    name: Option<String>,
    key: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Value,
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

/// Walks everything with the SDK page by page, spending `work` of CPU time
/// on each page (as a consumer transforming records would); returns
/// (count, elapsed).
async fn walk_sdk_working(
    client: &QuoClient,
    prefetch: usize,
    work: Duration,
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
        busy(work);
    }
    (n, start.elapsed())
}

/// Walks everything with reqwest + serde_json into minimal structs.
async fn walk_raw(http: &reqwest::Client, base: &str) -> (usize, Duration) {
    walk_raw_working(http, base, Duration::ZERO).await
}

/// [`walk_raw`], spending `work` on each page like [`walk_sdk_working`].
async fn walk_raw_working(http: &reqwest::Client, base: &str, work: Duration) -> (usize, Duration) {
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
        busy(work);
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
/// is `serde_json::from_slice`) into the minimal structs.
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
/// minimal structs at their fastest, for reference.
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
        "  (for reference: the minimal structs decoded as the SDK decodes, checking UTF-8 once per body: {:.0}/s, {:.2} of the SDK's types)",
        median(&dtext_r),
        median(&dsdk_r) / median(&dtext_r)
    );
    drop(pages);

    // ---- a consumer that works on each page: prefetching overlaps it -------
    let work = Duration::from_micros(env_usize("QUO_BENCH_WORK_US", 300) as u64);
    println!(
        "\n== consumer works {work:?} per page of CPU on its own thread, {rounds} interleaved rounds (contacts/s) =="
    );
    let (mut w_ratios, mut w_seq_ratios) = (vec![], vec![]);
    for round in 1..=rounds {
        let r = walk_raw_working(&http, &base, work).await;
        let p0 = walk_sdk_working(&client, 0, work).await;
        let p1 = walk_sdk_working(&client, ahead, work).await;
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
    println!(
        "\nsdk prefetch({ahead})/raw paired median: {:.2}",
        median(&pre_ratios)
    );
    println!("sdk/raw paired median: {:.2}", median(&ratios));
}
