//! The two ways Quo signs a delivery, and the headers each one uses.

use std::fmt;

/// Header of the Standard Webhooks scheme: the delivery's id, signed.
pub const WEBHOOK_ID: &str = "webhook-id";
/// Header of the Standard Webhooks scheme: when Quo signed, in Unix seconds.
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// Header of the Standard Webhooks scheme: space-separated `v1,<base64>` entries.
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// Header of the legacy scheme: comma-separated `hmac;1;<timestamp>;<base64>` entries.
pub const OPENPHONE_SIGNATURE: &str = "openphone-signature";

/// How a delivery is signed, which decides the headers and the signed bytes.
///
/// A [`WebhookSecret`](super::WebhookSecret) belongs to one scheme: a
/// `whsec_` key to [`StandardWebhooks`](Self::StandardWebhooks), a bare
/// base64 signing secret to [`Legacy`](Self::Legacy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// Webhooks made with Quo's newer webhook API: `webhook-id`,
    /// `webhook-timestamp` and `webhook-signature`, HMAC-SHA256 over
    /// `{id}.{timestamp}.{body}`.
    StandardWebhooks,
    /// Webhooks made in the Quo app or with `/v1/webhooks`:
    /// `openphone-signature`, HMAC-SHA256 over `{timestamp}.{body}`.
    Legacy,
}

impl Scheme {
    /// Every scheme, in the order a [`Verifier`](super::Verifier) tries them.
    pub const ALL: [Scheme; 2] = [Scheme::StandardWebhooks, Scheme::Legacy];

    /// The header that carries this scheme's signatures; its presence is how
    /// a delivery shows which scheme signed it.
    #[must_use]
    pub fn signature_header(self) -> &'static str {
        match self {
            Scheme::StandardWebhooks => WEBHOOK_SIGNATURE,
            Scheme::Legacy => OPENPHONE_SIGNATURE,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::StandardWebhooks => "Standard Webhooks",
            Scheme::Legacy => "legacy",
        })
    }
}
