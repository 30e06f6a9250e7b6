//! A scenario: the outcome space, the parties with their preferences, and protocol settings.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::space::OutcomeSpace;
use crate::utility::{Preferences, Utility, UtilityFunction};

/// Which negotiator plays a party, and with what parameters: plain data, resolved into a
/// running [`crate::Negotiator`] by a registry (such as `detente-negotiators`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NegotiatorSpec {
    /// The kind's name, as the registry knows it (e.g. `boulware`, `time-based`).
    pub kind: String,
    /// Numeric parameters by name.
    pub params: BTreeMap<String, f64>,
}

impl NegotiatorSpec {
    /// A spec with no parameters.
    pub fn new(kind: impl Into<String>) -> Self {
        NegotiatorSpec {
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

impl std::fmt::Display for NegotiatorSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.kind)?;
        for (i, (k, v)) in self.params.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { ':' } else { ',' })?;
        }
        Ok(())
    }
}

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

/// Protocol settings of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolSettings {
    /// Deadline in rounds; in each round every party has one turn.
    pub rounds: u32,
    /// Optional wall-clock limit for the whole negotiation.
    pub time_limit: Option<Duration>,
}

impl Default for ProtocolSettings {
    fn default() -> Self {
        ProtocolSettings {
            rounds: 100,
            time_limit: None,
        }
    }
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
        if self.protocol.rounds == 0 {
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
