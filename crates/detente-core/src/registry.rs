//! Open registries: named kinds of pluggable behaviour (negotiators, mediator strategies),
//! each entry holding its parameters and its constructor, so that a kind a user registers
//! works wherever a built-in one does.
//!
//! A [`Spec`] names a kind and gives numeric parameters (`boulware`, `time-based:e=0.5`,
//! `informed`); a [`Registry`] checks it against the kind's [`ParamInfo`]s, fills in defaults
//! and calls the constructor. Specs are plain data (scenario files and plans hold them);
//! registries are values the caller passes down (cheap to clone, shareable across threads).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Which kind, with what parameters: plain data, resolved by a [`Registry`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    /// The kind's name, as the registry knows it (e.g. `boulware`, `informed`).
    pub kind: String,
    /// Numeric parameters by name.
    pub params: BTreeMap<String, f64>,
}

impl Spec {
    /// A spec with no parameters.
    pub fn new(kind: impl Into<String>) -> Self {
        Spec {
            kind: kind.into(),
            params: BTreeMap::new(),
        }
    }

    /// Adds a parameter.
    pub fn with(mut self, name: impl Into<String>, value: f64) -> Self {
        self.params.insert(name.into(), value);
        self
    }
}

/// Writes the spec syntax `KIND[:NAME=VALUE[,NAME=VALUE]...]` that [`Registry::parse_spec`]
/// reads back.
impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)?;
        for (i, (k, v)) in self.params.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { ':' } else { ',' })?;
        }
        Ok(())
    }
}

/// One parameter of a kind.
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
    /// A parameter with its default, its allowed range `[min, max]` (`max` may be infinity)
    /// and what it means.
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

impl Params<'_> {
    /// The value of parameter `name`.
    ///
    /// # Panics
    /// When the kind does not declare `name`: its constructor asks for a parameter its entry
    /// does not list, a mistake in its code that its first test shows.
    pub fn get(&self, name: &str) -> f64 {
        match self.params.iter().position(|p| p.name == name) {
            Some(i) => self.values[i],
            None => panic!(
                "kind `{}` has no parameter `{name}`: its constructor asks for a parameter its \
                 entry does not declare",
                self.kind
            ),
        }
    }

    /// Every parameter and its value, in the kind's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.params
            .iter()
            .zip(&self.values)
            .map(|(p, v)| (p.name.as_str(), *v))
    }
}

/// Makes one instance of a kind from its checked parameters.
pub type Constructor<T> = Arc<dyn Fn(&Params<'_>) -> Box<T> + Send + Sync>;

/// A kind a registry knows: its name, what it does, its parameters and its constructor.
pub struct Entry<T: ?Sized> {
    /// Its name in a spec.
    pub name: String,
    /// One line on what it does.
    pub summary: String,
    /// Where it comes from (a paper, a competition), if anywhere.
    pub source: Option<String>,
    /// Its parameters.
    pub params: Vec<ParamInfo>,
    make: Constructor<T>,
}

impl<T: ?Sized> Clone for Entry<T> {
    fn clone(&self) -> Self {
        Entry {
            name: self.name.clone(),
            summary: self.summary.clone(),
            source: self.source.clone(),
            params: self.params.clone(),
            make: Arc::clone(&self.make),
        }
    }
}

impl<T: ?Sized> fmt::Debug for Entry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl<T: ?Sized> Entry<T> {
    /// An entry with no parameters and no source.
    pub fn new(
        name: impl Into<String>,
        summary: impl Into<String>,
        make: impl Fn(&Params<'_>) -> Box<T> + Send + Sync + 'static,
    ) -> Self {
        Entry {
            name: name.into(),
            summary: summary.into(),
            source: None,
            params: Vec::new(),
            make: Arc::new(make),
        }
    }

    /// Adds a parameter.
    pub fn param(mut self, param: ParamInfo) -> Self {
        self.params.push(param);
        self
    }

    /// Says where the kind comes from.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The parameter of this name.
    pub fn param_info(&self, name: &str) -> Option<&ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Makes an instance from checked parameters.
    pub fn make(&self, params: &Params<'_>) -> Box<T> {
        (self.make)(params)
    }

    /// What is wrong with the entry, if anything: a name that a spec's text cannot carry, a
    /// repeated parameter, a default outside its range.
    pub fn problem(&self) -> Option<String> {
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
        None
    }
}

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

/// Named kinds of `T` (e.g. `dyn Negotiator`), in the order they were registered.
pub struct Registry<T: ?Sized> {
    noun: &'static str,
    example: Option<String>,
    entries: Arc<Vec<Entry<T>>>,
}

impl<T: ?Sized> Clone for Registry<T> {
    fn clone(&self) -> Self {
        Registry {
            noun: self.noun,
            example: self.example.clone(),
            entries: Arc::clone(&self.entries),
        }
    }
}

impl<T: ?Sized> fmt::Debug for Registry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("noun", &self.noun)
            .field("kinds", &self.names().collect::<Vec<_>>())
            .finish()
    }
}

