//! Checking that a delivery was signed by Quo, recently, over these bytes.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::WebhookError;
use super::event::Event;
use super::headers::HeaderSource;
use super::mac;
use super::parse;
use super::scheme::Scheme;
use super::secret::WebhookSecret;

/// How far a delivery's timestamp may be from the verifier's clock, either
/// way, by default: five minutes, as Standard Webhooks recommends.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Verifies webhook deliveries from Quo and decodes their events.
///
/// Built from one secret, or several while a secret is being rotated (or a
/// legacy webhook and its replacement both deliver to the same endpoint).
/// Each secret's scheme is known from its form (`whsec_` or not), and the
/// delivery's headers show which scheme signed it, so one verifier serves
/// both. Signatures are compared in constant time, over the raw body bytes
/// exactly as received: verify before any JSON parsing or re-serialising.
/// A delivery signed more than the [tolerance](Self::tolerance) in the past
/// or the future is refused, which stops late replays of captured
/// deliveries; inside the tolerance, de-duplicate on [`Delivery::id`] (keep
/// the ids seen in the last tolerance plus a minute, and answer `200`
/// without acting to a repeat).
///
/// The work done for any request is bounded: a header with more than
/// [`MAX_SIGNATURES`](super::MAX_SIGNATURES) entries is refused before anything is computed,
/// repeated entries count once, the timestamp is checked before any MAC,
/// and each secret costs one MAC over the body per distinct timestamp.
/// Signatures are read in padded standard base64 only (what Quo sends), so
/// a signature has one spelling.
///
/// ```
/// use quo_api_ext::webhooks::{Event, Verifier, WebhookSecret, sign};
/// use std::time::SystemTime;
///
/// # fn main() -> Result<(), quo_api_ext::webhooks::WebhookError> {
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"; // as Quo returned it
/// let verifier = Verifier::new(secret)?;
///
/// // What your HTTP handler receives (here signed locally for the example).
/// let body = br#"{"id":"EV1","object":"event","apiVersion":"v3","type":"message.received",
///   "data":{"object":{"id":"AC1","from":"+15555550100","to":"+15555550199","body":"Hi"}}}"#;
/// let headers = sign(&WebhookSecret::parse(secret)?, "msg_1", SystemTime::now(), body);
///
/// let delivery = verifier.verify(&headers, body)?;
/// assert_eq!(delivery.id.as_deref(), Some("msg_1")); // de-duplicate on this
/// match delivery.event {
///     Event::MessageReceived(message) => {
///         assert_eq!(message.resource.text.as_deref(), Some("Hi"));
///         assert_eq!(message.resource.to, ["+15555550199"]);
///     }
///     other => println!("{} event", other.event_type()),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    /// The secret set, shared by every clone so it can be changed while a
    /// server runs; each verification works on a snapshot of it.
    secrets: Arc<RwLock<Arc<[WebhookSecret]>>>,
    tolerance: Duration,
    max_body_bytes: usize,
}

/// The largest body the web-framework extractors read by default: 1 MiB,
/// far above any delivery Quo documents, well below what would hurt.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// A verified delivery: its event, and what to de-duplicate it on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delivery {
    /// The same on every retry of one delivery, so the key to de-duplicate
    /// on: the `webhook-id` header (Standard Webhooks), or the event's own
    /// `id` (`EV...`; legacy deliveries have no delivery header). `None`
    /// only for a legacy delivery whose body has no `id`.
    pub id: Option<String>,
    /// The decoded event.
    pub event: Event,
    /// The scheme that signed it.
    pub scheme: Scheme,
    /// When Quo signed it (the signature's timestamp).
    pub signed_at: SystemTime,
}

/// What a verified signature tells about the delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The scheme that signed it.
    pub scheme: Scheme,
    /// The `webhook-id` header (Standard Webhooks only): the same on every
    /// retry of a delivery, so the key to deduplicate on.
    pub delivery_id: Option<String>,
    /// When Quo signed it (the signature's timestamp).
    pub signed_at: SystemTime,
}

