//! Atlas3 (Akiyuki Mori, Takayuki Ito), winner of ANAC 2015 (multilateral SAOP, GENIUS).
//!
//! Split by phase: this file holds the negotiator (its talks bookkeeping, acceptance and final
//! phase); [`threshold`] the game-theoretic threshold; [`search`] the bid search.

mod search;
mod threshold;

use detente_core::{
    Action, Negotiator, NegotiatorError, Outcome, OutcomeSpace, SessionInfo, State,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

pub use threshold::threshold;

/// Atlas3: it concedes towards the expected utility of a *final offer game* (whether each
/// side holds out or gives in at the deadline), estimated from the best utility offered to
/// it (bilateral) or the best outcome every other party supported (multilateral); offers
/// bids just above its threshold found by local search and nudged towards the values the
/// opponents offer most; and at the end re-offers, best first, the outcomes the others
/// supported.
///
/// - **threshold** at time `t` (discount factor `df`, reservation value `rv`): with `C` the
///   best utility offered by the opponent (two parties) or the best utility among the
///   outcomes all other parties supported (more), the game's payoffs are `A11 = rv df`,
///   `A12 = df`, `A21 = C df` (or `rv df` when `C < rv`), `A22 = (A21 + A12) / 2`; the
///   opponent's equilibrium mix `q = 1 / (1 - (A11 - A21) / (A12 - A22))` (1 when undefined
///   or outside `[0, 1]`); `target = (q A21 + (1 - q) A22) / df^t`; the threshold is
///   `target + (1 - target)(1 - t)` without discounting, else `max(1 - t / df, target)`.
/// - **accept** an offer at or above the threshold; **end** the talks when `rv df^t` reaches
///   it.
/// - **offer**: from a random outcome, the lowest-utility neighbours (one issue changed) at or
///   above the threshold (one at random); failing that a search from its best outcome
///   conceding issue by issue (linear spaces) or simulated annealing; failing that its best
///   outcome. Then, issue by issue in random order, the value the opponents offered most
///   replaces its own when that loses it nothing.
/// - **final phase**: when `t > 1 - s (|P| + 1)` (`s` the time between its turns, `P` the
///   outcomes every other party supported, best first), it re-offers them one by one while
///   they beat the offer on the table and its reservation value, else accepts the offer when
///   it beats its reservation value; once through the list it accepts any offer at or above
///   its reservation value.
///
/// It plays any number of parties. Its random choices come from a `ChaCha8Rng` seeded with
/// [`SessionInfo::seed`].
#[derive(Debug, Clone, Default)]
pub struct Atlas3 {
    state: Option<Atlas3State>,
}

#[derive(Debug, Clone)]
struct Atlas3State {
    own: Own,
    space: OutcomeSpace,
    party: usize,
    parties: usize,
    rv: f64,
    df: f64,
    /// `u(best with issue i set to v) - u(best)`.
    relative: Vec<Vec<f64>>,
    /// How often the other parties offered each value.
    frequency: Vec<Vec<u32>>,
    /// Whether the conceding search of linear spaces has not failed yet.
    linear: bool,
    /// The best utility an opponent offered it.
    best_offered: f64,
    /// The outcomes every other party supported, best first (ties in the order found).
    popular: Vec<Outcome>,
    /// The best utility among `popular`.
    best_popular: f64,
    /// The standing offer and how many parties support it.
    offered: Option<Outcome>,
    supporters: usize,
    /// Its own turns so far, and the time between them.
    turns: u32,
    time_scale: f64,
    /// How far it went through `popular` in the final phase.
    final_index: usize,
    rng: ChaCha8Rng,
}

impl Atlas3 {
    /// An Atlas3.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `atlas3`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "atlas3",
            "Atlas3 (ANAC 2015 winner): concedes towards the expected utility of a final offer \
             game; bids found by local search near its threshold, nudged towards the \
             opponents' frequent values; re-offers the popular bids at the end",
            |_| Box::new(Atlas3::new()),
        )
        .source(
            "Mori and Ito, Atlas3: a negotiating agent based on expecting lower limit of \
             concession function, ANAC 2015 (GENIUS agents.anac.y2015.Atlas3)",
        )
    }
}

impl Atlas3State {
    fn utility(&self, values: &[u32]) -> f64 {
        self.own.utility(&Outcome(values.to_vec()))
    }

    fn threshold(&self, t: f64) -> f64 {
        let c = if self.parties == 2 {
            self.best_offered
        } else {
            self.best_popular
        };
        threshold(t, c, self.rv, self.df)
    }

