//! Why a delivery was refused, or a secret could not be used.

use std::time::Duration;

use super::Scheme;

/// Everything that can go wrong when verifying a webhook delivery.
///
/// Only [`InvalidJson`](Self::InvalidJson) is reported for a delivery whose
/// signature matched. [`Expired`](Self::Expired) and
/// [`FromFuture`](Self::FromFuture) are decided from the timestamp before
/// any signature is computed (so a stale delivery costs nothing to refuse):
/// a late replay, clocks that disagree, or a forgery. Every variant means
/// the delivery must not be acted on (answer `400` or `401`).
/// No variant ever holds a secret or a signature. New variants may be added,
/// hence `#[non_exhaustive]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent. When no signature header of any
    /// scheme the verifier has a secret for is present, this names the first
    /// such scheme's signature header.
    #[error("missing header `{name}`")]
    MissingHeader {
        /// The header's name, lowercase.
        name: &'static str,
    },
    /// A header is present but cannot be read.
    #[error("malformed header `{name}`: {reason}")]
    MalformedHeader {
        /// The header's name, lowercase.
        name: &'static str,
        /// What is wrong with it (quoting at most a short excerpt of it).
        reason: String,
    },
    /// The delivery's timestamp is further in the past than the tolerance
    /// (checked before its signature, so it says nothing of authenticity).
    #[error("the delivery was signed {age:?} ago, more than the {tolerance:?} allowed")]
    Expired {
        /// How long ago the delivery was signed.
        age: Duration,
        /// The verifier's tolerance.
        tolerance: Duration,
    },
    /// The delivery's timestamp is further ahead than the tolerance
    /// (checked before its signature).
    #[error("the delivery was signed {ahead:?} in the future, more than the {tolerance:?} allowed")]
    FromFuture {
        /// How far ahead of the verifier's clock the timestamp is.
        ahead: Duration,
        /// The verifier's tolerance.
        tolerance: Duration,
    },
    /// No signature in the delivery was made with any of the verifier's
    /// secrets over these exact bytes (a tampered or re-serialised body, a
    /// wrong or rotated-out secret, or a forgery).
    #[error("no {scheme} signature matches ({signatures} checked)")]
    NoMatchingSignature {
        /// The scheme whose signatures were checked.
        scheme: Scheme,
        /// How many well-formed signatures the delivery carried.
        signatures: usize,
    },
    /// A secret could not be used (empty, not base64, or of the wrong form
    /// for its scheme). The reason never quotes the secret.
    #[error("unusable webhook secret: {reason}")]
    BadSecret {
        /// What is wrong with it.
        reason: String,
    },
    /// The signature matched, but the body is not JSON, so there is no event
    /// to decode; [`Verifier::verify_signature`](super::Verifier::verify_signature)
    /// accepts such a delivery.
    #[error("the delivery is authentic but its body is not JSON: {message}")]
    InvalidJson {
        /// What the JSON decoder said.
        message: String,
    },
}

impl WebhookError {
    /// Whether the signature matched, so the delivery came from the holder of
    /// the secret ([`InvalidJson`](Self::InvalidJson) only: a timestamp out
    /// of tolerance is refused before any signature is checked).
    #[must_use]
    pub fn is_authentic(&self) -> bool {
        matches!(self, WebhookError::InvalidJson { .. })
    }

    /// The HTTP status a receiver should answer with: `401` when nothing
    /// shows the delivery came from Quo (no signature header, or no
    /// signature that matches), `500` for a secret the receiver cannot use
    /// (its own configuration), `400` for everything else (a header that
    /// cannot be read, a timestamp out of tolerance, a body that is not
    /// JSON).
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::MissingHeader { .. } | WebhookError::NoMatchingSignature { .. } => 401,
            WebhookError::BadSecret { .. } => 500,
            _ => 400,
        }
    }

    pub(crate) fn malformed(name: &'static str, reason: impl Into<String>) -> Self {
        WebhookError::MalformedHeader {
            name,
            reason: reason.into(),
        }
    }

    pub(crate) fn bad_secret(reason: impl Into<String>) -> Self {
        WebhookError::BadSecret {
            reason: reason.into(),
        }
    }
}
