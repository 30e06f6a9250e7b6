//! The registry: turns a [`NegotiatorSpec`] (a kind name and numeric parameters, e.g. from a
//! scenario file or the command line) into a running negotiator, and lists what exists.

use std::collections::BTreeMap;
use std::fmt;

use detente_core::{Negotiator, NegotiatorSpec};

use crate::{Hardliner, RandomNegotiator, TimeBased, TitForTat};

/// One parameter of a negotiator kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamInfo {
    /// Its name in a spec.
    pub name: &'static str,
    /// Value used when the spec does not give one.
    pub default: f64,
    /// Smallest allowed value (inclusive).
    pub min: f64,
    /// Largest allowed value (inclusive; infinity means any finite value at or above `min`).
    pub max: f64,
    /// What it does.
    pub meaning: &'static str,
}

impl ParamInfo {
    /// Whether `value` is allowed: finite and within `[min, max]`.
    pub fn allows(&self, value: f64) -> bool {
        value.is_finite() && value >= self.min && value <= self.max
    }

    /// The allowed range, in words.
    pub fn range(&self) -> ParamRange {
        ParamRange {
            min: self.min,
            max: self.max,
        }
    }
}

/// An allowed range of a parameter, displayed as `a finite number in [min, max]` or
/// `a finite number >= min`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamRange {
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value (infinity: no upper bound).
    pub max: f64,
}

impl fmt::Display for ParamRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.max == f64::INFINITY {
            write!(f, "a finite number >= {}", self.min)
        } else {
            write!(f, "a number in [{}, {}]", self.min, self.max)
        }
    }
}

/// A negotiator kind the registry knows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindInfo {
    /// Its name in a spec.
    pub name: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// Its parameters.
    pub params: &'static [ParamInfo],
}

/// Why a spec could not be parsed or resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The kind is not in the catalogue.
    #[error("unknown negotiator kind `{kind}`; known kinds: {}", known_kinds())]
    UnknownKind {
        /// The kind asked for.
        kind: String,
    },
    /// The kind has no parameter of this name.
    #[error("negotiator `{kind}` has no parameter `{param}`; {}", known_params(.kind))]
    UnknownParam {
        /// The kind.
        kind: String,
        /// The parameter asked for.
        param: String,
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

const E_MEANING: &str = "concession exponent: 0 never concedes, below 1 concedes late (Boulware), \
                         1 linearly, above 1 early (Conceder)";

static CATALOGUE: [KindInfo; 7] = [
    KindInfo {
        name: "time-based",
        summary: "concedes from its best utility towards its reservation value as time passes \
                  (Faratin et al.), at a rate set by e",
        params: &[ParamInfo {
            name: "e",
            default: 1.0,
            min: 0.0,
            max: f64::INFINITY,
            meaning: E_MEANING,
        }],
    },
    KindInfo {
        name: "boulware",
        summary: "time-based with e below 1: holds out, then concedes near the deadline",
        params: &[ParamInfo {
            name: "e",
            default: 0.2,
            min: 0.0,
            max: 1.0,
            meaning: E_MEANING,
        }],
    },
    KindInfo {
        name: "linear",
        summary: "time-based with e = 1: concedes at a constant rate",
        params: &[],
    },
    KindInfo {
        name: "conceder",
        summary: "time-based with e above 1: concedes early",
        params: &[ParamInfo {
            name: "e",
            default: 2.0,
            min: 1.0,
            max: f64::INFINITY,
            meaning: E_MEANING,
        }],
    },
    KindInfo {
        name: "hardliner",
        summary: "always offers its best outcome and accepts nothing worse",
        params: &[],
    },
    KindInfo {
        name: "random",
        summary: "offers random outcomes at or above its reservation value; accepts an offer \
                  with the probability that its own random offer would be no better",
        params: &[],
    },
    KindInfo {
        name: "tit-for-tat",
        summary: "relative tit-for-tat: concedes as much as the least conceding other party \
                  conceded since its last turn, measured in its own utility",
        params: &[ParamInfo {
            name: "factor",
            default: 1.0,
            min: 0.0,
            max: f64::INFINITY,
            meaning: "share of the others' concession it mirrors",
        }],
    },
];

/// Every kind the registry can create, in a fixed order.
pub fn catalogue() -> &'static [KindInfo] {
    &CATALOGUE
}

/// The catalogue entry of a kind.
pub fn kind_info(kind: &str) -> Option<&'static KindInfo> {
    CATALOGUE.iter().find(|k| k.name == kind)
}

