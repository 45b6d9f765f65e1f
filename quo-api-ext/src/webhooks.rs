//! Verifying, decoding and signing Quo's webhook deliveries.
//!
//! Quo signs every delivery, in one of two ways depending on how the webhook
//! was made, and a delivery must be checked before it is trusted:
//!
//! - **Standard Webhooks** (webhooks made with Quo's newer webhook API): the
//!   headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
//!   `webhook-signature` (space-separated `v1,<base64>` entries), an
//!   HMAC-SHA256 over `{id}.{timestamp}.{raw body}`; the key is given as
//!   `whsec_` + base64.
//! - **Legacy** (webhooks made in the Quo app or with `/v1/webhooks`): the
//!   header `openphone-signature: hmac;1;<timestamp>;<base64>` (several may
//!   come comma-separated), an HMAC-SHA256 over `{timestamp}.{raw body}`; the
//!   key is the bare base64 signing secret shown in the app. The timestamp is
//!   in milliseconds, or seconds.
//!
//! A [`Verifier`] holds one or more [`WebhookSecret`]s (several while a
//! secret is rotated, or while moving from a legacy webhook to a new one),
//! recognises the scheme of each from its `whsec_` prefix, checks the
//! signature in constant time, rejects deliveries signed more than five
//! minutes (configurable) in the past or the future, and decodes the body
//! into an [`Event`], returned as a [`Delivery`] with the id to de-duplicate
//! replays on. What a request can make it compute is bounded (at most
//! [`MAX_SIGNATURES`] entries per header, a few MACs). Events are decoded tolerantly: a delivery whose payload
//! does not fit its documented shape still verifies and comes back as
//! [`Event::Unknown`] with the reason, so no authentic delivery is lost.
//!
//! [`sign`] produces deliveries for either scheme, for tests of your own
//! receiver. With the `axum` feature, [`Delivery`] is an axum extractor:
//! a handler taking one gets only verified deliveries, and refusals answer
//! `401`, `400` or `413` by themselves.
//!
//! Only compiled with the crate's `webhooks` feature (on by default).

mod error;
mod event;
#[cfg(feature = "axum")]
mod extract;
mod headers;
mod mac;
mod parse;
mod payloads;
mod scheme;
mod secret;
mod sign;
mod verify;
mod wire;

pub use error::WebhookError;
pub use event::{Envelope, EnvelopeFormat, Event};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::DeliveryRejection;
pub use headers::HeaderSource;
pub use parse::MAX_SIGNATURES;
pub use payloads::{
    CallData, CallSummaryData, CallTranscriptData, ContactData, DialogueLine, Direction, Media,
    MessageData,
};
pub use scheme::{OPENPHONE_SIGNATURE, Scheme, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};
pub use secret::WebhookSecret;
pub use sign::{SignedHeaders, legacy_signature, sign, standard_signature};
pub use verify::{DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE, Delivery, Verified, Verifier};
