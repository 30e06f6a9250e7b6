//! The [`Negotiator`] trait: what a strategy sees and what it may do.

use std::sync::Arc;

use crate::error::Result;
use crate::scenario::Scenario;
use crate::space::{Outcome, OutcomeSpace};
use crate::tables::{PartyTable, ScenarioTables};
use crate::trace::Actor;
use crate::utility::Preferences;

/// What a party does on its turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Accept the standing offer.
    Accept,
    /// Make a new offer, which replaces the standing one.
    Offer(Outcome),
    /// Walk away: the negotiation ends without agreement.
    End,
}

/// An offer on the table and who made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The outcome offered.
    pub outcome: Outcome,
    /// Who offered it (in mediated talks, the mediator that tabled it).
    pub by: Actor,
}

/// What a negotiator learns once, before the first turn.
#[derive(Debug, Clone, Copy)]
pub struct SessionInfo<'a> {
    /// This negotiator's party index (its place in the turn order).
    pub party: usize,
    /// The scenario, including everyone's preferences: built-in negotiators read only their own
    /// (`scenario.parties[party]`) and the space.
    pub scenario: &'a Scenario,
    /// Shared precomputed tables.
    pub tables: &'a ScenarioTables,
    /// The deadline in rounds.
    pub deadline: u32,
    /// A seed for this negotiator's own random choices, derived from the negotiation's seed.
    pub seed: u64,
}

impl SessionInfo<'_> {
    /// This party's preferences.
    pub fn preferences(&self) -> &Preferences {
        &self.scenario.parties[self.party].preferences
    }

    /// The outcome space.
    pub fn space(&self) -> &OutcomeSpace {
        &self.scenario.space
    }

    /// Number of parties.
    pub fn n_parties(&self) -> usize {
        self.scenario.parties.len()
    }

    /// This party's utility table (built once per scenario and shared).
    pub fn own_table(&self) -> Result<Arc<PartyTable>> {
        self.tables.party(self.scenario, self.party)
    }
}

/// A read-only snapshot of the negotiation, given on every turn.
#[derive(Debug, Clone, Copy)]
pub struct State<'a> {
    /// Current round, from 0.
    pub round: u32,
    /// Normalised time in `[0, 1)`: the share of the deadline that has passed.
    pub time: f64,
    /// Whose turn it is.
    pub turn: usize,
    /// The standing offer, if any.
    pub standing: Option<&'a Offer>,
    /// How many parties have accepted the standing offer so far.
    pub accepts: usize,
    /// Which parties are still at the table (all, unless some left).
    pub active: &'a [bool],
}

/// Why a negotiator could not start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct NegotiatorError(pub String);

/// What a negotiator believes of another party's preferences: its estimate of that party's
/// (undiscounted) utility of outcomes, as an opponent model learns it during the talks.
/// Estimates are on the model's own scale (most models give values in `[0, 1]`); the accuracy
/// measures that read them are invariant to that scale where the field defines them so.
pub trait OpponentEstimate {
    /// The estimated utility of the outcome with these values (one per issue, in issue order).
    fn estimate(&self, values: &[u32]) -> f64;
}

/// A negotiation strategy. Implement this to plug in your own.
///
/// The protocol calls [`init`](Negotiator::init) once, then [`act`](Negotiator::act) on each
/// of the party's turns, and [`observe`](Negotiator::observe) after every other party's action.
/// A negotiator that panics or returns an invalid action ends its negotiation with a recorded
/// error; it cannot harm other negotiations.
pub trait Negotiator: Send {
    /// Prepares for a session. An error ends the negotiation with a negotiator fault.
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError>;

    /// Chooses this party's action on its turn.
    fn act(&mut self, state: &State<'_>) -> Action;

    /// Sees another party's action (the state is the one that party acted on).
    fn observe(&mut self, _party: usize, _action: &Action, _state: &State<'_>) {}

    /// The scenario changed during the talks (a timeline event moved a reservation value or a
    /// weight, a value became unavailable, a party left, an issue was settled). `info` shows
    /// the scenario as it now stands. By default the negotiator starts afresh with
    /// [`init`](Negotiator::init).
    fn update(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        self.init(info)
    }

    /// In mediated talks: how `candidate` compares with `incumbent` for this party, if it can
    /// tell (`Greater` means the candidate is better). A party whose answer is `Less` vetoes
    /// the change under the veto strategy. `None` (the default) lets the protocol judge by
    /// acceptance instead: a party that accepted the incumbent but rejects the candidate vetoes.
    fn compare(
        &mut self,
        _candidate: &Outcome,
        _incumbent: &Outcome,
    ) -> Option<std::cmp::Ordering> {
        None
    }

    /// The negotiator's current model of party `opponent`'s preferences, if it keeps one (an
    /// opponent model of a BOA negotiator). Read after the talks to measure how accurate the
    /// model was (`detente_analysis::model_accuracy`); `None` (the default) for negotiators
    /// that model nobody.
    fn opponent_estimate(&self, _opponent: usize) -> Option<&dyn OpponentEstimate> {
        None
    }
}
