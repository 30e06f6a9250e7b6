//! The registry: the negotiator kinds a run can use. It turns a [`NegotiatorSpec`] (a kind name
//! and numeric parameters, e.g. from a scenario file, a plan or the command line) into a
//! running negotiator, and lists what exists.
//!
//! [`Registry::builtin`] holds the kinds of this crate; [`Registry::register`] adds a kind of
//! your own, which then works wherever a built-in one does (plans, sweeps, the command line).

mod entry;
mod error;
mod parse;

use std::sync::Arc;

use detente_core::{Negotiator, NegotiatorSpec};

pub use entry::{Constructor, Exponent, KindEntry, ParamInfo, ParamRange, Params};
pub use error::{RegisterError, SpecError};

use crate::{Hardliner, RandomNegotiator, TimeBased, TitForTat};

/// The negotiator kinds a run can use, in registration order. Cloning is cheap (the kinds are
/// shared), and a registry can be shared between threads.
///
/// ```
/// use detente_core::NegotiatorSpec;
/// use detente_negotiators::{Hardliner, KindEntry, Registry};
///
/// let mut registry = Registry::builtin();
/// registry
///     .register(KindEntry::new("stubborn", "never concedes", |_| Box::new(Hardliner::new())))
///     .unwrap();
/// let spec = registry.parse_spec("stubborn").unwrap();
/// assert!(registry.create(&spec).is_ok());
/// assert!(registry.create(&NegotiatorSpec::new("stubborn").with("e", 1.0)).is_err());
/// ```
#[derive(Clone, Default)]
pub struct Registry {
    kinds: Arc<Vec<KindEntry>>,
}

impl Registry {
    /// A registry without kinds.
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in kinds: `time-based`, `boulware`, `linear`, `conceder`, `hardliner`,
    /// `random`, `tit-for-tat`, in this order.
    pub fn builtin() -> Self {
        let mut entries = TimeBased::entries();
        entries.push(Hardliner::entry());
        entries.push(RandomNegotiator::entry());
        entries.push(TitForTat::entry());
        let mut registry = Registry::new();
        for entry in entries {
            registry
                .register(entry)
                .expect("the built-in kinds have valid entries with distinct names");
        }
        registry
    }

    /// Adds a kind after those already known. Refuses a name already registered, and an entry
    /// a spec could not use (see [`RegisterError`]).
    pub fn register(&mut self, entry: KindEntry) -> Result<(), RegisterError> {
        if self.get(&entry.name).is_some() {
            return Err(RegisterError::DuplicateKind { kind: entry.name });
        }
        if let Some(problem) = entry.problem() {
            return Err(RegisterError::InvalidEntry {
                kind: entry.name,
                problem,
            });
        }
        Arc::make_mut(&mut self.kinds).push(entry);
        Ok(())
    }

    /// Every kind, in registration order.
    pub fn list(&self) -> &[KindEntry] {
        &self.kinds
    }

    /// The kind of this name.
    pub fn get(&self, kind: &str) -> Option<&KindEntry> {
        self.kinds.iter().find(|k| k.name == kind)
    }

