//! A deterministic mutation fuzzer for the response decoders, on stable Rust.
//!
//! ```text
//! cargo run --release -p quo-tests --bin fuzz_decoders -- [ITERATIONS] [--seconds S] [--seed N]
//! ```
//!
//! The corpus is real pages of a generated `testing::Dataset`, single
//! contacts, error bodies in both of Quo's shapes, custom fields of every
//! kind, and webhook events of every known type in both envelopes, alone and
//! as signed deliveries (header lines, an empty line, the body). Each iteration picks a corpus entry (or a previous interesting
//! input), applies 1-8 byte-level mutations (flip, insert, delete, splice from
//! another entry, JSON token insert) and runs every decoder of
//! `quo_tests::decoders` on it, catching panics. A panic or a round-trip
//! mismatch is a finding, saved under `tests/fuzz-regressions/`.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use quo_api_ext::testing::{Dataset, webhook_event};
use quo_api_ext::webhooks::{EnvelopeFormat, Event, WebhookSecret, sign};
use quo_tests::decoders::{self, Finding};
use serde_json::json;

thread_local! {
    static IN_DECODER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"null",
    b"true",
    b"false",
    b"0",
    b"-1",
    b"1e309",
    b"-0",
    b"1.5e-400",
    b"18446744073709551616",
    b"\"\"",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"[]",
    b"{}",
    b"[[[[[[",
    b"{\"a\":",
    b",",
    b":",
    b"\"",
    b"\"type\":\"number\"",
    b"\"type\":\"date\"",
    b"\"value\":\"2024-02-30\"",
    b"\"value\":\"NaN\"",
    b"\"value\":\"1e999\"",
    b"\"value\":\"2024-05-21T20:39:34.123456789Z\"",
    b"\"type\":\"boolean\"",
    b"\"value\":\" TRUE \"",
    b"\"value\":[1,\"a\"]",
    b"\"createdAt\":\"+275760-09-13T00:00:00Z\"",
    b"\xff\xfe",
    b"\xc3\x28",
    b"\"\xe2\x82\"",
    b"9999999999999999999999",
    b"\"totalItems\":\"5\"",
    b"\"type\":\"message.received\"",
    b"\"type\":\"call.completed\"",
    b"\"data\":{\"object\":{}}",
    b"\"data\":{\"resource\":{}}",
    b"\"to\":\"+15555550100\"",
    b"\"duration\":\"60\"",
    b"\"media\":[\"https://x\"]",
    b"\nwebhook-signature: v1,",
    b"\nwebhook-timestamp: 1700000000",
    b"\nopenphone-signature: hmac;1;1700000000000;",
    b" v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    b",hmac;1;1700000000;",
];

