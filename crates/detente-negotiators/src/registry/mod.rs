//! The registry: the negotiator kinds a run can use. It turns a [`NegotiatorSpec`] (a kind name
//! and numeric parameters, e.g. from a scenario file, a plan or the command line) into a
//! running negotiator, and lists what exists.
//!
//! It is detente-core's generic [`detente_core::registry::Registry`] of `dyn Negotiator`
//! (specs, parameters, messages, the text form `KIND[:NAME=VALUE,...]`), plus what sweeps need
//! to know of negotiators: which kinds play the time-dependent tactic, and where their
//! concession exponent comes from ([`Exponent`]).
//!
//! It also carries the mediator strategies of mediated talks
//! ([`detente_core::protocol::mediator`]), so that one value says everything pluggable a run
//! may use. [`Registry::builtin`] holds the kinds of this crate and the built-in strategies;
//! [`Registry::register`] and [`Registry::register_mediator`] add your own, which then work
//! wherever built-in ones do (scenario files, plans, sweeps, the command line).

use std::ops::Deref;
use std::sync::Arc;

use detente_core::protocol::mediator::{self, MediatorRegistry, MediatorStrategy};
use detente_core::registry::{self as core_registry, ComponentParam, Entry};
use detente_core::{Negotiator, NegotiatorSpec};

pub use detente_core::registry::{ParamInfo, ParamRange, Params, RegisterError, SpecError};

use crate::agents::{
    AgentGg, AgentM, Agreeable, Atlas3, Caduceus, CaduceusCore, Kawaii, Micro, ParsAgent, PonPoko,
    RandomDance,
};
use crate::boa::BoaKinds;

use crate::{Hardliner, RandomNegotiator, TimeBased, TitForTat};

/// What messages call the things this registry holds.
const NOUN: &str = "negotiator";

/// Builds a fresh negotiator of a kind from its parameter values.
pub type Constructor = core_registry::Constructor<dyn Negotiator>;

/// Where a kind playing the time-dependent tactic (Faratin et al., [`crate::TimeBased`]) takes
/// its concession exponent from. Sweeps read it to vary and jitter exponents.
#[derive(Debug, Clone, PartialEq)]
pub enum Exponent {
    /// The kind's parameter of this name.
    Param(String),
    /// A fixed value (`linear`: 1).
    Fixed(f64),
}

/// A negotiator kind: its [`Entry`] (name, summary, parameters, constructor) and, for kinds
/// playing the time-dependent tactic, where their exponent comes from.
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
#[derive(Debug, Clone)]
pub struct KindEntry {
    entry: Entry<dyn Negotiator>,
    /// Set when it plays the time-dependent tactic: where its concession exponent comes from.
    pub exponent: Option<Exponent>,
    /// The most parties a negotiation it plays may have (`Some(2)`: a bilateral strategy),
    /// when it is limited ([`Registry::parties_problem`] checks a spec against a scenario).
    pub max_parties: Option<usize>,
}

impl KindEntry {
    /// A kind without parameters, built by `constructor`.
    pub fn new(
        name: impl Into<String>,
        summary: impl Into<String>,
        constructor: impl Fn(&Params<'_>) -> Box<dyn Negotiator> + Send + Sync + 'static,
    ) -> Self {
        KindEntry {
            entry: Entry::new(name, summary, constructor),
            exponent: None,
            max_parties: None,
        }
    }

    /// Adds a numeric parameter.
    pub fn param(mut self, param: ParamInfo) -> Self {
        self.entry = self.entry.param(param);
        self
    }

    /// Adds a parameter naming a component of another registry (e.g. an opponent model).
    pub fn component(mut self, param: ComponentParam) -> Self {
        self.entry = self.entry.component(param);
        self
    }

    /// Says where the kind comes from (a paper, a competition).
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.entry = self.entry.source(source);
        self
    }

    /// Marks the kind as playing the time-dependent tactic, with its exponent from `exponent`.
    pub fn exponent(mut self, exponent: Exponent) -> Self {
        self.exponent = Some(exponent);
        self
    }

