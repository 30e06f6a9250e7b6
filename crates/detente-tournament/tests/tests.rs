//! Integration tests of detente-tournament (one binary; the modules are beside this file).

mod common;
mod determinism;
mod examples;
mod faults;
#[cfg(not(feature = "parquet"))]
mod parquet_off;
#[cfg(feature = "parquet")]
mod parquet_results;
mod resume;
mod summary;
mod user_kind;