impl Verifier {
    /// A verifier for one secret, as Quo shows it (see [`WebhookSecret::parse`]).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        Ok(Self::from_secret(WebhookSecret::parse(secret)?))
    }

    /// A verifier for one parsed secret.
    #[must_use]
    pub fn from_secret(secret: WebhookSecret) -> Self {
        Self::with_set(vec![secret])
    }

    /// A verifier accepting a signature made with any of `secrets`, of either
    /// scheme; none at all is an error.
    pub fn from_secrets(
        secrets: impl IntoIterator<Item = WebhookSecret>,
    ) -> Result<Self, WebhookError> {
        Ok(Self::with_set(non_empty(secrets)?))
    }

    fn with_set(secrets: Vec<WebhookSecret>) -> Self {
        Verifier {
            secrets: Arc::new(RwLock::new(secrets.into())),
            tolerance: DEFAULT_TOLERANCE,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Also accepts signatures made with `secret` (the new one while a
    /// secret is rotated, or the other scheme's while migrating).
    #[must_use]
    pub fn with_secret(self, secret: WebhookSecret) -> Self {
        self.add_secret(secret);
        self
    }

    /// Starts accepting signatures made with `secret`, in this verifier and
    /// every clone of it, without a restart: the first step of rotating a
    /// secret while a server runs. A secret already held is not added twice.
    ///
    /// Clones share the secret set (the [tolerance](Self::tolerance) is
    /// each clone's own), so the verifier in a web server's state can be
    /// rotated from anywhere that holds a clone.
    ///
    /// ```
    /// use quo_api_ext::webhooks::{Verifier, WebhookSecret};
    ///
    /// # fn main() -> Result<(), quo_api_ext::webhooks::WebhookError> {
    /// let old = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// let new = WebhookSecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
    /// let verifier = Verifier::from_secret(old.clone());
    /// let in_the_server = verifier.clone();
    /// verifier.add_secret(new); // both verify now
    /// assert!(verifier.remove_secret(&old)); // only the new one
    /// assert_eq!(in_the_server.secret_count(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_secret(&self, secret: WebhookSecret) {
        let mut set = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        if !set.contains(&secret) {
            let mut secrets = set.to_vec();
            secrets.push(secret);
            *set = secrets.into();
        }
    }

    /// Stops accepting signatures made with `secret`, in this verifier and
    /// every clone of it: the last step of a rotation. Returns whether it
    /// was held. The last secret is never removed (a verifier without a
    /// secret would refuse everything): `false`, and it stays.
    pub fn remove_secret(&self, secret: &WebhookSecret) -> bool {
        let mut set = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        if !set.contains(secret) || set.len() == 1 {
            return false;
        }
        *set = set.iter().filter(|s| *s != secret).cloned().collect();
        true
    }

    /// Replaces the whole secret set, in this verifier and every clone of
    /// it; an empty set is refused and the old one kept.
    pub fn replace_secrets(
        &self,
        secrets: impl IntoIterator<Item = WebhookSecret>,
    ) -> Result<(), WebhookError> {
        let secrets = non_empty(secrets)?;
        *self.secrets.write().unwrap_or_else(PoisonError::into_inner) = secrets.into();
        Ok(())
    }

    /// How many secrets the verifier holds now.
    #[must_use]
    pub fn secret_count(&self) -> usize {
        self.snapshot().len()
    }

    /// The largest body the web-framework extractors read (default
    /// [`DEFAULT_MAX_BODY_BYTES`]); a larger delivery is refused with 413
    /// before its signature is checked. [`verify`](Self::verify) itself
    /// takes whatever body it is given.
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The body limit the extractors use (see [`max_body_bytes`](Self::max_body_bytes)).
    #[must_use]
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    fn snapshot(&self) -> Arc<[WebhookSecret]> {
        Arc::clone(&self.secrets.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// How far a delivery's timestamp may be from now, in the past or the
    /// future (default [`DEFAULT_TOLERANCE`]). Keep it short: it is how long
    /// a captured delivery can be replayed.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks the signature against `body` (the raw bytes received) now and,
    /// if it holds, decodes the event and returns it with its delivery id.
    ///
    /// The event is never the reason for an error: a payload that does not
    /// fit its type's documented shape comes back as [`Event::Unknown`] with
    /// the reason. Only a body that is not JSON at all is an error
    /// ([`WebhookError::InvalidJson`]).
    pub fn verify<H: HeaderSource + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Delivery, WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`verify`](Self::verify) with the clock set to `now` (for tests, or
    /// to re-check a stored delivery as of when it arrived).
    pub fn verify_at<H: HeaderSource + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery, WebhookError> {
        let verified = self.verify_signature_at(headers, body, now)?;
        let event = Event::from_slice(body)?;
        let id = verified
            .delivery_id
            .or_else(|| event.id().map(str::to_owned));
        Ok(Delivery {
            id,
            event,
            scheme: verified.scheme,
            signed_at: verified.signed_at,
        })
    }

    /// Checks the signature only, leaving the body to you (for a body that
    /// is not JSON, or to get the delivery id to deduplicate on).
    pub fn verify_signature<H: HeaderSource + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        self.verify_signature_at(headers, body, SystemTime::now())
    }

    /// [`verify_signature`](Self::verify_signature) with the clock set to `now`.
    pub fn verify_signature_at<H: HeaderSource + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Verified, WebhookError> {
        let now_ms = unix_millis(now);
        let held = self.snapshot();
        let mut first_error = None;
        for scheme in Scheme::ALL {
            let secrets: Vec<&WebhookSecret> =
                held.iter().filter(|s| s.scheme() == scheme).collect();
            // A scheme is tried when we hold a secret for it and the delivery
            // carries its signature header (during a migration, both may).
            if secrets.is_empty() || headers.header_values(scheme.signature_header()).is_empty() {
                continue;
            }
            let outcome = match scheme {
                Scheme::StandardWebhooks => self.check_standard(&secrets, headers, body, now_ms),
                Scheme::Legacy => self.check_legacy(&secrets, headers, body, now_ms),
            };
            match outcome {
                Ok(verified) => return Ok(verified),
                Err(error) => {
                    tracing::debug!(%scheme, %error, "webhook signature refused");
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| WebhookError::MissingHeader {
            name: preferred_scheme(&held).signature_header(),
        }))
    }

    fn check_standard<H: HeaderSource + ?Sized>(
        &self,
        secrets: &[&WebhookSecret],
        headers: &H,
        body: &[u8],
        now_ms: i128,
    ) -> Result<Verified, WebhookError> {
        let parsed = parse::standard(headers)?;
        self.check_time(parsed.signed_at_ms, now_ms)?;
        for secret in secrets {
            let mac = mac::standard(
                secret.key(),
                parsed.id.as_bytes(),
                parsed.timestamp.as_bytes(),
                body,
            );
            if parsed.signatures.iter().any(|s| mac::matches(&mac, s)) {
                return Ok(Verified {
                    scheme: Scheme::StandardWebhooks,
                    delivery_id: Some(parsed.id.to_owned()),
                    signed_at: system_time(parsed.signed_at_ms),
                });
            }
        }
        Err(WebhookError::NoMatchingSignature {
            scheme: Scheme::StandardWebhooks,
            signatures: parsed.signatures.len(),
        })
    }

    fn check_legacy<H: HeaderSource + ?Sized>(
        &self,
        secrets: &[&WebhookSecret],
        headers: &H,
        body: &[u8],
        now_ms: i128,
    ) -> Result<Verified, WebhookError> {
        let entries = parse::legacy(headers)?;
        // Only entries signed within the tolerance are worth a MAC; when
        // none is, the first one's distance is the error.
        let mut out_of_time = None;
        let mut in_time = Vec::with_capacity(entries.len());
        for entry in &entries {
            match self.check_time(entry.signed_at_ms, now_ms) {
                Ok(()) => in_time.push(entry),
                Err(error) => {
                    out_of_time.get_or_insert(error);
                }
            }
        }
        if let (true, Some(error)) = (in_time.is_empty(), out_of_time) {
            return Err(error);
        }
        for secret in secrets {
            // One MAC per distinct timestamp: entries sharing one (a secret
            // being rotated) are compared against the same MAC.
            for (i, entry) in in_time.iter().enumerate() {
                if in_time[..i].iter().any(|e| e.timestamp == entry.timestamp) {
                    continue;
                }
                let mac = mac::legacy(secret.key(), entry.timestamp.as_bytes(), body);
                let matched = in_time[i..]
                    .iter()
                    .filter(|e| e.timestamp == entry.timestamp)
                    .any(|e| mac::matches(&mac, &e.signature));
                if matched {
                    return Ok(Verified {
                        scheme: Scheme::Legacy,
                        delivery_id: None,
                        signed_at: system_time(entry.signed_at_ms),
                    });
                }
            }
        }
        Err(WebhookError::NoMatchingSignature {
            scheme: Scheme::Legacy,
            signatures: in_time.len(),
        })
    }

    fn check_time(&self, signed_ms: i128, now_ms: i128) -> Result<(), WebhookError> {
        let tolerance_ms = i128::try_from(self.tolerance.as_millis()).unwrap_or(i128::MAX);
        let age_ms = now_ms - signed_ms;
        if age_ms > tolerance_ms {
            Err(WebhookError::Expired {
                age: millis(age_ms),
                tolerance: self.tolerance,
            })
        } else if -age_ms > tolerance_ms {
            Err(WebhookError::FromFuture {
                ahead: millis(-age_ms),
                tolerance: self.tolerance,
            })
        } else {
            Ok(())
        }
    }
}

/// The scheme named when a delivery carries no signature header we can use.
fn preferred_scheme(secrets: &[WebhookSecret]) -> Scheme {
    Scheme::ALL
        .into_iter()
        .find(|scheme| secrets.iter().any(|s| s.scheme() == *scheme))
        .unwrap_or(Scheme::StandardWebhooks)
}

/// The secrets as a set to hold; none at all is an error.
fn non_empty(
    secrets: impl IntoIterator<Item = WebhookSecret>,
) -> Result<Vec<WebhookSecret>, WebhookError> {
    let mut set: Vec<WebhookSecret> = Vec::new();
    for secret in secrets {
        if !set.contains(&secret) {
            set.push(secret);
        }
    }
    if set.is_empty() {
        return Err(WebhookError::bad_secret("no secret was given"));
    }
    Ok(set)
}

/// Milliseconds since the Unix epoch, negative before it.
fn unix_millis(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i128::try_from(since.as_millis()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_millis()).unwrap_or(i128::MAX),
    }
}

/// A positive number of milliseconds as a `Duration` (saturating).
fn millis(ms: i128) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
}

/// The time `ms` milliseconds after the epoch (timestamps are never negative).
fn system_time(ms: i128) -> SystemTime {
    UNIX_EPOCH
        .checked_add(millis(ms))
        .unwrap_or(UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::sign;

    const KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn times_before_the_epoch_and_far_ahead_do_not_overflow() {
        assert_eq!(unix_millis(UNIX_EPOCH - Duration::from_millis(1500)), -1500);
        assert_eq!(unix_millis(UNIX_EPOCH + Duration::from_millis(1500)), 1500);
        let verifier = Verifier::new(KEY).unwrap().tolerance(Duration::MAX);
        assert!(verifier.check_time(0, i128::from(u64::MAX) * 1000).is_ok());
        let strict = Verifier::new(KEY).unwrap().tolerance(Duration::ZERO);
        assert!(strict.check_time(1000, 1000).is_ok());
        assert_eq!(
            strict.check_time(0, -5000),
            Err(WebhookError::FromFuture {
                ahead: Duration::from_secs(5),
                tolerance: Duration::ZERO
            })
        );
    }

    #[test]
    fn the_time_is_checked_before_any_signature() {
        // A stale delivery costs no MAC: it is refused for its timestamp
        // whether or not its signature would have matched.
        let secret = WebhookSecret::parse(KEY).unwrap();
        let verifier = Verifier::from_secret(secret.clone());
        let long_ago = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut headers = sign(&secret, "msg_1", long_ago, b"{}").into_vec();
        assert!(matches!(
            verifier.verify_signature(&headers, b"{}"),
            Err(WebhookError::Expired { .. })
        ));
        headers[2].1 = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned();
        assert!(matches!(
            verifier.verify_signature(&headers, b"{}"),
            Err(WebhookError::Expired { .. })
        ));
        // In time, a wrong signature is what it is.
        let mut fresh = sign(&secret, "msg_1", SystemTime::now(), b"{}").into_vec();
        fresh[2].1 = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned();
        assert!(matches!(
            verifier.verify_signature(&fresh, b"{}"),
            Err(WebhookError::NoMatchingSignature { .. })
        ));
    }

    #[test]
    fn a_legacy_entry_in_time_wins_over_a_stale_one() {
        let secret = WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let stale = sign::legacy_signature(&secret, 1_600_000_000_000, b"{}");
        let fresh = sign::legacy_signature(&secret, 1_700_000_000_000, b"{}");
        let verifier = Verifier::from_secret(secret);
        let both = [("openphone-signature", format!("{stale},{fresh}"))];
        assert!(verifier.verify_signature_at(&both, b"{}", now).is_ok());
        let only_stale = [("openphone-signature", stale)];
        assert!(matches!(
            verifier.verify_signature_at(&only_stale, b"{}", now),
            Err(WebhookError::Expired { .. })
        ));
    }
}