    /// Marks the kind as bilateral: it plays negotiations of two parties only.
    pub fn bilateral(mut self) -> Self {
        self.max_parties = Some(2);
        self
    }

    /// What is wrong with the exponent, if anything.
    fn exponent_problem(&self) -> Option<String> {
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

impl Deref for KindEntry {
    type Target = Entry<dyn Negotiator>;

    fn deref(&self) -> &Self::Target {
        &self.entry
    }
}

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
#[derive(Clone)]
pub struct Registry {
    kinds: core_registry::Registry<dyn Negotiator>,
    /// The exponent of each kind, in the order of `kinds`.
    exponents: Arc<Vec<Option<Exponent>>>,
    /// The most parties of each kind, in the order of `kinds`.
    max_parties: Arc<Vec<Option<usize>>>,
    mediators: MediatorRegistry,
    boa: BoaKinds,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            kinds: core_registry::Registry::new(NOUN)
                .with_example("`boulware` or `time-based:e=0.5`"),
            exponents: Arc::default(),
            max_parties: Arc::default(),
            mediators: mediator::builtin(),
            boa: BoaKinds::builtin(),
        }
    }
}

impl Registry {
    /// A registry without negotiator kinds (and with the built-in mediator strategies).
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in kinds: `time-based`, `boulware`, `linear`, `conceder`, `hardliner`,
    /// `random`, `tit-for-tat`, `boa`, then the named ANAC 2010-2012 agents composed of BOA
    /// components (`agent-k`, `agent-k2`, `hardheaded`, `nice-tit-for-tat`, `iam-haggler2011`,
    /// `agent-lg`, `negotiator-reloaded`, `bram-agent`, `gahboninho`, `cuhk-agent`:
    /// [`crate::boa::agents`]), then the later agents of [`crate::agents`] (`agentm`,
    /// `pars-agent`, `random-dance`, `atlas3`, `kawaii`, `caduceus-core`, `caduceus`, `ponpoko`,
    /// `agreeable2018`, `agentgg`, `micro`), in this
    /// order; the built-in BOA components
    /// ([`BoaKinds::builtin`]); and the built-in mediator strategies.
    pub fn builtin() -> Self {
        let mut registry = Registry::new();
        for entry in Self::kinds_of(&registry.boa) {
            registry
                .register(entry)
                .expect("the built-in kinds have valid entries with distinct names");
        }
        registry
    }

    /// The built-in negotiator kinds, the ones naming components taking them from `boa`.
    fn kinds_of(boa: &BoaKinds) -> Vec<KindEntry> {
        let mut entries = TimeBased::entries_with(boa);
        entries.push(Hardliner::entry());
        entries.push(RandomNegotiator::entry());
        entries.push(TitForTat::entry());
        entries.push(boa.entry());
        entries.extend(crate::boa::agents::entries(boa));
        entries.push(AgentM::entry());
        entries.push(ParsAgent::entry());
        entries.push(RandomDance::entry());
        entries.push(Atlas3::entry());
        entries.push(Kawaii::entry());
        entries.push(CaduceusCore::entry());
        entries.push(Caduceus::entry());
        entries.push(PonPoko::entry());
        entries.push(Agreeable::entry());
        entries.push(AgentGg::entry());
        entries.push(Micro::entry());
        entries
    }

    /// The BOA components this registry's `boa` kind (and the time-based kinds' `model`)
    /// can name.
    pub fn boa(&self) -> &BoaKinds {
        &self.boa
    }

