//! Shared helpers of the workspace-level tests: a fault-injecting HTTP server,
//! the decoder harness used by the property tests and the fuzzer, and
//! response-body fixtures.

pub mod decoders;
pub mod fault_server;
pub mod fixtures;
