//! detente's own scenario format: TOML, documented in `docs/scenario-format.md`.
//!
//! [`load_str`] reads a scenario and reports every problem with the file, line and column;
//! [`to_string`] writes a scenario back so that reading it gives the same utility for every
//! outcome (numbers are written in Rust's shortest round-trip form).
//!
//! Reading goes in two phases: serde fills the data-transfer types of `dto` (the file's
//! shape, with spans), then `read` checks their meaning and builds the core types. `write`
//! is the lossless writer.

mod dto;
mod read;
mod write;

pub use read::{load, load_str};
pub use write::{save, to_string};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: i64 = 1;

#[cfg(test)]
mod tests;