impl<T: ?Sized> Registry<T> {
    /// An empty registry of things called `noun` in messages (`negotiator`, `mediator`).
    pub fn new(noun: &'static str) -> Self {
        Registry {
            noun,
            example: None,
            entries: Arc::new(Vec::new()),
        }
    }

    /// Sets the examples a malformed spec's message gives (e.g. `` `boulware` or
    /// `time-based:e=0.5` ``); by default, the first kind and the first kind with a parameter.
    pub fn with_example(mut self, example: impl Into<String>) -> Self {
        self.example = Some(example.into());
        self
    }

    /// What the registry holds, as messages name it.
    pub fn noun(&self) -> &'static str {
        self.noun
    }

    /// Adds a kind after those already known. Refuses a name already registered, and an entry
    /// a spec could not use ([`Entry::problem`]).
    pub fn register(&mut self, entry: Entry<T>) -> Result<(), RegisterError> {
        if self.get(&entry.name).is_some() {
            return Err(RegisterError::DuplicateKind {
                noun: self.noun,
                kind: entry.name,
            });
        }
        if let Some(problem) = entry.problem() {
            return Err(RegisterError::InvalidEntry {
                noun: self.noun,
                kind: entry.name,
                problem,
            });
        }
        Arc::make_mut(&mut self.entries).push(entry);
        Ok(())
    }

    /// Adds a kind, builder style.
    ///
    /// # Panics
    /// When the name is taken (for registries built in code, where that is a bug).
    pub fn with(mut self, entry: Entry<T>) -> Self {
        let name = entry.name.clone();
        if let Err(e) = self.register(entry) {
            panic!("cannot register `{name}`: {e}");
        }
        self
    }

    /// The entry of a kind.
    pub fn get(&self, kind: &str) -> Option<&Entry<T>> {
        self.entries.iter().find(|e| e.name == kind)
    }

    /// Every kind, in registration order.
    pub fn list(&self) -> &[Entry<T>] {
        &self.entries
    }

    /// The kinds' names, in registration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.name.as_str())
    }

    /// Checks a spec and returns its entry and every parameter (given, or defaulted).
    pub fn resolve(&self, spec: &Spec) -> Result<(&Entry<T>, Params<'_>), SpecError> {
        let entry = self.get(&spec.kind).ok_or_else(|| SpecError::UnknownKind {
            noun: self.noun,
            kind: spec.kind.clone(),
            known: self.names().map(str::to_string).collect(),
        })?;
        if let Some(name) = spec
            .params
            .keys()
            .find(|name| !entry.params.iter().any(|p| &p.name == *name))
        {
            return Err(SpecError::UnknownParam {
                noun: self.noun,
                kind: spec.kind.clone(),
                param: name.clone(),
                known: entry.params.iter().map(|p| p.name.clone()).collect(),
            });
        }
        let mut values = Vec::with_capacity(entry.params.len());
        for p in &entry.params {
            let v = spec.params.get(&p.name).copied().unwrap_or(p.default);
            if !p.allows(v) {
                return Err(SpecError::OutOfRange {
                    noun: self.noun,
                    kind: spec.kind.clone(),
                    param: p.name.clone(),
                    value: v,
                    range: p.range(),
                });
            }
            values.push(v);
        }
        let params = Params {
            kind: &entry.name,
            params: &entry.params,
            values,
        };
        Ok((entry, params))
    }

    /// Checks that a spec names a known kind with known parameters in range.
    pub fn validate(&self, spec: &Spec) -> Result<(), SpecError> {
        self.resolve(spec).map(|_| ())
    }

    /// Makes what a spec describes.
    pub fn create(&self, spec: &Spec) -> Result<Box<T>, SpecError> {
        let (entry, params) = self.resolve(spec)?;
        Ok(entry.make(&params))
    }

    /// Parses the syntax `KIND[:NAME=VALUE[,NAME=VALUE]...]` (e.g. `boulware`,
    /// `time-based:e=0.5`; spaces around the parts are ignored) and checks the result against
    /// the registry. [`Spec`]'s `Display` writes this syntax, so `parse_spec(&spec.to_string())`
    /// gives `spec` back.
    pub fn parse_spec(&self, text: &str) -> Result<Spec, SpecError> {
        let spec = self.parse_syntax(text)?;
        self.validate(&spec)?;
        Ok(spec)
    }

    /// Reads the text form of a spec without checking it against the registry's kinds (for
    /// files read before the registry a run will use is known; [`validate`](Self::validate)
    /// checks the spec then).
    pub fn parse_syntax(&self, text: &str) -> Result<Spec, SpecError> {
        parse_spec_text(self.noun, &self.example(), text)
    }

    /// Examples of specs for messages.
    fn example(&self) -> String {
        if let Some(example) = &self.example {
            return example.clone();
        }
        let first = self.entries.first().map_or("KIND", |e| e.name.as_str());
        match self.entries.iter().find(|e| !e.params.is_empty()) {
            Some(e) => format!(
                "`{first}` or `{}:{}={}`",
                e.name, e.params[0].name, e.params[0].default
            ),
            None => format!("`{first}`"),
        }
    }
}

