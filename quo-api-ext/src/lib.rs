#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod contacts;
pub mod custom_fields;
pub mod error;
pub mod pagination;
mod policy;
mod task;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use client::{QuoClient, QuoClientBuilder, RetryConfig};
pub use contacts::{ContactList, Contacts};
pub use custom_fields::{ContactExt, CustomField, CustomFieldValue};
pub use error::{Error, ErrorCode, ItemError, Result};
pub use pagination::{DEFAULT_PREFETCH, Page, Paginator};
pub use policy::{InProcessRateLimiter, RateLimiter};
#[cfg(feature = "redis")]
pub use policy::{RedisRateLimit, RedisRateLimiter};
/// The generated raw client and its types, for anything not wrapped here.
pub use quo_api as raw;
pub use quo_api::types::Contact;
/// The `redis` crate this one is built with, for
/// [`RedisRateLimit::with_connection_manager`] (feature `redis`).
#[cfg(feature = "redis")]
pub use redis;
