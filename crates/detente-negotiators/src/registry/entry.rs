//! What the registry knows of one negotiator kind: its name, what it does, its parameters and
//! how to build it.

use std::fmt;
use std::sync::Arc;

use detente_core::Negotiator;

/// One numeric parameter of a negotiator kind.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Its name in a spec.
    pub name: String,
    /// Value used when the spec does not give one.
    pub default: f64,
    /// Smallest allowed value (inclusive).
    pub min: f64,
    /// Largest allowed value (inclusive; infinity means any finite value at or above `min`).
    pub max: f64,
    /// What it does.
    pub meaning: String,
}

impl ParamInfo {
    /// A parameter allowing every finite value in `[min, max]` (`max` may be infinite).
    pub fn new(
        name: impl Into<String>,
        default: f64,
        min: f64,
        max: f64,
        meaning: impl Into<String>,
    ) -> Self {
        ParamInfo {
            name: name.into(),
            default,
            min,
            max,
            meaning: meaning.into(),
        }
    }

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

/// An allowed range of a parameter, displayed as `a number in [min, max]` or
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

/// The value of every parameter of a kind, as its constructor gets them: the spec's value, or
/// the default, each checked against its range.
#[derive(Debug, Clone, PartialEq)]
pub struct Params<'a> {
    kind: &'a str,
    params: &'a [ParamInfo],
    values: Vec<f64>,
}

impl<'a> Params<'a> {
    /// `values` in the order of `params`.
    pub(crate) fn new(kind: &'a str, params: &'a [ParamInfo], values: Vec<f64>) -> Self {
        Params {
            kind,
            params,
            values,
        }
    }

    /// The value of parameter `name`.
    ///
    /// # Panics
    ///
    /// When the kind does not declare `name`: the kind's entry asks for a parameter it does
    /// not list, a mistake in its code that its first test shows.
    pub fn get(&self, name: &str) -> f64 {
        match self.params.iter().position(|p| p.name == name) {
            Some(i) => self.values[i],
            None => panic!(
                "negotiator kind `{}` has no parameter `{name}`: its constructor asks for a \
                 parameter its entry does not declare",
                self.kind
            ),
        }
    }
}

/// Where a kind playing the time-dependent tactic (Faratin et al., [`crate::TimeBased`]) takes
/// its concession exponent from. Sweeps read it to vary and jitter exponents.
#[derive(Debug, Clone, PartialEq)]
pub enum Exponent {
    /// The kind's parameter of this name.
    Param(String),
    /// A fixed value (`linear`: 1).
    Fixed(f64),
}

/// Builds a fresh negotiator of a kind from its parameter values.
pub type Constructor = Arc<dyn Fn(&Params<'_>) -> Box<dyn Negotiator> + Send + Sync>;

/// A negotiator kind: everything the registry knows of it, in one place.
///
/// ```
/// use detente_negotiators::{Exponent, KindEntry, ParamInfo, TimeBased};
///
/// let entry = KindEntry::new("slow", "time-based at a slow pace", |p| {
///     Box::new(TimeBased::new(p.get("e")))
/// })
/// .param(ParamInfo::new("e", 0.1, 0.0, 0.5, "concession exponent"))
/// .exponent(Exponent::Param("e".into()));
/// assert_eq!(entry.name, "slow");
/// ```
#[derive(Clone)]
pub struct KindEntry {
    /// Its name in a spec: letters, digits, `-`, `_` and `.`.
    pub name: String,
    /// One line on what it does.
    pub summary: String,
    /// Its parameters, in order.
    pub params: Vec<ParamInfo>,
    /// Set when it plays the time-dependent tactic: where its concession exponent comes from.
    pub exponent: Option<Exponent>,
    constructor: Constructor,
}

impl KindEntry {
    /// A kind without parameters, built by `constructor`.
    pub fn new(
        name: impl Into<String>,
        summary: impl Into<String>,
        constructor: impl Fn(&Params<'_>) -> Box<dyn Negotiator> + Send + Sync + 'static,
    ) -> Self {
        KindEntry {
            name: name.into(),
            summary: summary.into(),
            params: Vec::new(),
            exponent: None,
            constructor: Arc::new(constructor),
        }
    }

    /// Adds a parameter.
    pub fn param(mut self, param: ParamInfo) -> Self {
        self.params.push(param);
        self
    }

    /// Marks the kind as playing the time-dependent tactic, with its exponent from `exponent`.
    pub fn exponent(mut self, exponent: Exponent) -> Self {
        self.exponent = Some(exponent);
        self
    }

    /// The parameter of this name.
    pub fn param_info(&self, name: &str) -> Option<&ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Builds a negotiator from checked parameter values.
    pub(crate) fn build(&self, params: &Params<'_>) -> Box<dyn Negotiator> {
        (self.constructor)(params)
    }

    /// What is wrong with the entry, if anything: a name that a spec's text cannot carry, a
    /// repeated or unnamed parameter, a default outside its range, an exponent parameter it
    /// does not declare.
    pub(crate) fn problem(&self) -> Option<String> {
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if !valid(&self.name) {
            return Some(
                "a kind name must be letters, digits, `-`, `_` or `.`, and not empty".into(),
            );
        }
        for (i, p) in self.params.iter().enumerate() {
            if !valid(&p.name) {
                return Some(format!(
                    "parameter `{}`: a parameter name must be letters, digits, `-`, `_` or \
                     `.`, and not empty",
                    p.name
                ));
            }
            if self.params[..i].iter().any(|q| q.name == p.name) {
                return Some(format!("parameter `{}` is declared twice", p.name));
            }
            if !p.allows(p.default) {
                return Some(format!(
                    "the default {} of parameter `{}` is not {}",
                    p.default,
                    p.name,
                    p.range()
                ));
            }
        }
        match &self.exponent {
            Some(Exponent::Param(name)) if self.param_info(name).is_none() => Some(format!(
                "its exponent is parameter `{name}`, which it does not declare"
            )),
            Some(Exponent::Fixed(e)) if !(e.is_finite() && *e >= 0.0) => Some(format!(
                "its fixed exponent must be a finite number >= 0, not {e}"
            )),
            _ => None,
        }
    }
}

impl fmt::Debug for KindEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KindEntry")
            .field("name", &self.name)
            .field("summary", &self.summary)
            .field("params", &self.params)
            .field("exponent", &self.exponent)
            .finish_non_exhaustive()
    }
}
