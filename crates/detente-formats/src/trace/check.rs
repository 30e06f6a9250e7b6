//! Whether a trace document holds together without its scenario: distinct parties, actions
//! by parties of the trace, offers where an offer is made, a utility for every party. What a
//! reader that has no scenario (the report, a notebook) relies on.

use detente_core::{ActionKind, Actor};

use super::doc::{ActionDoc, PerParty, TRACE_FORMAT, TraceDoc};
use crate::error::DocError;

impl TraceDoc {
    /// The index of the party called `name`, in turn order.
    pub fn party_index(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.name == name)
    }

    /// Who made an action: a party (its index) or the neutral mediator.
    pub fn actor(&self, action: &ActionDoc) -> Option<Actor> {
        match self.party_index(&action.party) {
            Some(p) => Some(Actor::Party(p)),
            None if action.action == ActionKind::Propose
                && action.party == Actor::MEDIATOR_NAME =>
            {
                Some(Actor::Mediator)
            }
            None => None,
        }
    }

    /// Numbers per party in turn order; `None` when a party has none.
    pub fn per_party_values(&self, values: &PerParty) -> Option<Vec<f64>> {
        self.parties
            .iter()
            .map(|p| values.get(&p.name).copied())
            .collect()
    }

    /// Checks that the document holds together: the format this build reads
    /// ([`super::TRACE_FORMAT`]), at least two parties with distinct names, a
    /// deadline of at least one round, every action by a party of the trace (or by the
    /// neutral mediator, for a proposal), an outcome for every offer and proposal, and
    /// utilities for every party wherever utilities are given or needed. Errors name the JSON
    /// path of the problem.
    pub fn check(&self) -> Result<(), DocError> {
        if self.format != TRACE_FORMAT {
            return Err(DocError::new(
                "$.format",
                format!(
                    "unsupported trace format `{}`; this build reads `{TRACE_FORMAT}`",
                    self.format
                ),
            ));
        }
        if self.parties.len() < 2 {
            return Err(DocError::new(
                "$.parties",
                "a negotiation needs at least two parties",
            ));
        }
        for (i, p) in self.parties.iter().enumerate() {
            if self.parties[..i].iter().any(|q| q.name == p.name) {
                return Err(DocError::new(
                    format!("$.parties[{i}]"),
                    format!("party `{}` is listed twice", p.name),
                ));
            }
        }
        if self.deadline == 0 {
            return Err(DocError::new(
                "$.deadline",
                "the deadline must be at least one round",
            ));
        }
        for (i, a) in self.actions.iter().enumerate() {
            self.check_action(a, &format!("$.actions[{i}]"))?;
        }
        self.check_per_party(&self.result.utilities, "$.result.utilities")
    }

    fn check_action(&self, a: &ActionDoc, at: &str) -> Result<(), DocError> {
        if self.actor(a).is_none() {
            return Err(DocError::new(
                format!("{at}.party"),
                format!("`{}` is not a party of this trace", a.party),
            ));
        }
        let offers = matches!(a.action, ActionKind::Offer | ActionKind::Propose);
        if offers && a.offer.is_none() {
            return Err(DocError::new(format!("{at}.offer"), "missing for an offer"));
        }
        match &a.utilities {
            Some(u) => self.check_per_party(u, &format!("{at}.utilities")),
            None if a.action == ActionKind::End => Ok(()),
            None => Err(DocError::new(format!("{at}.utilities"), "missing")),
        }
    }

    fn check_per_party(&self, values: &PerParty, at: &str) -> Result<(), DocError> {
        if let Some(name) = values.keys().find(|k| self.party_index(k).is_none()) {
            return Err(DocError::new(
                format!("{at}.{name}"),
                format!("`{name}` is not a party of this trace"),
            ));
        }
        if let Some(p) = self.parties.iter().find(|p| !values.contains_key(&p.name)) {
            return Err(DocError::new(
                at,
                format!("no value for party `{}`", p.name),
            ));
        }
        Ok(())
    }
}
