//! What a registry knows of a kind: its numeric parameters ([`ParamInfo`]), its component
//! parameters ([`ComponentParam`], naming a kind of another registry), its constructor, and
//! the checked values a constructor gets ([`Params`]).

use std::fmt;
use std::sync::Arc;

use super::{ComponentKinds, Spec};

/// One numeric parameter of a kind.
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

/// A parameter whose value names a kind of another registry, with that kind's own parameters
/// (the opponent model of a BOA negotiator: `model=smith-frequency`,
/// `offer=time-dependent(e=0.2)`).
#[derive(Clone)]
pub struct ComponentParam {
    /// Its name in a spec.
    pub name: String,
    /// The component used when the spec does not name one.
    pub default: Spec,
    /// What it does.
    pub meaning: String,
    /// The registry its value is checked against.
    pub kinds: Arc<dyn ComponentKinds>,
}

impl ComponentParam {
    /// A component parameter: its name, the registry its value comes from, its default and
    /// what it means.
    pub fn new(
        name: impl Into<String>,
        kinds: Arc<dyn ComponentKinds>,
        default: Spec,
        meaning: impl Into<String>,
    ) -> Self {
        ComponentParam {
            name: name.into(),
            default,
            meaning: meaning.into(),
            kinds,
        }
    }
}

impl fmt::Debug for ComponentParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComponentParam")
            .field("name", &self.name)
            .field("kinds", &self.kinds.noun())
            .field("default", &self.default)
            .finish()
    }
}

impl PartialEq for ComponentParam {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.default == other.default
            && self.meaning == other.meaning
            && self.kinds.noun() == other.kinds.noun()
    }
}

/// The value of every parameter of a kind, as its constructor gets them: the spec's value, or
/// the default, each checked (numbers against their range, components against their
/// registry).
#[derive(Debug, Clone, PartialEq)]
pub struct Params<'a> {
    pub(super) kind: &'a str,
    pub(super) params: &'a [ParamInfo],
    pub(super) values: Vec<f64>,
    pub(super) component_params: &'a [ComponentParam],
    pub(super) components: Vec<Spec>,
}

impl Params<'_> {
    /// The value of numeric parameter `name`.
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

    /// The component parameter `name` names (checked against its registry).
    ///
    /// # Panics
    /// When the kind does not declare `name` as a component parameter (a mistake in the
    /// constructor's code, as for [`get`](Self::get)).
    pub fn component(&self, name: &str) -> &Spec {
        match self.component_params.iter().position(|p| p.name == name) {
            Some(i) => &self.components[i],
            None => panic!(
                "kind `{}` has no component parameter `{name}`: its constructor asks for a \
                 parameter its entry does not declare",
                self.kind
            ),
        }
    }

    /// Every numeric parameter and its value, in the kind's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.params
            .iter()
            .zip(&self.values)
            .map(|(p, v)| (p.name.as_str(), *v))
    }

    /// Every component parameter and the component it names, in the kind's order.
    pub fn components(&self) -> impl Iterator<Item = (&str, &Spec)> {
        self.component_params
            .iter()
            .zip(&self.components)
            .map(|(p, s)| (p.name.as_str(), s))
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
    /// Its numeric parameters.
    pub params: Vec<ParamInfo>,
    /// Its parameters that name a component of another registry.
    pub components: Vec<ComponentParam>,
    make: Constructor<T>,
}

impl<T: ?Sized> Clone for Entry<T> {
    fn clone(&self) -> Self {
        Entry {
            name: self.name.clone(),
            summary: self.summary.clone(),
            source: self.source.clone(),
            params: self.params.clone(),
            components: self.components.clone(),
            make: Arc::clone(&self.make),
        }
    }
}

impl<T: ?Sized> fmt::Debug for Entry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("params", &self.params)
            .field("components", &self.components)
            .finish_non_exhaustive()
    }
}

/// Whether a name can be carried by a spec's text.
pub(super) fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
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
            components: Vec::new(),
            make: Arc::new(make),
        }
    }

    /// Adds a numeric parameter.
    pub fn param(mut self, param: ParamInfo) -> Self {
        self.params.push(param);
        self
    }

    /// Adds a parameter naming a component of another registry.
    pub fn component(mut self, param: ComponentParam) -> Self {
        self.components.push(param);
        self
    }

    /// Says where the kind comes from.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The numeric parameter of this name.
    pub fn param_info(&self, name: &str) -> Option<&ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The component parameter of this name.
    pub fn component_info(&self, name: &str) -> Option<&ComponentParam> {
        self.components.iter().find(|p| p.name == name)
    }

    /// Every parameter's name, numeric ones first, each in declaration order.
    pub fn param_names(&self) -> Vec<String> {
        self.params
            .iter()
            .map(|p| p.name.clone())
            .chain(self.components.iter().map(|c| c.name.clone()))
            .collect()
    }

    /// Makes an instance from checked parameters.
    pub fn make(&self, params: &Params<'_>) -> Box<T> {
        (self.make)(params)
    }

    /// What is wrong with the entry, if anything: a name that a spec's text cannot carry, a
    /// repeated parameter, a default outside its range or not in its registry.
    pub fn problem(&self) -> Option<String> {
        if !valid_name(&self.name) {
            return Some(
                "a kind name must be letters, digits, `-`, `_` or `.`, and not empty".into(),
            );
        }
        let names = self.param_names();
        for (i, name) in names.iter().enumerate() {
            if !valid_name(name) {
                return Some(format!(
                    "parameter `{name}`: a parameter name must be letters, digits, `-`, `_` or \
                     `.`, and not empty"
                ));
            }
            if names[..i].contains(name) {
                return Some(format!("parameter `{name}` is declared twice"));
            }
        }
        for p in &self.params {
            if !p.allows(p.default) {
                return Some(format!(
                    "the default {} of parameter `{}` is not {}",
                    p.default,
                    p.name,
                    p.range()
                ));
            }
        }
        for c in &self.components {
            if let Err(e) = c.kinds.validate(&c.default) {
                return Some(format!(
                    "the default `{}` of parameter `{}` is not valid: {e}",
                    c.default, c.name
                ));
            }
        }
        None
    }
}
