//! The report crate's error type.

/// Why a plot or report could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The input document is not what it should be; `at` is a JSON path (`$.actions[3].party`)
    /// or a description of the place.
    #[error("{at}: {message}")]
    Input {
        /// The JSON path of the problem (`$.points[2].values`) or the file it is in.
        at: String,
        /// What is wrong there, shown after the place.
        message: String,
    },
    /// The scenario could not be analysed or enumerated.
    #[error("scenario analysis: {0}")]
    Analysis(#[from] detente_analysis::AnalysisError),
    /// The engine refused (e.g. a space too large to enumerate).
    #[error(transparent)]
    Core(#[from] detente_core::Error),
    /// The plot asked for is not possible with this input (e.g. a pair of parties that does
    /// not exist).
    #[error("{0}")]
    Unsupported(String),
}

impl From<detente_formats::DocError> for ReportError {
    fn from(e: detente_formats::DocError) -> Self {
        ReportError::Input {
            at: e.at,
            message: e.message,
        }
    }
}

/// Result with [`ReportError`].
pub type Result<T> = std::result::Result<T, ReportError>;
