//! Raw client for the Quo (formerly OpenPhone) public REST API.
//!
//! Everything in [`Client`] and [`types`] is generated at build time by
//! [progenitor](https://docs.rs/progenitor) from the normalised OpenAPI
//! document in `spec/` (written by `cargo xtask regen`); no generated code is
//! committed. The hand-written parts sit beside it:
//!
//! - [`hooks`]: the one point every request passes through, used by
//!   `quo-api-ext` for retries, rate limiting and tracing;
//! - [`custom_field`]: the tolerant contact custom field that stands in for
//!   the generated one, so an odd value never fails a whole page;
//! - [`pagination`]: the [`pagination::Paginated`] trait, implemented (by
//!   generated code) for every response of Quo's v1 list pattern, whose
//!   `data` is decoded item by item ([`pagination::Items`]);
//! - [`lenient`]: how response fields are read leniently (an absent or
//!   `null` array is empty, a date-time without offset is UTC);
//! - [`decode`]: how every response body is decoded (the generated code is
//!   routed through it);
//! - [`secret`]: [`WebhookKey`], a webhook subscription's signing key,
//!   which stands in for the generated string so `Debug` never shows it;
//! - [`Open`]: what every enum of response data is wrapped in, so a value
//!   Quo adds later decodes as `Open::Other(text)` instead of failing.
//!
//! Most users want `quo-api-ext`, which wraps this crate in a builder,
//! pagination streams, typed errors, retries and rate limiting.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use quo_api::{Client, hooks::RequestHooks};
//!
//! let mut headers = reqwest::header::HeaderMap::new();
//! let mut key = reqwest::header::HeaderValue::from_str("YOUR_API_KEY")?;
//! key.set_sensitive(true);
//! headers.insert(reqwest::header::AUTHORIZATION, key);
//! let http = reqwest::Client::builder().default_headers(headers).build()?;
//! let client = Client::new_with_client("https://api.quo.com", http, RequestHooks::default());
//! let page = client
//!     .list_contacts_v1(None, std::num::NonZeroU64::new(50).unwrap(), None, None)
//!     .await?;
//! println!("{} contacts on the first page", page.data.len());
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod custom_field;
pub mod decode;
pub mod hooks;
pub mod lenient;
pub mod open;
pub mod pagination;
pub mod secret;

#[allow(missing_docs, clippy::all, clippy::pedantic)]
#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

/// Typed [`httpmock`](https://docs.rs/httpmock) helpers, one per operation
/// (feature `httpmock`), for testing code that uses this client.
///
/// `server.list_contacts_v1(|when, then| ..)` is a `MockServer::mock` whose
/// `when` takes the operation's own parameter types and whose `then` takes
/// its response types, so a stub cannot drift from the API.
///
/// ```no_run
/// use quo_api::mock::MockServerExt;
///
/// let server = httpmock::MockServer::start();
/// let mock = server.delete_contact_v1(|when, then| {
///     when.id("CT1");
///     then.no_content();
/// });
/// // ... call the client against server.base_url() ...
/// mock.assert();
/// ```
#[cfg(feature = "httpmock")]
#[cfg_attr(docsrs, doc(cfg(feature = "httpmock")))]
#[allow(missing_docs, clippy::all, clippy::pedantic)]
#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/mocks.rs"));
}

pub use generated::{ByteStream, Client, ClientInfo, Error, ResponseValue, types};
pub use open::Open;
pub use progenitor_client::OperationInfo;
pub use secret::WebhookKey;
