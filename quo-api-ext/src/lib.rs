//! A client for the Quo (formerly OpenPhone) public API: one configured
//! [`QuoClient`], a handle per resource, lazy page streams for every list,
//! typed custom fields, one [`Error`] type, retries and a rate limiter.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use quo_api_ext::custom_fields::ContactExt;
//!
//! # async fn demo() -> quo_api_ext::Result<()> {
//! // The key comes from QUO_API_KEY; requests are paced at 10/s and
//! // idempotent ones are retried.
//! let client = quo_api_ext::QuoClient::from_env()?;
//! let mut contacts = client.contacts().list().page_size(50).items();
//! while let Some(contact) = contacts.try_next().await? {
//!     println!("{}", contact.display_name());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every resource looks the same: `client.contacts()`, `calls()`,
//! `conversations()`, `messages()`, `phone_numbers()`, `tasks()`, `users()`,
//! `webhook_subscriptions()` and `custom_field_definitions()` return a handle whose
//! methods check their input before sending and whose lists are a
//! [`List`] walked by the one [`Paginator`](pagination::Paginator).
//! Anything else goes through [`QuoClient::call`] with the generated client
//! ([`raw`]).
//!
//! # Layers
//!
//! Each layer imports only the ones before it:
//!
//! 1. **errors** (`error`): [`Error`] and everything that builds one from
//!    what the generated client reports;
//! 2. **policy** (`policy`): what happens around each request: pacing
//!    ([`RateLimiter`]), retries ([`RetryConfig`]), `Retry-After`, body
//!    limits, tracing;
//! 3. **client** (`client`): [`QuoClient`], its builder, and
//!    [`QuoClient::call`], which gives each call its own generated client
//!    so that what the policy learns reaches the error as a value;
//! 4. **pagination** ([`pagination`]): the one page walk, with prefetch;
//! 5. **resources** (`resources`, re-exported as [`contacts`], [`calls`],
//!    ...): a handle per resource on top of [`List`] and the client.
//!
//! `webhooks` (verifying deliveries) stands beside them and uses only the
//! errors' excerpts; `testing` (a local demo server) serves requests
//! rather than sending them, and borrows the resources' bounds and checks
//! so that it refuses what Quo refuses.
//!
//! # Features
//!
//! `rustls` (default) or `native-tls` for TLS; `webhooks` (default) for
//! verifying and decoding webhook deliveries; `redis` for a rate budget
//! shared by several processes (`RedisRateLimiter`); `testing` for the
//! demo server and `testing::fixtures`; `mock` for `testing` plus typed
//! httpmock helpers for every operation (`testing::mock`), so tests of your
//! own code need this one crate; `axum` for the webhook extractor.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod error;
pub mod pagination;
mod policy;
mod resources;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

/// Every type of Quo's API, as the generated client names them: the
/// resources (`Contact`, `Call`, `Message`, `Task`, ...), their enums
/// (`MessageStatus`, `ProcessingStatus`, `CustomFieldType`, the webhook
/// events), [`Open`](types::Open) (what every enum of response data comes
/// in, so a value Quo adds later still decodes) and the subscription's
/// [`WebhookKey`](types::WebhookKey). Name them from here; [`raw`] is for
/// calling operations this crate does not wrap.
///
/// ```
/// use quo_api_ext::types::{MessageStatus, Open};
///
/// fn delivered(status: &Open<MessageStatus>) -> bool {
///     matches!(status, Open::Known(MessageStatus::Delivered))
/// }
/// # let _ = delivered;
/// ```
pub mod types {
    pub use quo_api::types::*;
    pub use quo_api::{Open, WebhookKey};
}

pub use client::{
    API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RATE_LIMIT, DEFAULT_TIMEOUT, QuoClient, QuoClientBuilder,
};
pub use error::{
    Error, ErrorCode, FieldError, ItemError, MAX_AMBIGUOUS_IDS, MAX_EXCERPT_CHARS,
    MAX_FIELD_ERRORS, MAX_ID_CHARS, Result, ServiceError,
};
pub use policy::{InProcessRateLimiter, RateLimiter, RetryConfig};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use policy::{RedisRateLimit, RedisRateLimiter};
/// The generated raw client and its types, for anything not wrapped here.
#[doc(inline)]
pub use quo_api as raw;
pub use quo_api::types::Contact;
/// The `redis` crate this one is built with, for
/// [`RedisRateLimit::with_connection_manager`] (feature `redis`).
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis;
pub use resources::list::{
    CreatedByUser, CreatedByUserFilters, List, ListCounts, ListItem, ListProgress, ListQuery,
    OnePage, UserFilter, WholeList,
};
pub use resources::{
    calls, contacts, conversations, custom_field_definitions, custom_fields, messages,
    phone_numbers, tasks, users, webhook_subscriptions,
};
