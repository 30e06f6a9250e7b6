//! The engine's error type.

/// Errors the engine reports for inputs it cannot use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The issues do not form a valid outcome space.
    #[error("invalid outcome space: {0}")]
    InvalidSpace(String),
    /// A utility function does not fit its outcome space or has invalid numbers.
    #[error("invalid utility function: {0}")]
    InvalidUtility(String),
    /// A scenario is inconsistent (parties, reservation values, protocol settings).
    #[error("invalid scenario: {0}")]
    InvalidScenario(String),
    /// An outcome written by a person does not fit the space.
    #[error("invalid outcome: {0}")]
    InvalidOutcome(String),
    /// Enumerating the space was asked for, but it has more outcomes than the limit.
    #[error("the outcome space has {count} outcomes, more than the enumeration limit of {limit}")]
    TooLarge {
        /// The outcome count, as text (it may not fit any integer type).
        count: String,
        /// The limit in force.
        limit: u64,
    },
    /// A table whose size comes from the input (an outcome count under a raised enumeration
    /// limit) does not fit in memory.
    #[error(
        "cannot hold {what} in memory: it needs {bytes} bytes; lower the enumeration limit \
         (`--limit`) or use a machine with more memory"
    )]
    OutOfMemory {
        /// What the memory was for.
        what: String,
        /// How much was asked for.
        bytes: u128,
    },
}

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