    /// Checks a spec against its kind and returns every parameter's value (the given one or
    /// its default), in the kind's parameter order.
    fn resolve<'r>(
        &'r self,
        spec: &NegotiatorSpec,
    ) -> Result<(&'r KindEntry, Params<'r>), SpecError> {
        let entry = self.get(&spec.kind).ok_or_else(|| SpecError::UnknownKind {
            kind: spec.kind.clone(),
            known: self.kinds.iter().map(|k| k.name.clone()).collect(),
        })?;
        if let Some(name) = spec.params.keys().find(|n| entry.param_info(n).is_none()) {
            return Err(SpecError::UnknownParam {
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
                    kind: spec.kind.clone(),
                    param: p.name.clone(),
                    value: v,
                    range: p.range(),
                });
            }
            values.push(v);
        }
        Ok((entry, Params::new(&entry.name, &entry.params, values)))
    }

    /// Checks that a spec names a known kind with known parameters in range.
    pub fn validate(&self, spec: &NegotiatorSpec) -> Result<(), SpecError> {
        self.resolve(spec).map(|_| ())
    }

    /// Creates the negotiator a spec describes.
    pub fn create(&self, spec: &NegotiatorSpec) -> Result<Box<dyn Negotiator>, SpecError> {
        let (entry, params) = self.resolve(spec)?;
        Ok(entry.build(&params))
    }

    /// Parses the text form `KIND[:NAME=VALUE[,NAME=VALUE]...]` (e.g. `boulware`,
    /// `time-based:e=0.5`, `tit-for-tat:factor=0.8`; spaces around the parts are ignored) and
    /// checks the result against the registry. [`NegotiatorSpec`]'s `Display` writes this
    /// form, so `parse_spec(&spec.to_string())` gives `spec` back.
    pub fn parse_spec(&self, text: &str) -> Result<NegotiatorSpec, SpecError> {
        let spec = parse::spec_syntax(text)?;
        self.validate(&spec)?;
        Ok(spec)
    }

    /// The concession exponent a spec plays with, when its kind plays the time-dependent
    /// tactic ([`KindEntry::exponent`]): the spec's value of the exponent parameter, its
    /// default, or the kind's fixed exponent.
    pub fn exponent_of(&self, spec: &NegotiatorSpec) -> Option<f64> {
        let entry = self.get(&spec.kind)?;
        match entry.exponent.as_ref()? {
            Exponent::Fixed(e) => Some(*e),
            Exponent::Param(name) => Some(
                spec.params
                    .get(name)
                    .copied()
                    .unwrap_or(entry.param_info(name)?.default),
            ),
        }
    }

    /// The spec that plays the time-dependent tactic at exponent `e` in place of `spec`:
    /// `spec` with its exponent parameter set to `e` when its kind takes the exponent as a
    /// parameter whose range allows `e`; otherwise the first kind of the registry that does,
    /// with that parameter only (`time-based` in the built-in registry). `None` when no kind
    /// can play `e`.
    pub fn at_exponent(&self, spec: &NegotiatorSpec, e: f64) -> Option<NegotiatorSpec> {
        let param_allowing = |entry: &KindEntry| match &entry.exponent {
            Some(Exponent::Param(name)) if entry.param_info(name)?.allows(e) => Some(name.clone()),
            _ => None,
        };
        if let Some(name) = self.get(&spec.kind).and_then(param_allowing) {
            return Some(spec.clone().with(name, e));
        }
        self.kinds.iter().find_map(|entry| {
            let name = param_allowing(entry)?;
            Some(NegotiatorSpec::new(entry.name.clone()).with(name, e))
        })
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.kinds.iter().map(|k| &k.name))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_list_what_is_known() {
        let registry = Registry::builtin();
        let e = registry
            .create(&NegotiatorSpec::new("boulwar"))
            .err()
            .unwrap();
        assert_eq!(
            e.to_string(),
            "unknown negotiator kind `boulwar`; known kinds: time-based, boulware, linear, \
             conceder, hardliner, random, tit-for-tat"
        );
        let e = registry.parse_spec("boulware:f=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "negotiator `boulware` has no parameter `f`; known parameters: e"
        );
        let e = registry.parse_spec("linear:e=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "negotiator `linear` has no parameter `e`; it takes no parameters"
        );
        let e = registry.parse_spec("time-based:e=-1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `e` of negotiator `time-based` must be a finite number >= 0, not -1"
        );
        let e = registry.parse_spec("boulware:e=2").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `e` of negotiator `boulware` must be a number in [0, 1], not 2"
        );
        let e = registry.parse_spec("conceder:e=abc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `e` of negotiator `conceder` must be a number, not `abc`"
        );
    }

    #[test]
    fn an_empty_registry_knows_no_kind() {
        let e = Registry::new().parse_spec("linear").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown negotiator kind `linear`; known kinds: none"
        );
    }
}
