//! AgentM (Makoto Niimi, Takayuki Ito), winner of ANAC 2014 (bilateral, non-linear league,
//! GENIUS).
//!
//! Split by phase: this file holds the negotiator (its bookkeeping of the opponent's offers
//! and its acceptance); [`search`] the bid search.

mod search;

use detente_core::{
    Action, Negotiator, NegotiatorError, Outcome, OutcomeSpace, SessionInfo, State,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::require_bilateral;
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// AgentM: a simulated-annealing bidder written for ANAC 2014's integer issues, read here on
/// each issue's value index (`0..k`). It accepts an offer worth *more* than the worst bid it
/// has made (this turn's included); otherwise it offers its best bid so far, which each turn
/// it looks for anew.
///
/// - **first turn**: up to 1,000 random outcomes, the best kept (stopping at one above 0.98),
///   then annealing (temperature `0.01 (1 - i / 1000)^2`, at most 1,000 steps, while below
///   0.999) from the last draw over neighbours that move `n / 10` random issues (`n` issues)
///   one step on their value index, keeping the best outcome met.
/// - **later turns**: the same draws (a draw better than the best bid, read discounted at the
///   current time, replaces it), then annealing while the last replacement is below
///   `0.999 - c`, `c = (u(worst offer received) - u(best offer received))^2 + t / 10`; each
///   neighbour also takes, `n / 5` times, the opponent's most frequent value on one random issue
///   (every other time its best offer's) and its best offer's value on another; a move worth
///   more than `u(best bid) - c` becomes the best bid, so it concedes by up to `c` per move.
/// - **frequencies**: each turn it counts the values of the offer on the table; an issue's
///   most frequent value is the first with the highest count among all values but the last
///   (the original's loop stops one short), value 0 while none is counted.
///
/// It ignores its reservation value, as the original does. Bilateral only. Its random
/// choices come from a `ChaCha8Rng` seeded with [`SessionInfo::seed`].
#[derive(Debug, Clone, Default)]
pub struct AgentM {
    state: Option<AgentMState>,
}

#[derive(Debug, Clone)]
struct AgentMState {
    own: Own,
    space: OutcomeSpace,
    party: usize,
    /// The number of values of each issue.
    cards: Vec<u32>,
    /// The discount factor (1 without discounting).
    df: f64,
    /// Its best bid so far and its undiscounted utility.
    bidmax: Option<Vec<u32>>,
    bidmax_u: f64,
    /// The worst utility among the bids it made.
    worst_own: f64,
    /// The opponent's best offer (the first of the best) and the worst utility it offered.
    opponent_best: Option<(Vec<u32>, f64)>,
    opponent_worst: f64,
    /// How often the opponent's offer on the table held each value, counted at its turns.
    counts: Vec<Vec<u32>>,
    /// Each issue's most frequent value, as of its last turn.
    most_frequent: Vec<u32>,
    rng: ChaCha8Rng,
}

impl AgentM {
    /// An AgentM.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `agentm`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "agentm",
            "AgentM (ANAC 2014 winner): simulated annealing for its best bid, conceding by \
             the spread of the opponent's offers and time, pulled towards the opponent's \
             frequent and best values; accepts above the worst bid it made (bilateral)",
            |_| Box::new(AgentM::new()),
        )
        .source(
            "Niimi and Ito, AgentM, ANAC 2014 (GENIUS agents.anac.y2014.AgentM), issues read \
             as integer value indices",
        )
        .bilateral()
    }
}

/// The original's `maxissue` for one issue: the first value with the highest positive count
/// among all values but the last, 0 when none is counted.
pub(crate) fn most_frequent(counts: &[u32]) -> u32 {
    let mut best = (0, 0);
    for (v, &c) in counts
        .iter()
        .enumerate()
        .take(counts.len().saturating_sub(1))
    {
        if c > best.1 {
            best = (v as u32, c);
        }
    }
    best.0
}

impl AgentMState {
    /// Counts the offer on the table and updates the most frequent values (the original
    /// does this inside its acceptance test, after bidding).
    fn count(&mut self, offer: &Outcome) {
        for (i, &v) in offer.0.iter().enumerate() {
            self.counts[i][v as usize] += 1;
            self.most_frequent[i] = most_frequent(&self.counts[i]);
        }
    }

    /// This turn's bid: its best bid after this turn's search.
    fn bid(&mut self, t: f64) -> Vec<u32> {
        match (&self.bidmax, self.opponent_best.clone()) {
            (Some(_), Some((best, best_u))) => {
                self.later_search(t, &best, self.opponent_worst - best_u)
            }
            _ => self.first_search(t),
        }
        let bid = self
            .bidmax
            .clone()
            .expect("a search always sets the best bid");
        self.worst_own = self.worst_own.min(self.bidmax_u);
        bid
    }
}

