//! The workspace-level integration tests, in one binary: one module per
//! subject, and [`support`] for what they share in this one process.
//! Clients, servers and fixtures shared with the fuzzer and the fleet
//! binaries are in the `quo_tests` library (`tests/src/`).
//!
//! Run one module with `cargo test -p quo-tests --test integration <module>::`.

mod support;

mod bounds;
mod client_config;
mod contact_writes;
mod contacts_get;
mod contacts_list;
mod contract;
mod custom_fields;
mod decoders_prop;
mod demo_resources;
mod errors;
mod every_resource;
mod faults;
mod fleet_limiter;
mod jobs;
mod load;
mod raw_client;
mod resources;
mod response_ids;
mod retries;
mod security;
mod sync;
mod unreadable_items;
mod user_style;
mod webhook_server;
mod webhooks;
mod wire;
