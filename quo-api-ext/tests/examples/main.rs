//! Runs the built example binaries and checks what they print and what went
//! over the wire: one module per example, sharing [`common`], the helper that
//! finds and runs a built example.
//!
//! `cargo test -p quo-api-ext` builds the examples before running this
//! binary; `cargo test -p quo-api-ext --test examples` alone does not (build
//! them first with `cargo build -p quo-api-ext --examples`). A missing
//! binary, or one older than its source, fails with a message saying so.

mod common;
mod contacts;
mod export_calls;
mod send_message;
mod sync_contacts;
mod webhook_receiver;
