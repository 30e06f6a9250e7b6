//! A scenario: the outcome space, the parties with their preferences, and protocol settings.

use std::time::Duration;

use crate::dynamics::StallingRule;
use crate::error::{Error, Result};
use crate::registry::Spec;
use crate::space::OutcomeSpace;
use crate::utility::{Preferences, Utility, UtilityFunction};

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
    /// Name, unique within the scenario.
    pub name: String,
    /// Its preferences.
    pub preferences: Preferences,
    /// The negotiator that plays it unless the user says otherwise.
    pub negotiator: Option<NegotiatorSpec>,
}

/// Which protocol runs the talks.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolKind {
    /// Stacked Alternating Offers.
    Saop,
    /// Mediated single-text negotiation.
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
    /// Optional wall-clock limit for the whole negotiation.
    pub time_limit: Option<Duration>,
    /// The protocol.
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
        /// The party watched.
        party: usize,
        /// The test.
        rule: StallingRule,
    },
    /// When this party has left the talks.
    Left(usize),
}

/// How a reservation value changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Set to this value.
    Set(f64),
    /// Add this amount.
    Shift(f64),
}

impl Change {
    /// The new value.
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
        /// Who leaves.
        party: usize,
        /// Whether the talks end.
        end_talks: bool,
    },
    /// A party's reservation value changes (sanctions, loss of support).
    Reservation {
        /// Whose.
        party: usize,
        /// How.
        change: Change,
    },
    /// A party's weight of an issue changes (linear additive preferences, with or without
    /// interaction terms).
    Weight {
        /// Whose.
        party: usize,
        /// Which issue.
        issue: usize,
        /// The new weight.
        weight: f64,
    },
    /// The deadline moves to this many rounds in total.
    Deadline {
        /// The new deadline.
        rounds: u32,
    },
    /// A value of an issue becomes available or unavailable.
    Availability {
        /// The issue.
        issue: usize,
        /// The value index.
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
    /// When it fires.
    pub trigger: Trigger,
    /// What it does, in order.
    pub effects: Vec<Effect>,
}

/// Everything needed to run a negotiation except the negotiators' code.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// What the scenario models.
    pub description: String,
    /// The issues and their values.
    pub space: OutcomeSpace,
    /// The parties, in turn order.
    pub parties: Vec<Party>,
    /// Deadline and limits.
    pub protocol: ProtocolSettings,
    /// Timeline events.
    pub events: Vec<Event>,
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
        Ok(())
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
