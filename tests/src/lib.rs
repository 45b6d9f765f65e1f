//! Shared helpers of the workspace-level tests: one way to build a client
//! against a test server, a fault-injecting HTTP server,
//! the decoder harness used by the property tests and the fuzzer,
//! response-body fixtures, a fleet of processes sharing one rate budget,
//! and Stoplight Prism as the contract tests' judge.

pub mod clients;
pub mod decoders;
pub mod fault_server;
pub mod fixtures;
pub mod fleet;
pub mod prism;
pub mod resources;

/// Every Rust block of the workspace README, compiled as a doctest so the
/// README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
