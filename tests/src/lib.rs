//! Shared helpers of the workspace-level tests: one way to build a client
//! against a test server, a fault-injecting HTTP server,
//! the decoder harness used by the property tests and the fuzzer,
//! response-body fixtures, and a fleet of processes sharing one rate budget.

pub mod clients;
pub mod decoders;
pub mod fault_server;
pub mod fixtures;
pub mod fleet;
pub mod resources;