    /// Adds BOA components: `change` registers them into the registries of [`BoaKinds`]; the
    /// kinds that name components (`boa`, the time-based kinds' `model`) then accept them too.
    ///
    /// ```
    /// use detente_negotiators::Registry;
    /// use detente_negotiators::boa::acceptance::{AcceptanceEntry, AcceptanceStrategy, Decision};
    /// use detente_negotiators::boa::{Bid, Context};
    ///
    /// struct Greedy;
    /// impl AcceptanceStrategy for Greedy {
    ///     fn decide(&mut self, _: &Context<'_>, offered: &Bid, _: &Bid) -> Decision {
    ///         if offered.utility > 0.95 { Decision::Accept } else { Decision::Reject }
    ///     }
    /// }
    /// let mut registry = Registry::builtin();
    /// registry
    ///     .register_boa(|boa| {
    ///         boa.acceptance.register(AcceptanceEntry::new("greedy", "above 0.95", |_| {
    ///             Box::new(Greedy)
    ///         }))
    ///     })
    ///     .unwrap();
    /// assert!(registry.parse_spec("boa:accept=greedy").is_ok());
    /// ```
    pub fn register_boa(
        &mut self,
        change: impl FnOnce(&mut BoaKinds) -> Result<(), RegisterError>,
    ) -> Result<(), RegisterError> {
        let mut boa = self.boa.clone();
        change(&mut boa)?;
        for entry in Self::kinds_of(&boa) {
            let named = entry.name.clone();
            let builtin_there = self.get(&named).is_some()
                && entry.components.iter().all(|c| {
                    self.get(&named)
                        .is_some_and(|e| e.component_info(&c.name).is_some())
                });
            if !entry.components.is_empty() && builtin_there {
                self.replace(entry)?;
            }
        }
        self.boa = boa;
        Ok(())
    }

    /// Puts `entry` in place of the kind of the same name.
    fn replace(&mut self, entry: KindEntry) -> Result<(), RegisterError> {
        let i = self
            .kinds
            .names()
            .position(|n| n == entry.name)
            .expect("replacing a registered kind");
        self.kinds.replace(entry.entry)?;
        Arc::make_mut(&mut self.exponents)[i] = entry.exponent;
        Arc::make_mut(&mut self.max_parties)[i] = entry.max_parties;
        Ok(())
    }

    /// Adds a kind after those already known. Refuses a name already registered, and an entry
    /// a spec could not use (see [`RegisterError`]).
    pub fn register(&mut self, entry: KindEntry) -> Result<(), RegisterError> {
        if let Some(problem) = entry.exponent_problem() {
            return Err(RegisterError::InvalidEntry {
                noun: NOUN,
                kind: entry.name.clone(),
                problem,
            });
        }
        self.kinds.register(entry.entry)?;
        Arc::make_mut(&mut self.exponents).push(entry.exponent);
        Arc::make_mut(&mut self.max_parties).push(entry.max_parties);
        Ok(())
    }

    /// Adds a mediator strategy after those already known (see [`Registry::register`]).
    pub fn register_mediator(
        &mut self,
        entry: Entry<dyn MediatorStrategy>,
    ) -> Result<(), RegisterError> {
        self.mediators.register(entry)
    }

    /// The mediator strategies.
    pub fn mediators(&self) -> &MediatorRegistry {
        &self.mediators
    }

    /// Every kind, in registration order.
    pub fn list(&self) -> &[Entry<dyn Negotiator>] {
        self.kinds.list()
    }

    /// The kind of this name.
    pub fn get(&self, kind: &str) -> Option<&Entry<dyn Negotiator>> {
        self.kinds.get(kind)
    }

    /// Where a kind's concession exponent comes from, when it plays the time-dependent tactic.
    pub fn exponent(&self, kind: &str) -> Option<&Exponent> {
        let i = self.kinds.names().position(|n| n == kind)?;
        self.exponents[i].as_ref()
    }

    /// Why a spec cannot play a negotiation of `parties` parties, if it cannot: its kind is
    /// limited to fewer (a bilateral strategy in a multilateral scenario). Specs are checked
    /// without a scenario ([`Registry::validate`]); callers that know the scenario (the
    /// command line) check this too, so that the mismatch is an input error before any talks
    /// start. A negotiation started anyway ends with the negotiator's fault, saying the same.
    ///
    /// ```
    /// use detente_negotiators::Registry;
    ///
    /// let registry = Registry::builtin();
    /// let micro = registry.parse_spec("micro").unwrap();
    /// assert_eq!(registry.parties_problem(&micro, 2), None);
    /// assert_eq!(
    ///     registry.parties_problem(&micro, 3).unwrap(),
    ///     "negotiator `micro` plays bilateral negotiations only (two parties), not 3"
    /// );
    /// ```
    pub fn parties_problem(&self, spec: &NegotiatorSpec, parties: usize) -> Option<String> {
        let i = self.kinds.names().position(|n| n == spec.kind)?;
        match self.max_parties[i] {
            Some(2) if parties > 2 => Some(format!(
                "negotiator `{}` plays bilateral negotiations only (two parties), not {parties}",
                spec.kind
            )),
            Some(max) if parties > max => Some(format!(
                "negotiator `{}` plays negotiations of at most {max} parties, not {parties}",
                spec.kind
            )),
            _ => None,
        }
    }

