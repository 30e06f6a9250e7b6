//! The informed mediator (see the module docs of [`super`]).

use rand::RngCore;

use super::{MediatorStrategy, MediatorView, Proposal, Vote, Walk};
use crate::space::{Outcome, OutcomeId};

/// Tolerance when comparing a text's utility with what a party accepted before.
const EPS: f64 = 1e-12;

/// A mediator that knows the parties' utilities.
///
/// **Ranking.** Texts are ranked by a score over the active parties and their current
/// reservation values `r_i`, individually rational texts (every `u_i >= r_i`) first: the Nash
/// product `prod_i (u_i - r_i)`, taken as the geometric mean of the gains `g = (prod_i (u_i -
/// r_i))^(1/k)` over the `k` active parties; a mediating party `m` with `bias` `b` ranks by
/// `(1 - b) g + b (u_m - r_m)`, so that who mediates matters (a neutral mediator has no gain of
/// its own and ranks by `g`). Ties: the larger sum of utilities, then the smaller outcome id.
/// The ranking is recomputed whenever the scenario changes.
///
/// **What it learns.** A party that accepts a text, or proposes one as its counter-proposal,
/// would accept anything at least as good for it (its acceptance threshold), until it refuses a
/// text that good (its demands rose); a party that refuses a text wants more than that text
/// gives it, until it accepts a text no better (its demands fell). Each round the mediator
/// tables, in this order of preference:
///
/// 1. the best-ranked text every party still voting is known to accept (a deal that exists);
/// 2. else the best-ranked individually rational text that is better, for every party, than
///    the best text it refused (a text each might accept);
/// 3. else, having forgotten the refusals (demands fall as time passes), the best-ranked
///    individually rational text again;
/// 4. else the next text of its ranking.
///
/// When the outcomes cannot be enumerated it says so and walks by hill-climbing instead.
#[derive(Debug, Clone, Default)]
pub struct Informed {
    bias: f64,
    /// Outcome ids in the order of the ranking.
    order: Vec<OutcomeId>,
    /// The next text of the ranking to table while exploring.
    next: usize,
    /// The scenario version the order was computed for.
    version: Option<u64>,
    /// For each party, the text it is known to accept with the lowest utility to it.
    floors: Vec<Option<Outcome>>,
    /// For each party, the best text (to it) it refused since its demands last fell.
    refused: Vec<Option<Outcome>>,
    /// Set once the outcomes could not be enumerated.
    fallback: Option<Walk>,
}

impl Informed {
    /// An informed mediator whose mediating party (if any) ranks with `bias` in [0, 1].
    pub fn with_bias(bias: f64) -> Self {
        Informed {
            bias: bias.clamp(0.0, 1.0),
            ..Informed::default()
        }
    }

    /// An informed mediator without bias.
    pub fn new() -> Self {
        Informed::default()
    }

