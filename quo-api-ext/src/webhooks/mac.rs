//! The signed bytes of each scheme, HMAC-SHA256 over them, and base64.
//!
//! The cryptography is the `hmac` and `sha2` crates'; the comparison is
//! `hmac`'s `verify_slice`, which runs in constant time.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Standard base64 that encodes with `=` padding and decodes as leniently
/// as other Standard Webhooks libraries do: with or without padding (keys
/// are sometimes copied without it), ignoring stray bits in the last symbol.
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length: only MACs with a fixed key size refuse one.
    HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// The Standard Webhooks MAC: `{id}.{timestamp}.{body}`.
pub(crate) fn standard(key: &[u8], id: &[u8], timestamp: &[u8], body: &[u8]) -> HmacSha256 {
    let mut mac = keyed(key);
    mac.update(id);
    mac.update(b".");
    mac.update(timestamp);
    mac.update(b".");
    mac.update(body);
    mac
}

/// The legacy MAC: `{timestamp}.{body}`.
pub(crate) fn legacy(key: &[u8], timestamp: &[u8], body: &[u8]) -> HmacSha256 {
    let mut mac = keyed(key);
    mac.update(timestamp);
    mac.update(b".");
    mac.update(body);
    mac
}

/// Whether `candidate` is the MAC, compared in constant time.
pub(crate) fn matches(mac: &HmacSha256, candidate: &[u8]) -> bool {
    mac.clone().verify_slice(candidate).is_ok()
}

/// The MAC as base64, for signing.
pub(crate) fn to_base64(mac: HmacSha256) -> String {
    encode_base64(&mac.finalize().into_bytes())
}
