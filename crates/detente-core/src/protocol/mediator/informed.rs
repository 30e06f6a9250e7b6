//! The informed mediator (see the module docs of [`super`]).

use std::cmp::Ordering;

use rand::RngCore;

use super::{MediatorStrategy, MediatorView, Proposal, Walk};
use crate::space::{Outcome, OutcomeId};

/// A mediator that knows the parties' utilities and proposes texts in decreasing order of the
/// Nash product over the active parties and their current reservation values (individually
/// rational texts first; ties by the larger sum of utilities, then the smaller outcome id). The
/// order is recomputed whenever the scenario changes. When the outcomes cannot be enumerated
/// it says so and walks by hill-climbing instead.
#[derive(Debug, Clone, Default)]
pub struct Informed {
    /// Outcome ids in the order they are proposed.
    order: Vec<OutcomeId>,
    next: usize,
    /// The scenario version the order was computed for.
    version: Option<u64>,
    /// Set once the outcomes could not be enumerated.
    fallback: Option<Walk>,
}

impl Informed {
    /// An informed mediator.
    pub fn new() -> Self {
        Informed::default()
    }

    /// Outcome ids in decreasing Nash product over the active parties (individually rational
    /// first), or `None` when the space is too large to enumerate.
    fn nash_order(view: &MediatorView<'_>) -> Option<Vec<OutcomeId>> {
        let scenario = view.scenario;
        let voters = (0..scenario.parties.len()).filter(|&p| view.active[p]);
        let mut tables = Vec::new();
        let mut reservations = Vec::new();
        for p in voters {
            tables.push(view.tables.party(scenario, p).ok()?);
            reservations.push(scenario.parties[p].preferences.reservation);
        }
        let mut scored: Vec<(bool, f64, f64, OutcomeId)> = tables
            .first()?
            .order
            .iter()
            .map(|&id| {
                let (mut rational, mut product, mut sum) = (true, 1.0, 0.0);
                for (t, &r) in tables.iter().zip(&reservations) {
                    let u = t.utilities[id as usize];
                    rational &= u >= r;
                    product *= (u - r).max(0.0);
                    sum += u;
                }
                (rational, product, sum, id)
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        Some(scored.into_iter().map(|s| s.3).collect())
    }
}

impl MediatorStrategy for Informed {
    fn next_text(&mut self, view: &MediatorView<'_>, rng: &mut dyn RngCore) -> Proposal {
        if let Some(walk) = self.fallback.as_mut() {
            return walk.next_text(view, rng);
        }
        if self.version != Some(view.version) {
            self.version = Some(view.version);
            self.next = 0;
            match Self::nash_order(view) {
                Some(order) => self.order = order,
                None => {
                    let mut walk = Walk::hill_climbing();
                    let mut proposal = walk.next_text(view, rng);
                    self.fallback = Some(walk);
                    proposal.notice = Some(
                        "the informed mediator cannot enumerate the outcomes; it walks by \
                         hill-climbing instead"
                            .into(),
                    );
                    return proposal;
                }
            }
        }
        if !self.order.is_empty() {
            let id = self.order[self.next % self.order.len()];
            self.next += 1;
            if let Some(o) = view.scenario.space.outcome(id) {
                return o.into();
            }
        }
        // No feasible outcome listed (cannot happen for a valid scenario): hold the first one.
        let first = view.scenario.space.find_feasible();
        view.settle(first.unwrap_or_else(|| Outcome(vec![0; view.settled.len()])))
            .into()
    }

    fn incumbent(&self) -> Option<&Outcome> {
        self.fallback.as_ref().and_then(Walk::incumbent)
    }

    fn observe_vote(&mut self, party: usize, yes: bool, verdict: Option<Ordering>) {
        if let Some(walk) = self.fallback.as_mut() {
            walk.observe_vote(party, yes, verdict);
        }
    }

    fn observe_round(&mut self, view: &MediatorView<'_>, text: &Outcome, votes: &[bool]) {
        if let Some(walk) = self.fallback.as_mut() {
            walk.observe_round(view, text, votes);
        }
    }
}
