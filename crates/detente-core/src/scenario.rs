//! A scenario: the outcome space, the parties with their preferences, and protocol settings.

use std::time::Duration;

use crate::compliance::Compliance;
use crate::dynamics::StallingRule;
use crate::error::{Error, Result};
use crate::registry::Spec;
use crate::space::OutcomeSpace;
use crate::trace::Reporter;
use crate::utility::{MAX_UTILITY_MAGNITUDE, Preferences, Utility, UtilityFunction};

/// Which negotiator plays a party, and with what parameters: plain data, resolved into a
/// running [`crate::Negotiator`] by a registry (such as `detente-negotiators`'s).
pub type NegotiatorSpec = Spec;

/// Which mediator strategy runs mediated talks, and with what parameters: resolved into a
/// running [`crate::protocol::mediator::MediatorStrategy`] by a
/// [`crate::protocol::mediator::MediatorRegistry`].
pub type MediatorSpec = Spec;

/// A party to the negotiation.
#[derive(Debug, Clone)]
pub struct Party {
    /// Name, unique within the scenario; the command line and plans name the party by it.
    pub name: String,
    /// Its utility function, reservation value and discount factor.
    pub preferences: Preferences,
    /// The negotiator that plays it unless the user says otherwise; `None` leaves the choice
    /// to the caller (`detente run` then plays `linear`).
    pub negotiator: Option<NegotiatorSpec>,
}

/// Which protocol runs the talks.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolKind {
    /// The Stacked Alternating Offers Protocol ([`crate::protocol::Saop`]).
    Saop,
    /// Mediated single-text negotiation ([`crate::protocol::Mediated`]).
    Mediated {
        /// How the mediator chooses its texts (a kind of the mediator registry, e.g.
        /// `hill-climbing`, `veto`, `informed`).
        strategy: MediatorSpec,
        /// The party that mediates (a biased mediator with preferences of its own, who also
        /// votes), or `None` for a neutral mediator outside the parties.
        mediator: Option<usize>,
    },
}

/// Protocol settings of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolSettings {
    /// Deadline in rounds; in each round every party has one turn.
    pub deadline: u32,
    /// Wall-clock limit for the whole negotiation (`None`: no limit). Only runs given a
    /// [`crate::protocol::Clock`] apply it, and their traces then depend on timing.
    pub time_limit: Option<Duration>,
    /// The protocol that runs the talks, and for mediated talks the mediator's strategy.
    pub kind: ProtocolKind,
    /// Whether parties can settle issues one at a time: at the end of a round, an issue on
    /// which every active party's current position agrees is fixed for the rest of the talks.
    pub partial_agreements: bool,
}

impl Default for ProtocolSettings {
    fn default() -> Self {
        ProtocolSettings {
            deadline: 100,
            time_limit: None,
            kind: ProtocolKind::Saop,
            partial_agreements: false,
        }
    }
}

/// When a timeline event fires. Events are checked at the start of every round, in the order
/// the scenario lists them, and each fires at most once.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// At the start of this round (from 0).
    Round(u32),
    /// At the start of this round (from 0), if no agreement, full or partial, has been reached.
    NoAgreementBy(u32),
    /// When this party is stalling under the rule (see [`crate::dynamics`]).
    Stalling {
        /// The party watched (index in turn order).
        party: usize,
        /// The window and the smallest improvement that is not stalling.
        rule: StallingRule,
    },
    /// When this party has left the talks.
    Left(usize),
    /// When a breach of an obligation has been reported (by this reporter, about this party;
    /// either left open matches any), in this round's compliance reports or earlier ones.
    BreachReported {
        /// Who reported it, if it matters.
        by: Option<Reporter>,
        /// Whom the report accuses, if it matters (index in turn order).
        about: Option<usize>,
    },
    /// When a party's belief that a counterpart complies falls below a threshold
    /// ([`crate::compliance::Belief`]).
    BeliefBelow {
        /// Who believes (index in turn order).
        holder: usize,
        /// About whom.
        about: usize,
        /// The threshold, in `[0, 1]`.
        threshold: f64,
    },
}

/// How a reservation value changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Set to this value (a utility, like the reservation value itself).
    Set(f64),
    /// Add this amount (negative to lower it).
    Shift(f64),
}

impl Change {
    /// The reservation value after the change, from `old`.
    pub fn apply(self, old: f64) -> f64 {
        match self {
            Change::Set(v) => v,
            Change::Shift(d) => old + d,
        }
    }
}