    /// Outcome ids by decreasing score (see the type docs), or `None` when the space is too
    /// large to enumerate.
    fn ranking(&self, view: &MediatorView<'_>) -> Option<Vec<OutcomeId>> {
        let scenario = view.scenario;
        let active: Vec<usize> = (0..scenario.parties.len())
            .filter(|&p| view.active[p])
            .collect();
        let mut tables = Vec::with_capacity(active.len());
        for &p in &active {
            tables.push(view.tables.party(scenario, p).ok()?);
        }
        let reservation = |p: usize| scenario.parties[p].preferences.reservation;
        let own = view
            .mediator
            .and_then(|m| active.iter().position(|&p| p == m));
        let k = active.len().max(1) as f64;
        let mut scored: Vec<(bool, f64, f64, OutcomeId)> = tables
            .first()?
            .order
            .iter()
            .map(|&id| {
                let (mut rational, mut product, mut sum) = (true, 1.0, 0.0);
                for (t, &p) in tables.iter().zip(&active) {
                    let u = t.utilities[id as usize];
                    rational &= u >= reservation(p);
                    product *= (u - reservation(p)).max(0.0);
                    sum += u;
                }
                let nash = product.powf(1.0 / k);
                let score = match own {
                    Some(i) => {
                        let gain = tables[i].utilities[id as usize] - reservation(active[i]);
                        (1.0 - self.bias) * nash + self.bias * gain
                    }
                    None => nash,
                };
                (rational, score, sum, id)
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

    /// What `party` is known to accept (see the type docs): a bound on its utility, or `None`
    /// when no text is known to be acceptable to it.
    fn known_bound(&self, view: &MediatorView<'_>, party: usize) -> Option<Bound> {
        let prefs = &view.scenario.parties[party].preferences;
        let floor = prefs.utility(self.floors[party].as_ref()?);
        Some(Bound {
            at_least: (prefs.reservation - EPS).max(floor - EPS),
            above: None,
        })
    }

    /// What `party` might accept: individually rational for it and better than the best text
    /// it refused.
    fn might_bound(&self, view: &MediatorView<'_>, party: usize) -> Option<Bound> {
        let prefs = &view.scenario.parties[party].preferences;
        Some(Bound {
            at_least: prefs.reservation - EPS,
            above: self.refused[party].as_ref().map(|r| prefs.utility(r) + EPS),
        })
    }

    /// The best-ranked text that every party still voting accepts by the bound `bound` gives
    /// it (and that a mediating party, which never tables a text below its own reservation
    /// value, accepts). Utilities are read from the scenario's tables, which hold exactly what
    /// the preferences give.
    fn best_where(
        &self,
        view: &MediatorView<'_>,
        bound: impl Fn(usize) -> Option<Bound>,
    ) -> Option<Outcome> {
        let scenario = view.scenario;
        let table = |p: usize| view.tables.party(scenario, p).ok();
        let mut voters = Vec::new();
        for p in (0..view.active.len()).filter(|&p| view.active[p] && Some(p) != view.mediator) {
            voters.push((table(p)?, bound(p)?));
        }
        if voters.is_empty() {
            return None;
        }
        let mediator = match view.mediator {
            Some(m) => Some((table(m)?, scenario.parties[m].preferences.reservation)),
            None => None,
        };
        let id = self.order.iter().copied().find(|&id| {
            let i = id as usize;
            mediator.as_ref().is_none_or(|(t, r)| t.utilities[i] >= *r)
                && voters.iter().all(|(t, b)| b.admits(t.utilities[i]))
        })?;
        scenario.space.outcome(id)
    }

    /// Recomputes the ranking after a change of scenario; `false` when it cannot be computed.
    fn refresh(&mut self, view: &MediatorView<'_>) -> bool {
        self.floors.resize(view.active.len(), None);
        self.refused.resize(view.active.len(), None);
        if self.version == Some(view.version) {
            return true;
        }
        self.version = Some(view.version);
        self.next = 0;
        match self.ranking(view) {
            Some(order) => {
                self.order = order;
                true
            }
            None => false,
        }
    }

    fn fall_back(&mut self, view: &MediatorView<'_>, rng: &mut dyn RngCore) -> Proposal {
        let mut walk = Walk::hill_climbing();
        let mut proposal = walk.next_text(view, rng);
        self.fallback = Some(walk);
        proposal.notice = Some(
            "the informed mediator cannot enumerate the outcomes; it walks by hill-climbing \
             instead"
                .into(),
        );
        proposal
    }
}

impl MediatorStrategy for Informed {
    fn next_text(&mut self, view: &MediatorView<'_>, rng: &mut dyn RngCore) -> Proposal {
        if let Some(walk) = self.fallback.as_mut() {
            return walk.next_text(view, rng);
        }
        if !self.refresh(view) {
            return self.fall_back(view, rng);
        }
        if let Some(text) = self.best_where(view, |p| self.known_bound(view, p)) {
            return text.into();
        }
        if let Some(text) = self.best_where(view, |p| self.might_bound(view, p)) {
            return text.into();
        }
        self.refused.iter_mut().for_each(|r| *r = None);
        if let Some(text) = self.best_where(view, |p| self.might_bound(view, p)) {
            return text.into();
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

    fn observe_vote(&mut self, view: &MediatorView<'_>, vote: &Vote<'_>) {
        if let Some(walk) = self.fallback.as_mut() {
            return walk.observe_vote(view, vote);
        }
        self.floors.resize(view.active.len(), None);
        self.refused.resize(view.active.len(), None);
        let prefs = &view.scenario.parties[vote.party].preferences;
        let mut known = Known {
            floor: &mut self.floors[vote.party],
            refused: &mut self.refused[vote.party],
            utility: &|o: &Outcome| prefs.utility(o),
        };
        if vote.accepted {
            known.accepts(vote.text);
        } else {
            known.refuses(vote.text);
        }
        if let Some(counter) = vote.counter {
            known.accepts(counter);
        }
    }

    fn observe_round(&mut self, view: &MediatorView<'_>, text: &Outcome, votes: &[bool]) {
        if let Some(walk) = self.fallback.as_mut() {
            walk.observe_round(view, text, votes);
        }
    }
}

/// The utilities a party is taken to accept: at least `at_least`, and strictly above `above`.
#[derive(Debug, Clone, Copy)]
struct Bound {
    at_least: f64,
    above: Option<f64>,
}

impl Bound {
    fn admits(&self, u: f64) -> bool {
        u >= self.at_least && self.above.is_none_or(|a| u > a)
    }
}

/// What the mediator knows of one party's demands (see [`Informed`]).
struct Known<'a> {
    floor: &'a mut Option<Outcome>,
    refused: &'a mut Option<Outcome>,
    utility: &'a dyn Fn(&Outcome) -> f64,
}

impl Known<'_> {
    /// The party accepts `o` (or proposed it).
    fn accepts(&mut self, o: &Outcome) {
        let u = self.utility;
        if self.refused.as_ref().is_some_and(|r| u(o) <= u(r) + EPS) {
            *self.refused = None; // it accepts what it refused before: its demands fell
        }
        if self.floor.as_ref().is_none_or(|f| u(o) < u(f)) {
            *self.floor = Some(o.clone());
        }
    }

    /// The party refuses `o`.
    fn refuses(&mut self, o: &Outcome) {
        let u = self.utility;
        if self.floor.as_ref().is_some_and(|f| u(o) >= u(f) - EPS) {
            *self.floor = None; // it refuses what it accepted before: its demands rose
        }
        if self.refused.as_ref().is_none_or(|r| u(o) > u(r)) {
            *self.refused = Some(o.clone());
        }
    }
}