/// The syntax of [`Registry::parse_spec`], without checking against a registry.
fn parse_spec_text(noun: &'static str, example: &str, text: &str) -> Result<Spec, SpecError> {
    let malformed = |problem| SpecError::Malformed {
        noun,
        text: text.to_string(),
        problem,
        example: example.to_string(),
    };
    let (kind, rest) = match text.split_once(':') {
        Some((k, r)) => (k.trim(), Some(r)),
        None => (text.trim(), None),
    };
    if kind.is_empty() {
        return Err(malformed("the kind is missing"));
    }
    let mut spec = Spec::new(kind);
    for item in rest.into_iter().flat_map(|r| r.split(',')) {
        let Some((name, value)) = item.split_once('=') else {
            return Err(malformed("a parameter is not written NAME=VALUE"));
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return Err(malformed("a parameter name is missing"));
        }
        let x: f64 = value.parse().map_err(|_| SpecError::NotANumber {
            noun,
            kind: kind.to_string(),
            param: name.to_string(),
            value: value.to_string(),
        })?;
        if spec.params.insert(name.to_string(), x).is_some() {
            return Err(SpecError::Duplicate {
                noun,
                kind: kind.to_string(),
                param: name.to_string(),
            });
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Shape: Send {
        fn area(&self) -> f64;
    }
    struct Square(f64);
    impl Shape for Square {
        fn area(&self) -> f64 {
            self.0 * self.0
        }
    }

    fn shapes() -> Registry<dyn Shape> {
        Registry::new("shape")
            .with(
                Entry::new("square", "a square", |p: &Params<'_>| {
                    Box::new(Square(p.get("side"))) as Box<dyn Shape>
                })
                .param(ParamInfo::new(
                    "side",
                    1.0,
                    0.0,
                    f64::INFINITY,
                    "its side",
                )),
            )
            .with(Entry::new("unit", "a unit square", |_: &Params<'_>| {
                Box::new(Square(1.0)) as Box<dyn Shape>
            }))
    }

    #[test]
    fn specs_resolve_with_defaults_and_round_trip() {
        let r = shapes();
        assert_eq!(r.create(&Spec::new("square")).unwrap().area(), 1.0);
        let spec = r.parse_spec(" square : side = 3 ").unwrap();
        assert_eq!(r.create(&spec).unwrap().area(), 9.0);
        assert_eq!(r.parse_spec(&spec.to_string()).unwrap(), spec);
    }

    #[test]
    fn messages_say_what_is_known() {
        let r = shapes();
        let e = |t: &str| r.parse_spec(t).unwrap_err().to_string();
        assert_eq!(
            e("circle"),
            "unknown shape kind `circle`; known kinds: square, unit"
        );
        assert_eq!(
            e("square:r=1"),
            "shape `square` has no parameter `r`; known parameters: side"
        );
        assert_eq!(
            e("unit:side=1"),
            "shape `unit` has no parameter `side`; it takes no parameters"
        );
        assert_eq!(
            e("square:side=-1"),
            "parameter `side` of shape `square` must be a finite number >= 0, not -1"
        );
        assert_eq!(
            e("square:side=x"),
            "parameter `side` of shape `square` must be a number, not `x`"
        );
        assert_eq!(
            e("square:side=1,side=2"),
            "parameter `side` of shape `square` is given twice"
        );
        assert_eq!(
            e(":side=1"),
            "invalid shape spec `:side=1`: the kind is missing; expected \
             KIND[:NAME=VALUE[,NAME=VALUE]...], e.g. `square` or `square:side=1`"
        );
    }

    #[test]
    fn registering_twice_is_refused_and_clones_are_independent() {
        let base = shapes();
        let mut more = base.clone();
        let again = Entry::new("unit", "again", |_: &Params<'_>| {
            Box::new(Square(2.0)) as Box<dyn Shape>
        });
        assert_eq!(
            more.register(again).unwrap_err().to_string(),
            "shape kind `unit` is already registered"
        );
        more.register(Entry::new("big", "a big square", |_: &Params<'_>| {
            Box::new(Square(10.0)) as Box<dyn Shape>
        }))
        .unwrap();
        assert_eq!(more.names().collect::<Vec<_>>(), ["square", "unit", "big"]);
        let bad = Entry::new("no spaces", "", |_: &Params<'_>| {
            Box::new(Square(0.0)) as Box<dyn Shape>
        });
        assert!(
            more.register(bad)
                .unwrap_err()
                .to_string()
                .contains("letters, digits")
        );
        let bad = Entry::new("x", "", |_: &Params<'_>| {
            Box::new(Square(0.0)) as Box<dyn Shape>
        })
        .param(ParamInfo::new("side", -1.0, 0.0, 1.0, "its side"));
        assert_eq!(
            more.register(bad).unwrap_err().to_string(),
            "shape kind `x`: the default -1 of parameter `side` is not a number in [0, 1]"
        );
        assert_eq!(
            Registry::<dyn Shape>::new("shape")
                .parse_spec("unit")
                .unwrap_err()
                .to_string(),
            "unknown shape kind `unit`; known kinds: none"
        );
        assert_eq!(base.names().collect::<Vec<_>>(), ["square", "unit"]);
    }
}