    /// Checks that a spec names a known kind with known parameters in range.
    pub fn validate(&self, spec: &NegotiatorSpec) -> Result<(), SpecError> {
        self.kinds.validate(spec)
    }

    /// Creates the negotiator a spec describes.
    pub fn create(&self, spec: &NegotiatorSpec) -> Result<Box<dyn Negotiator>, SpecError> {
        self.kinds.create(spec)
    }

    /// Parses the text form `KIND[:NAME=VALUE[,NAME=VALUE]...]` (e.g. `boulware`,
    /// `time-based:e=0.5`, `tit-for-tat:factor=0.8`; spaces around the parts are ignored) and
    /// checks the result against the registry. [`NegotiatorSpec`]'s `Display` writes this
    /// form, so `parse_spec(&spec.to_string())` gives `spec` back.
    pub fn parse_spec(&self, text: &str) -> Result<NegotiatorSpec, SpecError> {
        self.kinds.parse_spec(text)
    }

    /// The concession exponent a spec plays with, when its kind plays the time-dependent
    /// tactic ([`KindEntry::exponent`]): the spec's value of the exponent parameter, its
    /// default, or the kind's fixed exponent.
    pub fn exponent_of(&self, spec: &NegotiatorSpec) -> Option<f64> {
        match self.exponent(&spec.kind)? {
            Exponent::Fixed(e) => Some(*e),
            Exponent::Param(name) => Some(
                spec.params
                    .get(name)
                    .copied()
                    .unwrap_or(self.get(&spec.kind)?.param_info(name)?.default),
            ),
        }
    }

    /// The spec that plays the time-dependent tactic at exponent `e` in place of `spec`:
    /// `spec` with its exponent parameter set to `e` when its kind takes the exponent as a
    /// parameter whose range allows `e`; otherwise the first kind of the registry that does,
    /// with that parameter only (`time-based` in the built-in registry). `None` when no kind
    /// can play `e`.
    pub fn at_exponent(&self, spec: &NegotiatorSpec, e: f64) -> Option<NegotiatorSpec> {
        let param_allowing = |kind: &str| match self.exponent(kind) {
            Some(Exponent::Param(name)) if self.get(kind)?.param_info(name)?.allows(e) => {
                Some(name.clone())
            }
            _ => None,
        };
        if let Some(name) = param_allowing(&spec.kind) {
            return Some(spec.clone().with(name, e));
        }
        self.kinds.names().find_map(|kind| {
            let name = param_allowing(kind)?;
            Some(NegotiatorSpec::new(kind).with(name, e))
        })
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("negotiators", &self.kinds.names().collect::<Vec<_>>())
            .field("mediators", &self.mediators.names().collect::<Vec<_>>())
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
             conceder, hardliner, random, tit-for-tat, boa, agent-k, agent-k2, hardheaded, \
             nice-tit-for-tat, iam-haggler2011, agent-lg, negotiator-reloaded, bram-agent, \
             gahboninho, cuhk-agent, the-fawkes, agentm, pars-agent, random-dance, atlas3, \
             kawaii, caduceus-core, caduceus, ponpoko, agreeable2018, agentgg, micro"
        );
        let e = registry.parse_spec("boulware:f=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "negotiator `boulware` has no parameter `f`; known parameters: e, model"
        );
        let e = registry.parse_spec("linear:e=1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "negotiator `linear` has no parameter `e`; known parameters: model"
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
