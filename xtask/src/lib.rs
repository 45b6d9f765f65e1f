//! `cargo xtask regen`: pull, merge and normalise the Quo OpenAPI document.
//!
//! See [`regen::run`] for what a regen writes and [`regen::check`] for the
//! drift check CI runs. `cargo xtask build-times` ([`build_times::run`])
//! measures what `quo-api-ext` costs a build.

pub mod build_times;
pub mod json;
pub mod merge;
pub mod normalize;
pub mod regen;
pub mod source;

/// The code generation shared with `quo-api/build.rs` (same file, same settings).
#[path = "../../quo-api/codegen.rs"]
pub mod codegen;
