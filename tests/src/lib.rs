//! Shared helpers of the workspace-level tests: a fault-injecting HTTP server
//! and the decoder harness used by the property tests and the fuzzer.

pub mod decoders;
pub mod fault_server;