/// What a timeline event does.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A party leaves. With `end_talks` the negotiation ends there; otherwise it goes on
    /// without the party (who no longer moves or votes, but still lives with any agreement).
    Leave {
        /// The party that leaves (index in turn order).
        party: usize,
        /// Whether the talks end with it (without agreement) or go on without it.
        end_talks: bool,
    },
    /// A party's reservation value changes (sanctions, loss of support).
    Reservation {
        /// The party (index in turn order).
        party: usize,
        /// The new value, or the amount added to the current one.
        change: Change,
    },
    /// A party's weight of an issue changes (linear additive preferences, with or without
    /// interaction terms).
    Weight {
        /// The party (index in turn order).
        party: usize,
        /// The issue (index in the outcome space).
        issue: usize,
        /// The issue's weight from now on; the other weights are left as they are (nothing is
        /// renormalised).
        weight: f64,
    },
    /// The deadline moves.
    Deadline {
        /// The new deadline in rounds, counted from the start of the talks (at least 1: 0
        /// counts as 1).
        rounds: u32,
    },
    /// A partial agreement on an issue lapses (a pause ends): the issue is open again, its
    /// values as available as before it was settled, and what the settlement was worth to each
    /// party leaves its fallback.
    Unsettle {
        /// The issue.
        issue: usize,
    },
    /// An obligation ends (a pause runs out before its time, or is called off): it is no
    /// longer watched, and its settlement lapses as with [`Effect::Unsettle`].
    Expire {
        /// The obligation's issue.
        issue: usize,
    },
    /// An issue is settled at a value by an agreement made away from the table (the 18 March
    /// call): as a partial agreement, without the parties' consent being asked.
    Settle {
        /// The issue (index in the outcome space).
        issue: usize,
        /// The value it is settled at.
        value: u32,
    },
    /// A value of an issue becomes available or unavailable.
    Availability {
        /// The issue (index in the outcome space).
        issue: usize,
        /// The value (index among the issue's values).
        value: u32,
        /// Whether it can be agreed from now on.
        available: bool,
    },
}

/// A timeline event: a trigger and what happens.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Name, shown in transcripts and traces.
    pub name: String,
    /// When it fires (at most once).
    pub trigger: Trigger,
    /// What it does, in order.
    pub effects: Vec<Effect>,
}

/// Everything needed to run a negotiation except the negotiators' code.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name, shown in transcripts, reports and tournament results.
    pub name: String,
    /// What the scenario models, in prose (may be empty; transcripts show its first
    /// sentence).
    pub description: String,
    /// The issues and their values, and the hard constraints that exclude some outcomes.
    pub space: OutcomeSpace,
    /// The parties, in turn order (party indices elsewhere count in this order).
    pub parties: Vec<Party>,
    /// The protocol, its deadline and wall-clock limit, and whether issues can be settled one
    /// at a time.
    pub protocol: ProtocolSettings,
    /// The timeline, in the order events are checked at the start of each round.
    pub events: Vec<Event>,
    /// Obligations, each party's compliance preferences and the monitor (empty: the talks end
    /// at the agreement, as without this module; see [`crate::compliance`]).
    pub compliance: Compliance,
}

impl Scenario {
    /// Checks the invariants every engine component relies on: at least two parties, unique
    /// non-empty names, valid preferences, a deadline of at least one round.
    pub fn validate(&self) -> Result<()> {
        if self.parties.len() < 2 {
            return Err(Error::InvalidScenario(format!(
                "a negotiation needs at least two parties, found {}",
                self.parties.len()
            )));
        }
        for (i, p) in self.parties.iter().enumerate() {
            if p.name.is_empty() {
                return Err(Error::InvalidScenario(format!(
                    "party #{} has an empty name",
                    i + 1
                )));
            }
            if self.parties[..i].iter().any(|o| o.name == p.name) {
                return Err(Error::InvalidScenario(format!(
                    "party `{}` is defined twice",
                    p.name
                )));
            }
            p.preferences
                .validate()
                .map_err(|e| Error::InvalidScenario(format!("party `{}`: {e}", p.name)))?;
        }
        if self.protocol.deadline == 0 {
            return Err(Error::InvalidScenario(
                "the deadline must be at least one round".into(),
            ));
        }
        for e in &self.events {
            for effect in &e.effects {
                let x = match *effect {
                    Effect::Reservation {
                        change: Change::Set(x) | Change::Shift(x),
                        ..
                    } => x,
                    Effect::Weight { weight, .. } => weight,
                    _ => continue,
                };
                if x.is_nan() || x.abs() > MAX_UTILITY_MAGNITUDE {
                    return Err(Error::InvalidScenario(format!(
                        "event `{}` sets a number of magnitude {x:e}, more than \
                         {MAX_UTILITY_MAGNITUDE:e}",
                        e.name
                    )));
                }
            }
        }
        self.compliance.validate(self)
    }

    /// Index of the party with this name.
    pub fn party_index(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.name == name)
    }

    /// The utility function of party `i`.
    pub fn utility(&self, party: usize) -> &Utility {
        &self.parties[party].preferences.utility
    }

    /// Utilities of `outcome` for every party, undiscounted.
    pub fn utilities(&self, outcome: &crate::Outcome) -> Vec<f64> {
        self.parties
            .iter()
            .map(|p| p.preferences.utility.utility(outcome))
            .collect()
    }
}
