//! Why a spec could not be resolved, and why a kind could not be registered.

use super::entry::ParamRange;

/// Why a spec could not be parsed or resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The registry has no kind of this name.
    #[error("unknown negotiator kind `{kind}`; known kinds: {}", known_kinds(.known))]
    UnknownKind {
        /// The kind asked for.
        kind: String,
        /// The registry's kinds, in order.
        known: Vec<String>,
    },
    /// The kind has no parameter of this name.
    #[error("negotiator `{kind}` has no parameter `{param}`; {}", known_params(.known))]
    UnknownParam {
        /// The kind.
        kind: String,
        /// The parameter asked for.
        param: String,
        /// The kind's parameters, in order.
        known: Vec<String>,
    },
    /// A parameter value is NaN, infinite or outside its range.
    #[error("parameter `{param}` of negotiator `{kind}` must be {range}, not {value}")]
    OutOfRange {
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
        /// The value given.
        value: f64,
        /// The allowed range.
        range: ParamRange,
    },
    /// A parameter value in a spec's text is not a number.
    #[error("parameter `{param}` of negotiator `{kind}` must be a number, not `{value}`")]
    NotANumber {
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
        /// The text given.
        value: String,
    },
    /// A parameter is given twice in a spec's text.
    #[error("parameter `{param}` of negotiator `{kind}` is given twice")]
    Duplicate {
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
    },
    /// A spec's text is not of the form `KIND[:NAME=VALUE[,NAME=VALUE]...]`.
    #[error(
        "invalid negotiator spec `{text}`: {problem}; expected KIND[:NAME=VALUE[,NAME=VALUE]...], \
         e.g. `boulware` or `time-based:e=0.5`"
    )]
    Malformed {
        /// The whole text.
        text: String,
        /// What is wrong with it.
        problem: &'static str,
    },
}

fn known_kinds(known: &[String]) -> String {
    if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    }
}

fn known_params(known: &[String]) -> String {
    if known.is_empty() {
        "it takes no parameters".to_string()
    } else {
        format!("known parameters: {}", known.join(", "))
    }
}

/// Why a kind could not be registered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The registry already has a kind of this name.
    #[error("negotiator kind `{kind}` is already registered")]
    DuplicateKind {
        /// The kind's name.
        kind: String,
    },
    /// The entry cannot be used as it is.
    #[error("negotiator kind `{kind}`: {problem}")]
    InvalidEntry {
        /// The kind's name.
        kind: String,
        /// What is wrong with it.
        problem: String,
    },
}
