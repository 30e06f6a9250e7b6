//! Errors of the inspection and the sweeps.

/// Why an inspection, forecast or sweep could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InspectError {
    /// A party's utility table could not be built (the space is too large to enumerate).
    #[error("party `{party}`: {message}")]
    Table {
        /// The party's name.
        party: String,
        /// Why the table could not be built.
        message: String,
    },
    /// An option or parameter is out of range or does not fit the scenario or trace.
    #[error("{0}")]
    Invalid(String),
    /// The forecast or sweep asks for more work than a limit allows; the message says how to
    /// raise it.
    #[error(transparent)]
    Limit(#[from] detente_core::limits::LimitExceeded),
}

/// Result with an [`InspectError`].
pub type Result<T, E = InspectError> = std::result::Result<T, E>;
