//! Every decoder a response body goes through, run on arbitrary bytes.
//!
//! Used by the property tests, the stable fuzzer (`fuzz_decoders`) and the
//! replay of saved fuzz findings. A decoder may refuse input; it must never
//! panic, and whatever it accepts must survive serialize → deserialize.
//!
//! The webhook verifier is here too, with its own invariants (a broken one is
//! reported like a round-trip mismatch): a delivery read from the input never
//! verifies without the key, and the input signed as a body always verifies
//! and decodes to an event that keeps it whole.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use quo_api::custom_field::CustomField;
use quo_api::types::{ApiError, Contact, ContactPage, ContactResponse};
use quo_api_ext::webhooks::{Delivery, Event, Verifier, WebhookError, WebhookSecret, sign};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A problem found by [`check_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Decoding (or re-encoding) panicked; the panic message.
    Panic(String),
    /// A decoded value did not come back equal after serialize → deserialize.
    RoundTrip {
        /// Which decoder.
        decoder: &'static str,
        /// What differed.
        detail: String,
    },
}

/// Decodes `bytes` as `T` the way the SDK does ([`quo_api::decode::from_json`]),
/// checking it agrees with `serde_json::from_slice`; if that works, checks
/// serialize → deserialize gives an equal value. `Err` describes a mismatch.
pub fn round_trip<T>(bytes: &[u8]) -> Result<bool, String>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded = quo_api::decode::from_json::<T>(bytes);
    match (&decoded, serde_json::from_slice::<T>(bytes)) {
        (Ok(ours), Ok(theirs)) if *ours != theirs => {
            return Err(format!("from_json {ours:?} != from_slice {theirs:?}"));
        }
        (Err(ours), Err(theirs)) if ours.to_string() != theirs.to_string() => {
            return Err(format!(
                "from_json error {ours} != from_slice error {theirs}"
            ));
        }
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => {
            return Err("from_json and from_slice disagree on acceptance".to_owned());
        }
        _ => {}
    }
    let Ok(first) = decoded else {
        return Ok(false);
    };
    let encoded = serde_json::to_vec(&first).map_err(|e| format!("re-encoding failed: {e}"))?;
    let second: T = serde_json::from_slice(&encoded).map_err(|e| {
        format!(
            "re-decoding failed: {e}; encoded {}",
            String::from_utf8_lossy(&encoded)
        )
    })?;
    if first != second {
        return Err(format!("{first:?} != {second:?}"));
    }
    Ok(true)
}

/// One decoder: whether it accepted the input, or a round-trip mismatch.
pub type Decoder = fn(&[u8]) -> Result<bool, String>;

/// The decoders: name and a function returning whether it accepted the input
/// (or a round-trip mismatch).
pub const DECODERS: &[(&str, Decoder)] = &[
    ("ContactPage", round_trip::<ContactPage>),
    ("ContactResponse", round_trip::<ContactResponse>),
    ("Contact", round_trip::<Contact>),
    ("ApiError", round_trip::<ApiError>),
    ("CustomField", round_trip::<CustomField>),
    ("Vec<CustomField>", round_trip::<Vec<CustomField>>),
    ("webhooks::Verifier (delivery)", webhook_delivery),
    ("webhooks::Verifier (signed body)", webhook_signed),
];

/// The Standard Webhooks key the webhook decoders verify with.
pub const WEBHOOK_STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The legacy signing secret the webhook decoders verify with.
pub const WEBHOOK_LEGACY_SECRET: &str = "R2l2ZS1tZS1hLWxlZ2FjeS1zaWduaW5nLXNlY3JldA==";
/// The clock of the webhook decoders, in Unix seconds.
pub const WEBHOOK_NOW: u64 = 1_700_000_000;

fn webhook_verifier() -> Verifier {
    let legacy = WebhookSecret::parse(WEBHOOK_LEGACY_SECRET).expect("a legacy secret");
    Verifier::new(WEBHOOK_STANDARD_SECRET)
        .expect("a standard secret")
        .with_secret(legacy)
}

/// `bytes` as a delivery: `name: value` header lines, an empty line, the body.
pub fn split_delivery(bytes: &[u8]) -> (Vec<(String, Vec<u8>)>, &[u8]) {
    let (head, body) = match bytes.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&bytes[..at], &bytes[at + 2..]),
        None => (bytes, &[][..]),
    };
    let headers = head
        .split(|b| *b == b'\n')
        .filter_map(|line| {
            let colon = line.iter().position(|b| *b == b':')?;
            let name = String::from_utf8_lossy(&line[..colon]).into_owned();
            Some((name, line[colon + 1..].to_vec()))
        })
        .collect();
    (headers, body)
}

/// The verifier on a delivery read from `bytes` ([`split_delivery`]): it
/// must refuse it, since nothing here signs with the key. Accepted means it
/// got as far as comparing signatures.
pub fn webhook_delivery(bytes: &[u8]) -> Result<bool, String> {
    let (headers, body) = split_delivery(bytes);
    let now = UNIX_EPOCH + Duration::from_secs(WEBHOOK_NOW);
    match webhook_verifier().verify_at(&headers, body, now) {
        Ok(event) => Err(format!("verified without the key: {event:?}")),
        Err(WebhookError::NoMatchingSignature { .. }) => Ok(true),
        Err(_) => Ok(false),
    }
}

/// `bytes` signed as a body with each scheme: it must verify, decode to an
/// event exactly when it is JSON, and the event must keep the JSON whole.
/// Accepted means it decoded as a known event type.
pub fn webhook_signed(bytes: &[u8]) -> Result<bool, String> {
    let verifier = webhook_verifier();
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(WEBHOOK_NOW);
    let json = serde_json::from_slice::<serde_json::Value>(bytes).ok();
    let mut known = false;
    for secret in [WEBHOOK_STANDARD_SECRET, WEBHOOK_LEGACY_SECRET] {
        let secret = WebhookSecret::parse(secret).map_err(|e| e.to_string())?;
        let headers = sign(&secret, "msg_fuzz", at, bytes);
        match (verifier.verify_at(&headers, bytes, at), &json) {
            (Ok(Delivery { event, .. }), Some(value)) => {
                if event.raw() != value {
                    return Err("the event does not keep the delivery whole".to_owned());
                }
                if Event::from_value(value.clone()) != event {
                    return Err("decoding the same JSON twice differs".to_owned());
                }
                known = !matches!(event, Event::Unknown { .. });
            }
            (Err(WebhookError::InvalidJson { .. }), None) => {}
            (outcome, _) => {
                return Err(format!(
                    "a validly signed body gave {outcome:?} (JSON: {})",
                    json.is_some()
                ));
            }
        }
    }
    Ok(known)
}

/// Runs every decoder on `bytes`, catching panics. Returns the findings and
/// how many decoders accepted the input.
pub fn check_all(bytes: &[u8]) -> (Vec<Finding>, usize) {
    let mut findings = Vec::new();
    let mut accepted = 0;
    for (name, decode) in DECODERS {
        match std::panic::catch_unwind(|| decode(bytes)) {
            Ok(Ok(true)) => accepted += 1,
            Ok(Ok(false)) => {}
            Ok(Err(detail)) => findings.push(Finding::RoundTrip {
                decoder: name,
                detail,
            }),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-string panic".to_owned());
                findings.push(Finding::Panic(format!("{name}: {message}")));
            }
        }
    }
    (findings, accepted)
}

/// Only the panics among [`check_all`]'s findings.
pub fn panics(bytes: &[u8]) -> Vec<String> {
    check_all(bytes)
        .0
        .into_iter()
        .filter_map(|f| match f {
            Finding::Panic(m) => Some(m),
            Finding::RoundTrip { .. } => None,
        })
        .collect()
}
