//! Every decoder a response body goes through, run on arbitrary bytes.
//!
//! Used by the property tests, the stable fuzzer (`fuzz_decoders`) and the
//! replay of saved fuzz findings. A decoder may refuse input; it must never
//! panic, and whatever it accepts must survive serialize → deserialize.

use quo_api::custom_field::CustomField;
use quo_api::types::{ApiError, Contact, ContactPage, ContactResponse};
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
];

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
