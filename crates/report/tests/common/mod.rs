//! Shared by the integration tests and the benchmark.

pub mod sample;
