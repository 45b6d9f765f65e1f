//! Signing deliveries the way Quo does, so receivers can be tested without Quo.

use std::time::{SystemTime, UNIX_EPOCH};

use super::headers::HeaderSource;
use super::mac;
use super::scheme::{
    OPENPHONE_SIGNATURE, Scheme, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP,
};
use super::secret::WebhookSecret;

/// The signature headers of a delivery made by [`sign`].
///
/// Hand them to a [`Verifier`](super::Verifier) directly (they are a
/// [`HeaderSource`]), turn them into an [`http::HeaderMap`], or add them to
/// a request of your HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    headers: Vec<(&'static str, String)>,
}

impl SignedHeaders {
    /// The headers as `(name, value)` pairs, names lowercase.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }

    /// The value of the header `name` (any case), if it is one of these.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The headers as an [`http::HeaderMap`].
    #[must_use]
    pub fn to_header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in self.iter() {
            // Names are constants and values base64, digits and `;,` only.
            if let Ok(value) = http::HeaderValue::from_str(value) {
                map.append(name, value);
            }
        }
        map
    }

    /// The headers as owned `(name, value)` pairs.
    #[must_use]
    pub fn into_vec(self) -> Vec<(&'static str, String)> {
        self.headers
    }
}

impl HeaderSource for SignedHeaders {
    fn header_values(&self, name: &str) -> Vec<&[u8]> {
        self.headers.as_slice().header_values(name)
    }
}

/// Signs `body` with `secret` as Quo signs a delivery made at `at`.
///
/// With a Standard Webhooks secret: `webhook-id` (`id`), `webhook-timestamp`
/// (Unix seconds) and `webhook-signature`. With a legacy secret: one
/// `openphone-signature` with the timestamp in milliseconds, as Quo
/// documents it (`id` is not used). Send `body` unchanged with them.
pub fn sign(secret: &WebhookSecret, id: &str, at: SystemTime, body: &[u8]) -> SignedHeaders {
    let since_epoch = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let headers = match secret.scheme() {
        Scheme::StandardWebhooks => {
            let seconds = since_epoch.as_secs();
            vec![
                (WEBHOOK_ID, id.to_owned()),
                (WEBHOOK_TIMESTAMP, seconds.to_string()),
                (
                    WEBHOOK_SIGNATURE,
                    standard_signature(secret, id, seconds, body),
                ),
            ]
        }
        Scheme::Legacy => {
            let millis = u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX);
            vec![(OPENPHONE_SIGNATURE, legacy_signature(secret, millis, body))]
        }
    };
    SignedHeaders { headers }
}

/// The Standard Webhooks signature entry `v1,<base64>`: HMAC-SHA256 with the
/// secret's key over `{id}.{timestamp}.{body}`. Join several with spaces to
/// sign with more than one secret.
#[must_use]
pub fn standard_signature(secret: &WebhookSecret, id: &str, timestamp: u64, body: &[u8]) -> String {
    let mac = mac::standard(
        secret.key(),
        id.as_bytes(),
        timestamp.to_string().as_bytes(),
        body,
    );
    format!("v1,{}", mac::to_base64(mac))
}

/// The legacy signature entry `hmac;1;<timestamp>;<base64>`: HMAC-SHA256
/// with the secret's key over `{timestamp}.{body}`. `timestamp` may be in
/// milliseconds (as Quo sends it) or seconds; join several with commas.
#[must_use]
pub fn legacy_signature(secret: &WebhookSecret, timestamp: u64, body: &[u8]) -> String {
    let timestamp = timestamp.to_string();
    let mac = mac::legacy(secret.key(), timestamp.as_bytes(), body);
    format!("hmac;1;{timestamp};{}", mac::to_base64(mac))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn each_scheme_gets_its_own_headers() {
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let standard = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signed = sign(&standard, "msg_1", at, b"{}");
        let names: Vec<&str> = signed.iter().map(|(name, _)| name).collect();
        assert_eq!(names, [WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE]);
        assert_eq!(signed.get("WEBHOOK-TIMESTAMP"), Some("1700000000"));
        assert_eq!(signed.to_header_map().len(), 3);

        let legacy = WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signed = sign(&legacy, "ignored", at, b"{}");
        let value = signed.get(OPENPHONE_SIGNATURE).unwrap();
        assert!(value.starts_with("hmac;1;1700000000123;"), "{value}");
        assert_eq!(signed.iter().count(), 1);
        assert_eq!(
            signed.to_header_map()[OPENPHONE_SIGNATURE]
                .to_str()
                .unwrap(),
            value
        );
    }

    #[test]
    fn signatures_depend_on_every_signed_part() {
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let base = standard_signature(&secret, "msg_1", 1, b"{}");
        assert_ne!(base, standard_signature(&secret, "msg_2", 1, b"{}"));
        assert_ne!(base, standard_signature(&secret, "msg_1", 2, b"{}"));
        assert_ne!(base, standard_signature(&secret, "msg_1", 1, b"{ }"));
        let other = WebhookSecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert_ne!(base, standard_signature(&other, "msg_1", 1, b"{}"));
        assert_ne!(
            legacy_signature(&secret, 1, b"{}"),
            legacy_signature(&secret, 1000, b"{}")
        );
    }
}
