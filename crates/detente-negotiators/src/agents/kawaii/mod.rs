//! Kawaii (team Fairy), ANAC 2015 (multilateral SAOP, GENIUS `agents.anac.y2015.fairy.kawaii`);
//! one of the five members of Caduceus (ANAC 2016).
//!
//! Split by phase: this file holds the negotiator (threshold, acceptance, what it hears);
//! [`search`] the bid search (its best bid found by simulated annealing at the start, a
//! conceding search from it on linear spaces, annealing otherwise).

mod search;

use detente_core::{
    Action, Negotiator, NegotiatorError, Outcome, OutcomeSpace, SessionInfo, State,
};

use crate::boa::java_random::{JavaRandom, Seeds};
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// The lowest threshold: it never asks for less, nor accepts less.
pub const MIN_THRESHOLD: f64 = 0.8;

/// Kawaii: a Boulware threshold `1 - 0.2 t^2` that drops towards 0.8 in proportion to the
/// share of the other parties that accepted since it last looked, discounted, never below
/// 0.8; it accepts an offer at or above the threshold and offers an outcome just above it.
///
/// - **threshold** at time `t` (discount factor `df`, `a` the other parties that accepted
///   since the previous computation, `n - 1` the other parties): `τ = 1 - 0.2 t²`, then
///   `τ - (τ - 0.8) a / (n - 1)`, times `df^t`, at least 0.8. Every computation forgets the
///   accepts heard so far, as the original does: the acceptance test sees them, the offer
///   that follows it does not.
/// - **accept** the last offer heard when its (undiscounted) utility is at or above the
///   threshold; **end** the talks when `rv df^t` exceeds it.
/// - **offer**: from its best bid, issue by issue in a random order, the first value (in a
///   random order) whose loss keeps the total loss within `1 - threshold` (linear spaces);
///   once that misses the threshold, simulated annealing towards the threshold from a random
///   outcome instead; its best bid when the result is below the threshold.
///
/// Its random choices are `java.util.Random` draws made as the original makes them: the
/// negotiation's generator (`AbstractNegotiationParty.rand`), `Collections.shuffle`'s, and a
/// new generator for each random search, created in that order from [`SessionInfo::seed`]
/// (see `docs/negotiators.md`).
#[derive(Debug, Clone, Default)]
pub struct Kawaii {
    state: Option<KawaiiState>,
}

#[derive(Debug, Clone)]
struct KawaiiState {
    own: Own,
    space: OutcomeSpace,
    party: usize,
    parties: usize,
    rv: f64,
    df: f64,
    /// The issue list of the original's `negotiatingInfo`, which its searches shuffle in
    /// place (the order persists from one search to the next).
    issues: Vec<usize>,
    /// Its best bid: found by annealing at the start, replaced by any better or equal bid an
    /// annealing step meets.
    max_bid: Vec<u32>,
    /// `u(max bid with issue i set to v) - u(max bid)`, for the max bid found at the start.
    relative: Vec<Vec<f64>>,
    /// Whether the conceding search of linear spaces has not failed yet.
    linear: bool,
    /// The last offer heard.
    offered: Option<Outcome>,
    /// The other parties in the order first heard.
    opponents: Vec<usize>,
    /// Whether each party's last action since the threshold was last computed was an accept
    /// (`None`: not heard since).
    accepted: Vec<Option<bool>>,
    /// `AbstractNegotiationParty.rand` (its random outcome each turn).
    rand: JavaRandom,
    /// `Collections.shuffle`'s generator.
    shuffler: JavaRandom,
    /// Where the generators of each search come from.
    seeds: Seeds,
}

impl Kawaii {
    /// A Kawaii.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `kawaii`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "kawaii",
            "Kawaii (ANAC 2015, team Fairy; a member of Caduceus): Boulware threshold \
             1 - 0.2 t^2 lowered towards 0.8 by the others' accepts; offers just above it \
             by a conceding search from its best bid",
            |_| Box::new(Kawaii::new()),
        )
        .source(
            "ANAC 2015 multilateral league, team Fairy (GENIUS agents.anac.y2015.fairy.kawaii); \
             a member of Caduceus, Gunes et al., ANAC 2016",
        )
    }
}

impl KawaiiState {
    fn utility(&self, values: &[u32]) -> f64 {
        self.own.utility_of(values)
    }

    /// The original's `strategy.getThreshold`; forgets the accepts heard.
    fn threshold(&mut self, t: f64) -> f64 {
        let mut threshold = 1.0 - (1.0 - MIN_THRESHOLD) * t.powf(1.0 / 0.5);
        let heard = self.accepted.iter().any(Option::is_some);
        let accepts = self
            .opponents
            .iter()
            .filter(|&&p| heard && self.accepted[p] == Some(true))
            .count();
        let others = (self.parties - 1) as f64;
        threshold -= (threshold - MIN_THRESHOLD) * accepts as f64 / others;
        self.accepted.iter_mut().for_each(|a| *a = None);
        threshold *= self.df.powf(t);
        threshold.max(MIN_THRESHOLD)
    }
}

impl Negotiator for Kawaii {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let own = Own::new(info, "Kawaii")?;
        let prefs = info.preferences();
        let seeds = Seeds::new(info.seed);
        let rand = seeds.next_random();
        let shuffler = seeds.next_random();
        let n = info.space().issues().len();
        let mut state = KawaiiState {
            own,
            space: info.space().clone(),
            party: info.party,
            parties: info.n_parties(),
            rv: prefs.reservation,
            df: prefs.discount,
            issues: (0..n).collect(),
            max_bid: Vec::new(),
            relative: Vec::new(),
            linear: true,
            offered: None,
            opponents: Vec::new(),
            accepted: vec![None; info.n_parties()],
            rand,
            shuffler,
            seeds,
        };
        state.init_max_bid();
        state.relative = state.relative_utilities();
        self.state = Some(state);
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        let t = state.time;
        // Accept is a valid action when an offer stands; the test reads the last offer heard.
        if state.standing.is_some()
            && let Some(o) = s.offered.clone()
        {
            let u = s.own.utility(&o);
            if u >= s.threshold(t) {
                return Action::Accept;
            }
        }
        if s.rv * s.df.powf(t) > s.threshold(t) {
            return Action::End;
        }
        let base = s.random_bid();
        let threshold = s.threshold(t);
        Action::Offer(Outcome(s.bid(base, threshold)))
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        let Some(s) = self.state.as_mut() else {
            return;
        };
        if party == s.party {
            return;
        }
        let accepted = match action {
            Action::Accept => true,
            Action::Offer(o) => {
                s.offered = Some(o.clone());
                false
            }
            Action::End => return,
        };
        if !s.opponents.contains(&party) {
            s.opponents.push(party);
        }
        s.accepted[party] = Some(accepted);
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests;
