//! Why a spec could not be parsed, resolved or registered: every message names the kind, the
//! parameter and what is allowed.

use super::entry::ParamRange;

/// Why a spec could not be parsed, resolved or registered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The kind is not in the registry.
    #[error("unknown {noun} kind `{kind}`; known kinds: {}", known_kinds(.known))]
    UnknownKind {
        /// What the registry holds (`negotiator`, `mediator`).
        noun: &'static str,
        /// The kind asked for.
        kind: String,
        /// The registry's kinds, in order.
        known: Vec<String>,
    },
    /// The kind has no parameter of this name.
    #[error("{noun} `{kind}` has no parameter `{param}`; {}", known_params(.known))]
    UnknownParam {
        /// What the registry holds.
        noun: &'static str,
        /// The kind.
        kind: String,
        /// The parameter asked for.
        param: String,
        /// The kind's parameters, in order.
        known: Vec<String>,
    },
    /// A parameter value is NaN, infinite or outside its range.
    #[error("parameter `{param}` of {noun} `{kind}` must be {range}, not {value}")]
    OutOfRange {
        /// What the registry holds.
        noun: &'static str,
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
    #[error("parameter `{param}` of {noun} `{kind}` must be a number, not `{value}`")]
    NotANumber {
        /// What the registry holds.
        noun: &'static str,
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
        /// The text given.
        value: String,
    },
    /// A component parameter is given a number.
    #[error(
        "parameter `{param}` of {noun} `{kind}` must name a {expected} kind, not the number {value}"
    )]
    NotAComponent {
        /// What the registry holds.
        noun: &'static str,
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
        /// What the parameter's registry holds (`opponent model`).
        expected: &'static str,
        /// The number given.
        value: f64,
    },
    /// The component a parameter names is wrong (an unknown kind, a bad parameter of its own).
    #[error("parameter `{param}` of {noun} `{kind}`: {source}")]
    InComponent {
        /// What the registry holds.
        noun: &'static str,
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
        /// What is wrong with the component.
        source: Box<SpecError>,
    },
    /// A parameter is given twice in a spec's text.
    #[error("parameter `{param}` of {noun} `{kind}` is given twice")]
    Duplicate {
        /// What the registry holds.
        noun: &'static str,
        /// The kind.
        kind: String,
        /// The parameter.
        param: String,
    },
    /// A spec's text is not of the form `KIND[:NAME=VALUE[,NAME=VALUE]...]`.
    #[error(
        "invalid {noun} spec `{text}`: {problem}; expected KIND[:NAME=VALUE[,NAME=VALUE]...], \
         e.g. {example}"
    )]
    Malformed {
        /// What the registry holds.
        noun: &'static str,
        /// The whole text.
        text: String,
        /// What is wrong with it.
        problem: &'static str,
        /// Examples of well-formed specs, in words.
        example: String,
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
    #[error("{noun} kind `{kind}` is already registered")]
    DuplicateKind {
        /// What the registry holds.
        noun: &'static str,
        /// The kind's name.
        kind: String,
    },
    /// The entry cannot be used as it is.
    #[error("{noun} kind `{kind}`: {problem}")]
    InvalidEntry {
        /// What the registry holds.
        noun: &'static str,
        /// The kind's name.
        kind: String,
        /// What is wrong with it.
        problem: String,
    },
}
