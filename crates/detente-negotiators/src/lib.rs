//! Built-in negotiation strategies for detente, and the registry that creates them by name.
//!
//! Each strategy is a small type implementing [`detente_core::Negotiator`]:
//! [`TimeBased`] (Faratin et al.'s time-dependent concession, choosing among the outcomes near
//! its target by an opponent model; the `boulware`, `linear` and `conceder` kinds are presets
//! of it), [`Hardliner`], [`RandomNegotiator`] and [`TitForTat`]; and [`boa::Boa`], a
//! negotiator composed of BOA components (offering strategies, opponent models,
//! opponent-model strategies, acceptance conditions: the [`boa`] module, each with a registry
//! of its own). They all work from their party's shared sorted utility table
//! ([`detente_core::PartyTable`]): finding the outcome for a target utility is a binary search,
//! never a scan of the space. Unless its docs say otherwise, each of the simple strategies
//! accepts by [`default_accept`].
//!
//! A [`Registry`] resolves a [`NegotiatorSpec`](detente_core::NegotiatorSpec) such as
//! `boulware`, `time-based:e=0.5` or `boa:offer=boulware,model=smith-frequency,accept=ac-next`. [`Registry::builtin`] knows the kinds above; each kind's
//! [`KindEntry`] (name, summary, parameters, constructor) is declared beside its strategy
//! (e.g. [`TimeBased::entries`]). Register a kind of your own with [`Registry::register`] and
//! it works wherever a built-in one does: tournament plans, sweeps, the command line.
//!
//! ```
//! use detente_core::*;
//! use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
//! use detente_negotiators::Registry;
//!
//! // Two parties split 10 units: one's gain is the other's loss.
//! let space = OutcomeSpace::new(vec![Issue::integer("share", 0, 10)]).unwrap();
//! let linear = |slope: f64, intercept| {
//!     let ev = Evaluator::Linear { slope, intercept, origin: 0.0, clamp: true };
//!     Utility::LinearAdditive(LinearAdditive::new(&space, vec![1.0], vec![ev], None).unwrap())
//! };
//! let party = |name: &str, utility| Party {
//!     name: name.into(),
//!     preferences: Preferences { reservation: 0.2, ..Preferences::new(utility) },
//!     negotiator: None,
//! };
//! let scenario = Scenario {
//!     compliance: Default::default(),
//!     name: "pie".into(),
//!     description: String::new(),
//!     parties: vec![party("buyer", linear(0.1, 0.0)), party("seller", linear(-0.1, 1.0))],
//!     space,
//!     protocol: ProtocolSettings::default(),
//!     events: Vec::new(),
//! };
//! scenario.validate().unwrap();
//!
//! let registry = Registry::builtin();
//! let negotiators = vec![
//!     registry.create(&registry.parse_spec("boulware").unwrap()).unwrap(),
//!     registry.create(&registry.parse_spec("conceder:e=2").unwrap()).unwrap(),
//! ];
//! let tables = ScenarioTables::for_scenario(&scenario);
//! let trace = Saop::new(&scenario, &tables, negotiators, ProtocolConfig::new(20), 7).run();
//! assert_eq!(trace.result.termination, Termination::Agreement);
//! // The Boulware buyer holds out and gets the larger share.
//! assert!(trace.result.utilities[0] > trace.result.utilities[1]);
//! ```

pub mod agents;
pub mod boa;
mod common;
mod hardliner;
mod random;
mod registry;
mod time_based;
mod tit_for_tat;

pub use common::default_accept;
pub use hardliner::Hardliner;
pub use random::RandomNegotiator;
pub use registry::{
    Constructor, Exponent, KindEntry, ParamInfo, ParamRange, Params, RegisterError, Registry,
    SpecError,
};
pub use time_based::{LINEAR_EXPONENT, Tactic, TimeBased};
pub use tit_for_tat::TitForTat;

#[cfg(test)]
mod testutil;
