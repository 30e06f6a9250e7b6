//! The analysis crate's error type.

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The space would have to be enumerated, and it has more outcomes than the limit.
    #[error(
        "the outcome space has {count} outcomes, more than the enumeration limit of {limit}; {why}"
    )]
    TooLarge {
        /// The outcome count, as text.
        count: String,
        /// The limit in force ([`crate::AnalysisConfig::enumeration_limit`]).
        limit: u64,
        /// Why the issue-by-issue path (which needs no enumeration) could not be used.
        why: String,
    },
    /// The issue-by-issue construction kept more partial outcomes than allowed.
    #[error(
        "the issue-by-issue Pareto construction needs more than {limit} partial outcomes after issue `{issue}`: the frontier is too large to list"
    )]
    FrontierTooLarge {
        /// The limit in force ([`crate::AnalysisConfig::candidate_limit`]).
        limit: usize,
        /// The issue being merged when the limit was reached.
        issue: String,
    },
    /// The issue-by-issue path was asked for, but a party's utility is not linear additive
    /// with tabulated issues.
    #[error("the issue-by-issue path needs linear additive utilities: {0}")]
    NotLinear(String),
    /// No parties (no utility vectors) were given.
    #[error("an analysis needs at least one party")]
    NoParties,
    /// Utility vectors of different lengths were given.
    #[error("party #{party} has {len} utilities, party #1 has {expected}")]
    Ragged {
        /// The party (1-based).
        party: usize,
        /// Its number of utilities.
        len: usize,
        /// Party 1's number of utilities.
        expected: usize,
    },
    /// A per-party argument (reservation values, maxima) has the wrong length.
    #[error("{what} has {len} entries for {n_parties} parties")]
    WrongArity {
        /// Which argument.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The number of parties.
        n_parties: usize,
    },
    /// A candidate position is outside the utility vectors.
    #[error("candidate position {index} is outside the {len} utilities given")]
    BadIndex {
        /// The position.
        index: usize,
        /// The number of utilities per party.
        len: usize,
    },
    /// A utility or reservation value is NaN or infinite.
    #[error("party #{party} has the non-finite utility {value} at position {index}")]
    NotFinite {
        /// The party (1-based).
        party: usize,
        /// The position (outcome id, or index of the vector).
        index: u64,
        /// The offending value.
        value: f64,
    },
    /// The engine refused an input.
    #[error(transparent)]
    Core(#[from] detente_core::Error),
    /// A trace's events could not be replayed on its scenario (see
    /// [`detente_core::dynamics::replay`]).
    #[error(transparent)]
    Replay(#[from] detente_core::dynamics::ReplayError),
}

/// Result with [`AnalysisError`].
pub type Result<T, E = AnalysisError> = std::result::Result<T, E>;
