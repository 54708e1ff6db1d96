//! Data: generated scenes for benchmarks, demos and tests.

pub mod generate;
