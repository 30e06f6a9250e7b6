//! The tournament crate's error type.

use std::path::PathBuf;

/// Why a tournament could not be planned, run, resumed or merged. Misbehaving negotiators are
/// not errors: they end their own negotiation and are recorded in its row.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TournamentError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder that could not be read or written.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A tournament file could not be read or written, or is not what it should be (see
    /// `detente_formats::tournament`).
    #[error(transparent)]
    Format(#[from] detente_formats::FormatError),
    /// A problem at a known line and column of a file (a plan or a results file).
    #[error("{}:{line}:{column}: {message}", path.display())]
    At {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A scenario named by a plan could not be loaded.
    #[error("{}:{line}:{column}: scenario `{entry}`: {source}", plan.display())]
    Scenario {
        /// The plan file.
        plan: PathBuf,
        /// Line of the entry in the plan, from 1.
        line: usize,
        /// Column of the entry in the plan, from 1.
        column: usize,
        /// The entry as written.
        entry: String,
        /// Why it could not be loaded.
        source: Box<detente_formats::FormatError>,
    },
    /// A plan that is well-formed but cannot be run (no negotiators, too few negotiators for
    /// the parties without self-play, too many negotiations...).
    #[error("invalid plan: {0}")]
    InvalidPlan(String),
    /// A shard designation that does not parse or is out of range.
    #[error("invalid shard `{text}`: {message}")]
    InvalidShard {
        /// The designation as given (e.g. `2/2`).
        text: String,
        /// What is wrong with it.
        message: String,
    },
    /// An output folder that holds results of another plan or shard, or results the command
    /// would overwrite.
    #[error("{}: {message}", path.display())]
    Output {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Shard outputs that do not add up to one complete tournament.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// The plan asks for more work than a limit allows (negotiations, rounds); the message
    /// says how to raise it.
    #[error(transparent)]
    Limit(#[from] detente_core::limits::LimitExceeded),
    /// Something this build cannot do (an optional feature left out at compile time).
    #[error("not supported: {0}")]
    Unsupported(String),
}

/// Result with a [`TournamentError`].
pub type Result<T, E = TournamentError> = std::result::Result<T, E>;

impl TournamentError {
    /// Whether the error comes from the user's input (a plan, arguments, an output folder),
    /// as opposed to the system (an unreadable disk). Command-line tools exit with code 2 for
    /// these.
    pub fn is_input_error(&self) -> bool {
        !matches!(
            self,
            TournamentError::Io { .. }
                | TournamentError::Format(detente_formats::FormatError::Io { .. })
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        TournamentError::Io {
            path: path.into(),
            source,
        }
    }
}
