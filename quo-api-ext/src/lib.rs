#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod calls;
pub mod client;
pub mod contacts;
pub mod conversations;
pub mod custom_field_definitions;
pub mod custom_fields;
pub mod error;
mod input;
pub mod list;
pub mod messages;
pub mod pagination;
pub mod phone_numbers;
mod policy;
pub mod tasks;
#[cfg(feature = "testing")]
pub mod testing;
pub mod users;
pub mod webhook_subscriptions;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use client::{QuoClient, QuoClientBuilder};
pub use contacts::{ContactChanges, ContactDraft, ContactList, Contacts, FieldValue, Upserted};
pub use custom_field_definitions::CustomFieldDefinitions;
pub use custom_fields::{ContactExt, CustomField, CustomFieldValue};
pub use error::{Error, ErrorCode, ItemError, Result};
pub use list::{CreatedByUserFilters, CreatedWindow, List, ListQuery};
pub use pagination::{DEFAULT_PREFETCH, Page, Paginator};
pub use policy::{InProcessRateLimiter, RateLimiter, RetryConfig};
#[cfg(feature = "redis")]
pub use policy::{RedisRateLimit, RedisRateLimiter};
/// The generated raw client and its types, for anything not wrapped here.
pub use quo_api as raw;
pub use quo_api::types::Contact;
/// The `redis` crate this one is built with, for
/// [`RedisRateLimit::with_connection_manager`] (feature `redis`).
#[cfg(feature = "redis")]
pub use redis;
