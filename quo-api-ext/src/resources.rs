//! The resource layer: one handle per Quo resource, each built the same
//! way on [`list`] (the lists) and [`input`] (the checks made before
//! anything is sent), on top of the client.

pub mod calls;
pub mod contacts;
pub mod conversations;
pub mod custom_field_definitions;
pub mod custom_fields;
pub(crate) mod input;
pub(crate) mod list;
pub mod messages;
pub mod phone_numbers;
pub mod tasks;
pub mod users;
pub mod webhook_subscriptions;