fn corpus() -> Vec<Vec<u8>> {
    let dataset = Dataset::generate(60, 0xF022);
    let mut out = Vec::new();
    // Pages of 1, 5 and 20 contacts, as the server renders them.
    for (start, len) in [(0, 1), (1, 5), (10, 20)] {
        let mut page = b"{\"data\":[".to_vec();
        for i in start..start + len {
            if i > start {
                page.push(b',');
            }
            page.extend_from_slice(dataset.contact_json(i));
        }
        page.extend_from_slice(
            format!(
                "],\"totalItems\":60,\"nextPageToken\":\"{:024x}\"}}",
                start + len
            )
            .as_bytes(),
        );
        out.push(page);
    }
    for i in 20..26 {
        out.push(dataset.contact_json(i).to_vec());
        let mut wrapped = b"{\"data\":".to_vec();
        wrapped.extend_from_slice(dataset.contact_json(i));
        wrapped.push(b'}');
        out.push(wrapped);
    }
    // Custom fields of every kind, from the dataset and by hand.
    let contact: serde_json::Value = serde_json::from_slice(dataset.contact_json(30)).unwrap();
    for field in contact["customFields"].as_array().unwrap() {
        out.push(serde_json::to_vec(field).unwrap());
    }
    out.push(serde_json::to_vec(&contact["customFields"]).unwrap());
    for field in [
        json!({"name": "Deal", "key": "deal", "id": "1", "type": "number", "value": "424242"}),
        json!({"name": "Opt", "type": "boolean", "value": "false"}),
        json!({"name": "When", "type": "date", "value": "2024-09-11"}),
        json!({"name": "New", "type": "stars", "value": {"n": 4}}),
        json!({"name": "Tags", "type": "multi-select", "value": ["a", "b"]}),
    ] {
        out.push(serde_json::to_vec(&field).unwrap());
    }
    // Error bodies, both shapes.
    out.push(br#"{"message":"maxResults is required","code":"0801400","status":400,"docs":"https://quo.com/docs","title":"Invalid Custom Field Item","trace":"t-1","errors":[{"path":"/maxResults","message":"Required property","value":null,"schema":{"type":"integer"}}]}"#.to_vec());
    out.push(
        br#"{"error":{"message":"Contact not found","key":"0800404","trace":"abc"}}"#.to_vec(),
    );
    out.push(br#"{"message":"Not Found","code":"0800404","status":404,"docs":"d","title":"Not Found","description":"x"}"#.to_vec());
    // Webhook events of every type in both envelopes, and deliveries signed
    // with keys the webhook decoders do not hold (so a mutation that keeps
    // them valid is not mistaken for a forgery).
    let at = std::time::UNIX_EPOCH + Duration::from_secs(decoders::WEBHOOK_NOW);
    let secrets = ["whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "d3Jvbmctc2VjcmV0"]
        .map(|s| WebhookSecret::parse(s).unwrap());
    for (n, event_type) in Event::KNOWN_TYPES.iter().enumerate() {
        for format in [EnvelopeFormat::Object, EnvelopeFormat::Resource] {
            let event = webhook_event(&dataset, event_type, format, n as u64, at).unwrap();
            let body = serde_json::to_vec(&event).unwrap();
            let mut delivery = Vec::new();
            for (name, value) in sign(&secrets[n % 2], "msg_fuzz", at, &body).iter() {
                delivery.extend_from_slice(format!("{name}: {value}\n").as_bytes());
            }
            delivery.push(b'\n');
            delivery.extend_from_slice(&body);
            out.push(delivery);
            out.push(body);
        }
    }
    out
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                input.insert(i, rng.next() as u8);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below(16.min(len - i));
                input.drain(i..i + n);
            }
            3 => {
                // Splice a slice of another corpus entry.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below((other.len() - a).min(256) + 1);
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[a..b].iter().copied());
                }
            }
            4 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                input.splice(at..at, token.iter().copied());
            }
            5 if len > 0 => {
                // Replace a byte with a JSON-significant one.
                let i = rng.below(len);
                const SIGNIFICANT: &[u8] = b"{}[]\",:0-.eE\\ntf";
                input[i] = SIGNIFICANT[rng.below(SIGNIFICANT.len())];
            }
            6 if len > 1 => {
                // Truncate.
                input.truncate(rng.below(len));
            }
            _ => {}
        }
        if input.len() > 1 << 20 {
            input.truncate(1 << 20);
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn main() {
    let mut iterations: u64 = 200_000;
    let mut seconds: Option<f64> = None;
    let mut seed: u64 = 0x0F0F_5EED;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            n => iterations = n.parse().unwrap_or(iterations),
        }
    }
    if seconds.is_some() {
        iterations = u64::MAX;
    }
    let budget = seconds.map(Duration::from_secs_f64);
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz-regressions");

    // Panics inside the decoders are caught and reported as findings; keep
    // the default hook for any other panic (a bug of the fuzzer itself).
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_DECODER.with(std::cell::Cell::get) {
            default_hook(info);
        }
    }));

    let corpus = corpus();
    let mut pool: Vec<Vec<u8>> = corpus.clone();
    let mut rng = Rng(seed);
    let mut seen_findings: HashSet<String> = HashSet::new();
    let (mut panics, mut round_trips, mut accepted_total) = (0u64, 0u64, 0u64);
    let started = Instant::now();
    let mut last_report = Instant::now();
    let mut done = 0u64;
    println!(
        "fuzz_decoders: seed {seed:#x}, corpus {} inputs, {} decoders",
        corpus.len(),
        decoders::DECODERS.len()
    );
    while done < iterations {
        if done.is_multiple_of(256) && budget.is_some_and(|b| started.elapsed() >= b) {
            break;
        }
        let mut input = pool[rng.below(pool.len())].clone();
        mutate(&mut rng, &mut input, &corpus);
        IN_DECODER.with(|f| f.set(true));
        let (findings, accepted) = decoders::check_all(&input);
        IN_DECODER.with(|f| f.set(false));
        accepted_total += accepted as u64;
        // Keep inputs some decoder still accepts: mutations of them go deeper.
        if accepted > 0 && pool.len() < 4096 && rng.below(8) == 0 {
            pool.push(input.clone());
        }
        for finding in findings {
            let (kind, key) = match &finding {
                Finding::Panic(m) => ("panic", m.clone()),
                Finding::RoundTrip { decoder, detail } => (
                    "roundtrip",
                    format!(
                        "{decoder}: {}",
                        detail.chars().take(120).collect::<String>()
                    ),
                ),
            };
            match kind {
                "panic" => panics += 1,
                _ => round_trips += 1,
            }
            // Save one input per distinct finding (by its first line).
            let signature = format!(
                "{kind}: {}",
                key.lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(80)
                    .collect::<String>()
            );
            if seen_findings.insert(signature.clone()) {
                let _ = std::fs::create_dir_all(&out_dir);
                let path = out_dir.join(format!("{kind}-{:016x}.json", hash(&input)));
                let _ = std::fs::write(&path, &input);
                println!("FINDING {signature}\n  saved {}", path.display());
            }
        }
        done += 1;
        if last_report.elapsed() >= Duration::from_secs(30) {
            last_report = Instant::now();
            println!(
                "  {done} execs, {:.0} execs/s, pool {}, panics {panics}, round-trip mismatches {round_trips}",
                done as f64 / started.elapsed().as_secs_f64(),
                pool.len()
            );
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "done: {done} executions in {elapsed:.1} s ({:.0} execs/s, {} decoder runs/s); accepted decodes {accepted_total}; \
         panics {panics}; round-trip mismatches {round_trips}; distinct findings {}",
        done as f64 / elapsed,
        (done as f64 * decoders::DECODERS.len() as f64 / elapsed) as u64,
        seen_findings.len()
    );
    if panics > 0 {
        std::process::exit(1);
    }
}
