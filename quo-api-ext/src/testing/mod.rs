//! A local, faithful stand-in for Quo's contact endpoints.
//!
//! [`DemoServer`] serves `GET /v1/contacts` and `GET /v1/contacts/{id}` the
//! way the Quo public API documents them (JSON shapes, error bodies, raw-key
//! `Authorization`, `maxResults` 1..=50, `externalIds`/`sources` filters,
//! opaque `pageToken`s) from a [`Dataset`] of realistic, deterministic
//! contacts. The SDK's demo uses it when no API key is set; tests and the
//! throughput benchmark use it as a cheap, predictable backend.
//!
//! Failures can be injected ([`Fault`]) so retry and error paths are visible,
//! and every request is recorded ([`RecordedRequest`]) so tests can assert
//! what went over the wire.
//!
//! ```ignore
//! use quo_api_ext::testing::{DemoConfig, DemoServer, Fault};
//!
//! let server = DemoServer::start(DemoConfig::default()).await?;
//! server.inject(Fault::rate_limited(1));
//! // point a client at server.url() with server.api_key() ...
//! server.shutdown().await;
//! ```
//!
//! Only compiled with the crate's `testing` feature.

mod config;
mod dataset;
mod errors;
mod fake;
mod fault;
mod handler;
mod prng;
mod query;
mod reply;
mod server;
mod token;
mod words;

#[cfg(test)]
mod dataset_tests;
#[cfg(test)]
mod handler_tests;
#[cfg(test)]
mod server_tests;

pub use config::{DEFAULT_API_KEY, DEFAULT_RECORD_LIMIT, DemoConfig};
pub use dataset::{DEMO_CONTACTS, DEMO_SEED, Dataset};
pub use fault::{Fault, FaultQueue};
pub use server::{DemoServer, RecordedRequest};
