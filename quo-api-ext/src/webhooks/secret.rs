//! Webhook signing secrets: parsed once, kept secret, never printed.

use std::fmt;
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretSlice};

use super::error::WebhookError;
use super::mac;
use super::scheme::Scheme;

/// The prefix of Standard Webhooks keys, as Quo returns them.
const WHSEC_PREFIX: &str = "whsec_";

/// One webhook signing secret and the scheme it signs with.
///
/// Quo hands out two kinds: a `whsec_` + base64 key for webhooks made with
/// its newer webhook API ([`Scheme::StandardWebhooks`]), and a bare base64
/// signing secret, revealed in the Quo app, for legacy webhooks
/// ([`Scheme::Legacy`]). [`parse`](Self::parse) tells them apart by the
/// prefix. The decoded key is held in a [`secrecy`] box, zeroed on drop, and
/// `Debug` shows only the scheme.
#[derive(Clone)]
pub struct WebhookSecret {
    scheme: Scheme,
    key: SecretSlice<u8>,
}

impl WebhookSecret {
    /// A secret as Quo shows it: `whsec_...` is a Standard Webhooks key,
    /// anything else a legacy base64 signing secret. Surrounding whitespace
    /// (a trailing newline from a file or an environment variable) is
    /// ignored; padding `=` may be left out.
    pub fn parse(text: &str) -> Result<Self, WebhookError> {
        if text.trim().starts_with(WHSEC_PREFIX) {
            Self::standard(text)
        } else {
            Self::legacy(text)
        }
    }

    /// A Standard Webhooks key, with or without its `whsec_` prefix.
    pub fn standard(text: &str) -> Result<Self, WebhookError> {
        let text = text.trim();
        let encoded = text.strip_prefix(WHSEC_PREFIX).unwrap_or(text);
        Self::decode(Scheme::StandardWebhooks, encoded)
    }

    /// A legacy signing secret: the base64 text the Quo app reveals.
    pub fn legacy(text: &str) -> Result<Self, WebhookError> {
        let text = text.trim();
        if text.starts_with(WHSEC_PREFIX) {
            return Err(WebhookError::bad_secret(
                "a `whsec_` key belongs to the Standard Webhooks scheme, not the legacy one",
            ));
        }
        Self::decode(Scheme::Legacy, text)
    }

    /// A secret from its raw key bytes (already decoded from base64).
    pub fn from_bytes(scheme: Scheme, key: Vec<u8>) -> Result<Self, WebhookError> {
        if key.is_empty() {
            return Err(WebhookError::bad_secret("the key is empty"));
        }
        Ok(WebhookSecret {
            scheme,
            key: key.into(),
        })
    }

    fn decode(scheme: Scheme, encoded: &str) -> Result<Self, WebhookError> {
        if encoded.is_empty() {
            return Err(WebhookError::bad_secret("the secret is empty"));
        }
        match mac::decode_key(encoded) {
            Some(key) => Self::from_bytes(scheme, key),
            // Never quote the text: it is (nearly) the secret.
            None => Err(WebhookError::bad_secret(format!(
                "not base64 ({} characters)",
                encoded.chars().count()
            ))),
        }
    }

    /// The secret a webhook subscription's deliveries are signed with, from
    /// the key Quo returned for it (`webhook.key` of what
    /// [`QuoClient::webhook_subscriptions`](crate::QuoClient::webhook_subscriptions) gives).
    ///
    /// ```
    /// use quo_api_ext::webhook_subscriptions::WebhookKey;
    /// use quo_api_ext::webhooks::{Scheme, Verifier, WebhookSecret};
    ///
    /// # fn main() -> Result<(), quo_api_ext::webhooks::WebhookError> {
    /// let key = WebhookKey::new("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); // webhook.key
    /// let secret = WebhookSecret::from_key(&key)?;
    /// assert_eq!(secret.scheme(), Scheme::Legacy);
    /// let verifier = Verifier::from_secret(secret);
    /// # let _ = verifier;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_key(key: &quo_api::WebhookKey) -> Result<Self, WebhookError> {
        Self::parse(key.expose())
    }

    /// The scheme this secret verifies and signs with.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub(crate) fn key(&self) -> &[u8] {
        self.key.expose_secret()
    }
}

impl TryFrom<&quo_api::WebhookKey> for WebhookSecret {
    type Error = WebhookError;

    /// Same as [`WebhookSecret::from_key`].
    fn try_from(key: &quo_api::WebhookKey) -> Result<Self, Self::Error> {
        Self::from_key(key)
    }
}

impl FromStr for WebhookSecret {
    type Err = WebhookError;

    /// Same as [`WebhookSecret::parse`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl PartialEq for WebhookSecret {
    /// The same scheme and key bytes (to find a secret in a verifier's set).
    fn eq(&self, other: &Self) -> bool {
        self.scheme == other.scheme && self.key() == other.key()
    }
}

impl Eq for WebhookSecret {}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSecret")
            .field("scheme", &self.scheme)
            .field("key", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_decides_the_scheme() {
        let standard = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(standard.scheme(), Scheme::StandardWebhooks);
        let legacy = WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n").unwrap();
        assert_eq!(legacy.scheme(), Scheme::Legacy);
        // The same base64 decodes to the same key either way.
        assert_eq!(standard.key(), legacy.key());
        assert_eq!(standard.key().len(), 24);
    }

    #[test]
    fn padding_may_be_left_out() {
        // 2 and 1 padding characters needed (Standard Webhooks' own cases).
        let padded = WebhookSecret::standard("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr==").unwrap();
        let bare = WebhookSecret::standard("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr").unwrap();
        assert_eq!(padded.key(), bare.key());
        let padded = WebhookSecret::legacy("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=").unwrap();
        let bare = WebhookSecret::legacy("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS").unwrap();
        assert_eq!(padded.key(), bare.key());
    }

    #[test]
    fn unusable_secrets_are_refused_without_being_quoted() {
        for text in ["", "   ", "whsec_", "not base64!", "whsec_%%%%"] {
            let error = WebhookSecret::parse(text).unwrap_err();
            assert!(
                matches!(error, WebhookError::BadSecret { .. }),
                "{text:?}: {error:?}"
            );
            let shown = error.to_string();
            assert!(
                text.trim().is_empty() || !shown.contains(text.trim()),
                "{shown}"
            );
        }
        assert!(matches!(
            WebhookSecret::legacy("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Err(WebhookError::BadSecret { .. })
        ));
        assert!(WebhookSecret::from_bytes(Scheme::Legacy, Vec::new()).is_err());
    }

    #[test]
    fn debug_shows_the_scheme_only() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let shown = format!("{secret:?} {secret:#?}");
        assert!(shown.contains("StandardWebhooks"), "{shown}");
        assert!(!shown.contains("MfKQ9r8G"), "{shown}");
        assert!(!shown.contains(&format!("{:?}", secret.key())), "{shown}");
    }
}