impl Negotiator for AgentM {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        require_bilateral(info, "AgentM")?;
        let own = Own::new(info, "AgentM")?;
        let cards: Vec<u32> = info
            .space()
            .issues()
            .iter()
            .map(|i| i.cardinality() as u32)
            .collect();
        let discount = info.preferences().discount;
        self.state = Some(AgentMState {
            own,
            space: info.space().clone(),
            party: info.party,
            counts: cards.iter().map(|&k| vec![0; k as usize]).collect(),
            most_frequent: vec![0; cards.len()],
            cards,
            df: if discount > 0.0 && discount < 1.0 {
                discount
            } else {
                1.0
            },
            bidmax: None,
            bidmax_u: 0.0,
            worst_own: f64::INFINITY,
            opponent_best: None,
            opponent_worst: f64::INFINITY,
            rng: ChaCha8Rng::seed_from_u64(info.seed),
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        let bid = s.bid(state.time);
        if let Some(standing) = state.standing {
            s.count(&standing.outcome);
            if s.own.utility(&standing.outcome) > s.worst_own {
                return Action::Accept;
            }
        }
        Action::Offer(Outcome(bid))
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        let Some(s) = self.state.as_mut() else {
            return;
        };
        if party == s.party {
            return;
        }
        if let Action::Offer(o) = action {
            let u = s.own.utility(o);
            s.opponent_worst = s.opponent_worst.min(u);
            if s.opponent_best.as_ref().is_none_or(|(_, b)| u > *b) {
                s.opponent_best = Some((o.0.clone(), u));
            }
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

    #[test]
    fn most_frequent_skips_the_last_value_and_keeps_the_first_of_ties() {
        assert_eq!(most_frequent(&[2, 3, 3, 5]), 1);
        assert_eq!(most_frequent(&[0, 0, 0]), 0);
        assert_eq!(most_frequent(&[0, 0, 4]), 0);
        assert_eq!(most_frequent(&[1, 0, 2, 0]), 2);
        assert_eq!(most_frequent(&[7]), 0);
    }

    /// On the pie (one issue, 11 values, its utility `v / 10`) the draws find the best outcome
    /// 10 (utility 1 > 0.98); it accepts only offers worth more than its worst bid.
    #[test]
    fn accepts_only_above_its_worst_bid() {
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 100, 7);
        let mut a = AgentM::new();
        a.init(&info).unwrap();
        assert_eq!(a.act(&state(0.0, None)), Action::Offer(Outcome(vec![10])));
        let offer = |v| Offer {
            outcome: Outcome(vec![v]),
            by: Actor::Party(1),
        };
        let st = state(0.1, None);
        a.observe(1, &Action::Offer(Outcome(vec![9])), &st);
        // Its worst bid is still 10 (the draws keep the best, one issue has no neighbours):
        // 0.9 is not above 1, and with one issue (1 / 5 = 0 pulls) it keeps offering 10.
        assert_eq!(
            a.act(&state(0.1, Some(&offer(9)))),
            Action::Offer(Outcome(vec![10]))
        );
        // Offering 10 itself: 1.0 is not *above* 1.0.
        a.observe(1, &Action::Offer(Outcome(vec![10])), &st);
        assert_eq!(
            a.act(&state(0.2, Some(&offer(10)))),
            Action::Offer(Outcome(vec![10]))
        );
    }

    /// The acceptance rule against a worst bid below its best: an offer above the worst
    /// bid is accepted, one at or below it is answered with its best bid.
    #[test]
    fn accepts_above_a_conceded_worst_bid() {
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 100, 3);
        let mut a = AgentM::new();
        a.init(&info).unwrap();
        a.act(&state(0.0, None));
        a.state.as_mut().unwrap().worst_own = 0.85;
        let offer = |v| Offer {
            outcome: Outcome(vec![v]),
            by: Actor::Party(1),
        };
        let st = state(0.1, None);
        a.observe(1, &Action::Offer(Outcome(vec![9])), &st);
        assert_eq!(a.act(&state(0.1, Some(&offer(9)))), Action::Accept);
        a.observe(1, &Action::Offer(Outcome(vec![8])), &st);
        assert!(matches!(
            a.act(&state(0.1, Some(&offer(8)))),
            Action::Offer(_)
        ));
    }

    /// The later search concedes by `c = (u(worst offer) - u(best offer))^2 + t / 10`: the
    /// opponent offered 5 (0.5) and 0 (0), so at `t = 0.6` `c = 0.25 + 0.06 = 0.31`; no draw
    /// beats its best bid 10, and the last draw (its own neighbour on one issue) replaces it
    /// when worth more than `1 - 0.31`: its offer is 10, 9, 8 or 7, and over seeds sometimes
    /// below 10.
    #[test]
    fn later_turns_concede_by_the_spread_and_time() {
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let mut conceded = 0;
        for seed in 0..20 {
            let info = crate::testutil::info(0, &s, &tables, 100, seed);
            let mut a = AgentM::new();
            a.init(&info).unwrap();
            assert_eq!(a.act(&state(0.0, None)), Action::Offer(Outcome(vec![10])));
            let st = state(0.4, None);
            a.observe(1, &Action::Offer(Outcome(vec![5])), &st);
            a.observe(1, &Action::Offer(Outcome(vec![0])), &st);
            let standing = Offer {
                outcome: Outcome(vec![0]),
                by: Actor::Party(1),
            };
            let Action::Offer(o) = a.act(&state(0.6, Some(&standing))) else {
                panic!("an offer of 0 is below its worst bid");
            };
            assert!(o.0[0] >= 7, "seed {seed}: offered {o:?}");
            conceded += usize::from(o.0[0] < 10);
        }
        assert!(conceded > 0);
    }

    #[test]
    fn refuses_more_than_two_parties() {
        let mut s = pie(0.0);
        s.parties.push(s.parties[1].clone());
        s.parties[2].name = "c".into();
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 10, 1);
        let e = AgentM::new().init(&info).unwrap_err();
        assert!(e.0.contains("bilateral"), "{}", e.0);
    }
}