fn known_kinds() -> String {
    CATALOGUE
        .iter()
        .map(|k| k.name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn known_params(kind: &str) -> String {
    match kind_info(kind) {
        Some(k) if k.params.is_empty() => "it takes no parameters".to_string(),
        Some(k) => format!(
            "known parameters: {}",
            k.params
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!("known kinds: {}", known_kinds()),
    }
}

/// Checks a spec against the catalogue and returns every parameter's value (the given one or
/// its default), in the kind's parameter order.
fn resolve(spec: &NegotiatorSpec) -> Result<(&'static KindInfo, Vec<f64>), SpecError> {
    let info = kind_info(&spec.kind).ok_or_else(|| SpecError::UnknownKind {
        kind: spec.kind.clone(),
    })?;
    if let Some(name) = spec
        .params
        .keys()
        .find(|name| !info.params.iter().any(|p| p.name == name.as_str()))
    {
        return Err(SpecError::UnknownParam {
            kind: spec.kind.clone(),
            param: name.clone(),
        });
    }
    let mut values = Vec::with_capacity(info.params.len());
    for p in info.params {
        let v = spec.params.get(p.name).copied().unwrap_or(p.default);
        if !p.allows(v) {
            return Err(SpecError::OutOfRange {
                kind: spec.kind.clone(),
                param: p.name.to_string(),
                value: v,
                range: p.range(),
            });
        }
        values.push(v);
    }
    Ok((info, values))
}

/// Checks that a spec names a known kind with known parameters in range.
pub fn validate(spec: &NegotiatorSpec) -> Result<(), SpecError> {
    resolve(spec).map(|_| ())
}

/// Creates the negotiator a spec describes.
pub fn create(spec: &NegotiatorSpec) -> Result<Box<dyn Negotiator>, SpecError> {
    let (info, v) = resolve(spec)?;
    Ok(match info.name {
        "time-based" | "boulware" | "conceder" => Box::new(TimeBased::new(v[0])),
        "linear" => Box::new(TimeBased::new(1.0)),
        "hardliner" => Box::new(Hardliner::new()),
        "random" => Box::new(RandomNegotiator::new()),
        "tit-for-tat" => Box::new(TitForTat::new(v[0])),
        other => unreachable!("catalogue kind `{other}` has no constructor"),
    })
}

/// Parses the command-line syntax `KIND[:NAME=VALUE[,NAME=VALUE]...]` (e.g. `boulware`,
/// `time-based:e=0.5`, `tit-for-tat:factor=0.8`; spaces around the parts are ignored) and
/// checks the result against the catalogue. [`NegotiatorSpec`]'s `Display` writes this syntax,
/// so `parse_spec(&spec.to_string())` gives `spec` back.
pub fn parse_spec(text: &str) -> Result<NegotiatorSpec, SpecError> {
    let malformed = |problem| SpecError::Malformed {
        text: text.to_string(),
        problem,
    };
    let (kind, rest) = match text.split_once(':') {
        Some((k, r)) => (k.trim(), Some(r)),
        None => (text.trim(), None),
    };
    if kind.is_empty() {
        return Err(malformed("the kind is missing"));
    }
    let mut params = BTreeMap::new();
    if let Some(rest) = rest {
        for item in rest.split(',') {
            let Some((name, value)) = item.split_once('=') else {
                return Err(malformed("a parameter is not written NAME=VALUE"));
            };
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() {
                return Err(malformed("a parameter name is missing"));
            }
            let x: f64 = value.parse().map_err(|_| SpecError::NotANumber {
                kind: kind.to_string(),
                param: name.to_string(),
                value: value.to_string(),
            })?;
            if params.insert(name.to_string(), x).is_some() {
                return Err(SpecError::Duplicate {
                    kind: kind.to_string(),
                    param: name.to_string(),
                });
            }
        }
    }
    let spec = NegotiatorSpec {
        kind: kind.to_string(),
        params,
    };
    validate(&spec)?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_list_what_is_known() {
        let e = create(&NegotiatorSpec::new("boulwar")).err().unwrap();
        assert_eq!(
            e.to_string(),
            "unknown negotiator kind `boulwar`; known kinds: time-based, boulware, linear, \
             conceder, hardliner, random, tit-for-tat"
        );
        let e = parse_spec("boulware:f=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "negotiator `boulware` has no parameter `f`; known parameters: e"
        );
        let e = parse_spec("linear:e=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "negotiator `linear` has no parameter `e`; it takes no parameters"
        );
        let e = parse_spec("time-based:e=-1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `e` of negotiator `time-based` must be a finite number >= 0, not -1"
        );
        let e = parse_spec("boulware:e=2").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `e` of negotiator `boulware` must be a number in [0, 1], not 2"
        );
        let e = parse_spec("conceder:e=abc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `e` of negotiator `conceder` must be a number, not `abc`"
        );
    }
}
