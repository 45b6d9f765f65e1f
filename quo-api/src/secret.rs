//! Secrets the API hands out, kept out of `Debug` output.
//!
//! A webhook subscription's signing key (`Webhook.key`) is what proves a
//! delivery came from Quo: anyone holding it can forge deliveries. Logging
//! a `Webhook` with `{:?}` is common, so the key is held in a type whose
//! `Debug` never shows it and whose memory is zeroed on drop.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A webhook subscription's signing key, as Quo returned it.
///
/// `Debug` prints `WebhookKey([redacted])`; read the key with
/// [`expose`](Self::expose) only where it is used (`quo-api-ext` turns it
/// into a verifier's secret in one call). It serialises as the plain string
/// the API sends, so a `Webhook` written back out (a typed mock's answer,
/// say) keeps it.
///
/// ```
/// let key = quo_api::WebhookKey::new("c2VjcmV0");
/// assert_eq!(format!("{key:?}"), "WebhookKey([redacted])");
/// assert_eq!(key.expose(), "c2VjcmV0");
/// ```
#[derive(Clone)]
pub struct WebhookKey(SecretString);

impl WebhookKey {
    /// A key from its text.
    pub fn new(key: impl Into<String>) -> Self {
        WebhookKey(SecretString::from(key.into()))
    }

    /// The key's text.
    #[must_use]
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookKey([redacted])")
    }
}

impl PartialEq for WebhookKey {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for WebhookKey {}

impl From<String> for WebhookKey {
    fn from(key: String) -> Self {
        WebhookKey::new(key)
    }
}

impl From<&str> for WebhookKey {
    fn from(key: &str) -> Self {
        WebhookKey::new(key)
    }
}

impl Serialize for WebhookKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for WebhookKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(WebhookKey::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_reads_and_writes_as_a_string_and_never_prints() {
        let key: WebhookKey = serde_json::from_str(r#""s3cr3t-key""#).unwrap();
        assert_eq!(key.expose(), "s3cr3t-key");
        assert!(!format!("{key:?} {:#?}", Some(&key)).contains("s3cr3t"));
        assert_eq!(serde_json::to_string(&key).unwrap(), r#""s3cr3t-key""#);
        assert_eq!(key, WebhookKey::from("s3cr3t-key"));
    }
}
