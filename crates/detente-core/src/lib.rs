//! The detente negotiation engine.
//!
//! It models a negotiation as data: an [`OutcomeSpace`] of [`Issue`]s, [`Party`]s with
//! [`Preferences`] (a [`UtilityFunction`], a reservation value and a discount factor), all held
//! in a [`Scenario`], with hard constraints, interaction terms and timeline [`Event`]s (a party
//! leaving, a reservation value moving). It runs negotiations under a protocol
//! ([`protocol::Saop`], the Stacked Alternating Offers Protocol, or [`protocol::Mediated`],
//! single-text negotiation with a mediator) between [`Negotiator`]s, and records a [`Trace`].
//!
//! This crate does no I/O: it reads no files, no clock and no global random state. Everything
//! random comes from the seed a negotiation is given.
//!
//! ```
//! use detente_core::*;
//! use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
//!
//! let space = OutcomeSpace::new(vec![Issue::integer("share", 0, 10)]).unwrap();
//! let mine = LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Linear { slope: 0.1, intercept: 0.0, origin: 0.0, clamp: true }], None).unwrap();
//! let yours = LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Linear { slope: -0.1, intercept: 1.0, origin: 0.0, clamp: true }], None).unwrap();
//! let party = |name: &str, u| Party { name: name.into(), preferences: Preferences::new(Utility::LinearAdditive(u)), negotiator: None };
//! let scenario = Scenario {
//!     compliance: Default::default(),
//!     name: "pie".into(), description: String::new(), space,
//!     parties: vec![party("me", mine), party("you", yours)],
//!     protocol: ProtocolSettings::default(),
//!     events: Vec::new(),
//! };
//! scenario.validate().unwrap();
//!
//! /// Offers half the pie, and accepts anything.
//! struct Fair;
//! impl Negotiator for Fair {
//!     fn init(&mut self, _: &SessionInfo<'_>) -> Result<(), NegotiatorError> { Ok(()) }
//!     fn act(&mut self, state: &State<'_>) -> Action {
//!         if state.standing.is_some() { Action::Accept } else { Action::Offer(Outcome(vec![5])) }
//!     }
//! }
//! let tables = ScenarioTables::for_scenario(&scenario);
//! let trace = Saop::new(&scenario, &tables, vec![Box::new(Fair), Box::new(Fair)], ProtocolConfig::new(10), 42).run();
//! assert_eq!(trace.result.termination, Termination::Agreement);
//! assert_eq!(trace.result.utilities, vec![0.5, 0.5]);
//! ```

pub mod alloc;
pub mod compliance;
pub mod dynamics;
mod error;
pub mod limits;
mod negotiator;
pub mod protocol;
pub mod registry;
mod scenario;
mod space;
pub mod tables;
mod trace;
mod utility;

pub use error::{Error, Result};
pub use negotiator::{
    Action, Negotiator, NegotiatorError, Offer, OpponentEstimate, SessionInfo, State,
};
pub use scenario::{
    Change, Effect, Event, MediatorSpec, NegotiatorSpec, Party, ProtocolKind, ProtocolSettings,
    Scenario, Trigger,
};
pub use space::{
    Combination, Constraint, DisplayOutcome, Issue, IssueKind, Outcome, OutcomeId, OutcomeSpace,
    Outcomes, Value, repeated_names,
};
pub use tables::{OutcomeValues, PartyTable, ScenarioTables};
pub use trace::{
    ActionKind, Actor, Cause, ComplianceRecord, FiredEvent, NegotiationResult, NegotiatorFault,
    Reporter, Termination, Trace, TraceEntry,
};
pub use utility::{
    Evaluator, Hyperrectangle, HyperrectangleUtility, Interaction, InteractionUtility,
    IssueExtremes, LinearAdditive, MAX_UTILITY_MAGNITUDE, Preferences, TableUtility, Utility,
    UtilityFunction,
};