    /// The original's `chooseFinalAction`.
    fn final_action(&mut self, t: f64) -> Action {
        let offered = self.offered.as_ref().map_or(0.0, |o| self.own.utility(o));
        if self.final_index >= self.popular.len() {
            if self.offered.is_some() && offered >= self.rv {
                return Action::Accept;
            }
            return self.offer(t);
        }
        let candidate = self.popular[self.final_index].clone();
        let u = self.own.utility(&candidate);
        if u > offered && u > self.rv {
            self.final_index += 1;
            return Action::Offer(candidate);
        }
        if self.offered.is_some() && offered > self.rv {
            return Action::Accept;
        }
        self.offer(t)
    }

    fn offer(&mut self, t: f64) -> Action {
        let threshold = self.threshold(t);
        Action::Offer(Outcome(self.search(threshold)))
    }
}

impl Negotiator for Atlas3 {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let mut own = Own::new(info, "Atlas3")?;
        let best = own.outcome_at(0);
        let best_u = own.utility(&best);
        let relative = info
            .space()
            .issues()
            .iter()
            .enumerate()
            .map(|(i, issue)| {
                (0..issue.cardinality() as u32)
                    .map(|v| {
                        let mut o = best.clone();
                        o.0[i] = v;
                        own.utility(&o) - best_u
                    })
                    .collect()
            })
            .collect();
        let frequency = info
            .space()
            .issues()
            .iter()
            .map(|i| vec![0; i.cardinality() as usize])
            .collect();
        let prefs = info.preferences();
        self.state = Some(Atlas3State {
            space: info.space().clone(),
            party: info.party,
            parties: info.n_parties(),
            rv: prefs.reservation,
            df: prefs.discount,
            relative,
            frequency,
            linear: true,
            best_offered: 0.0,
            popular: Vec::new(),
            best_popular: 0.0,
            offered: None,
            supporters: 0,
            turns: 0,
            time_scale: 0.0,
            final_index: 0,
            rng: ChaCha8Rng::seed_from_u64(info.seed),
            own,
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        let t = state.time;
        s.turns += 1;
        s.time_scale = t / f64::from(s.turns);
        if t > 1.0 - s.time_scale * (s.popular.len() + 1) as f64 {
            return s.final_action(t);
        }
        let threshold = s.threshold(t);
        if let Some(o) = &s.offered
            && s.own.utility(o) >= threshold
        {
            return Action::Accept;
        }
        if s.rv * s.df.powf(t) >= threshold {
            return Action::End;
        }
        Action::Offer(Outcome(s.search(threshold)))
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        let Some(s) = self.state.as_mut() else {
            return;
        };
        if party == s.party {
            return;
        }
        match action {
            Action::Accept => s.supporters += 1,
            Action::Offer(o) => {
                s.supporters = 1;
                let u = s.own.utility(o);
                s.best_offered = s.best_offered.max(u);
                for (counts, &v) in s.frequency.iter_mut().zip(&o.0) {
                    counts[v as usize] += 1;
                }
                s.offered = Some(o.clone());
            }
            Action::End => {}
        }
        if s.supporters == s.parties - 1
            && let Some(o) = &s.offered
            && !s.popular.contains(o)
        {
            let u = s.own.utility(o);
            s.best_popular = s.best_popular.max(u);
            // A stable insertion by decreasing utility, as the original's sort.
            let at = s.popular.partition_point(|p| s.own.utility(p) >= u);
            s.popular.insert(at, o.clone());
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{pie, state};
    use detente_core::{Actor, Offer, ScenarioTables};

    /// The final phase: the outcomes the opponent supported, best first, are re-offered while
    /// they beat the offer on the table; then the offer is accepted.
    #[test]
    fn final_phase_re_offers_the_popular_bids_then_accepts() {
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 10, 1);
        let mut a = Atlas3::new();
        a.init(&info).unwrap();
        // The opponent offered 5 (utility 0.5 to party 0), then 3 (0.3): both are popular
        // (every other party, the one opponent, supported them), 5 first.
        let st = state(0.9, None);
        a.observe(1, &Action::Offer(Outcome(vec![5])), &st);
        a.observe(1, &Action::Offer(Outcome(vec![3])), &st);
        let standing = Offer {
            outcome: Outcome(vec![3]),
            by: Actor::Party(1),
        };
        // First turn at 0.95: the time between turns is 0.95, so 0.95 > 1 - 0.95 * 3.
        assert_eq!(
            a.act(&state(0.95, Some(&standing))),
            Action::Offer(Outcome(vec![5]))
        );
        // 3 does not beat the offer on the table (3 itself), which beats the reservation
        // value 0: accept.
        assert_eq!(a.act(&state(0.96, Some(&standing))), Action::Accept);
    }
}
