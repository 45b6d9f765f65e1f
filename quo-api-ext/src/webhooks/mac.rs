//! The signed bytes of each scheme, HMAC-SHA256 over them, and base64.
//!
//! The cryptography is the `hmac` and `sha2` crates'; the comparison is
//! `hmac`'s `verify_slice`, which runs in constant time.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Standard base64 for keys: encodes with `=` padding and decodes as
/// leniently as other Standard Webhooks libraries do, with or without
/// padding (keys are sometimes copied without it), ignoring stray bits in
/// the last symbol. Only for secrets the user gives; signatures are read
/// with [`decode_signature`].
pub(crate) const KEY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The length of an HMAC-SHA256 signature, in bytes.
pub(crate) const SIGNATURE_LEN: usize = 32;

/// A secret's base64 text as bytes, leniently (see [`KEY_BASE64`]).
pub(crate) fn decode_key(text: &str) -> Option<Vec<u8>> {
    KEY_BASE64.decode(text).ok()
}

/// Why a signature's text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadSignature {
    /// Not base64 in its one canonical form.
    NotCanonicalBase64,
    /// Base64, but not the 32 bytes of an HMAC-SHA256.
    WrongLength,
}

impl BadSignature {
    /// The reason, for a malformed-header error.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            BadSignature::NotCanonicalBase64 => "its signature is not padded standard base64",
            BadSignature::WrongLength => "its signature is not the 32 bytes of an HMAC-SHA256",
        }
    }
}

/// A signature as sent: padded standard base64 in its one canonical form
/// (what Quo sends), of exactly 32 bytes.
///
/// Strict on purpose: with padding optional or stray low bits ignored, one
/// signature would have several spellings, and a receiver that drops
/// deliveries whose signature it has seen could be replayed with another.
pub(crate) fn decode_signature(text: &str) -> Result<[u8; SIGNATURE_LEN], BadSignature> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| BadSignature::NotCanonicalBase64)?;
    bytes.try_into().map_err(|_| BadSignature::WrongLength)
}

/// Bytes as padded standard base64.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    KEY_BASE64.encode(bytes)
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
