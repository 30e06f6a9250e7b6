//! AgentM's bid search (the original's `getRandomBid`): random draws for a better outcome,
//! then simulated annealing over neighbours one step away on an issue's value index, pulled
//! (after the first turn) towards the opponent's best and most frequent values.

use rand::Rng;

use super::AgentMState;

/// How many random draws, and how many annealing steps, a search takes at most.
pub(super) const ITERATIONS: u32 = 1000;

/// The annealing temperature at step `i` (1-based): `0.01 (1 - i / 1000)^2`.
pub(crate) fn temperature(i: u32) -> f64 {
    0.01 * (1.0 - f64::from(i) / f64::from(ITERATIONS)).powi(2)
}

/// The probability of moving from an outcome worth `current` to one worth `next`: 1 when
/// `next` is not worse, else `exp(-(current - next) / temperature)`.
pub(crate) fn move_probability(current: f64, next: f64, temperature: f64) -> f64 {
    let diff = current - next;
    if diff > 0.0 {
        (-diff / temperature).exp()
    } else {
        1.0
    }
}

/// The original's `nextOptionIndex` on an issue whose values are `0..cardinality`: `value`
/// one step up or down (`up` chooses), down at the top, up at the bottom, unchanged when the
/// issue has one value.
pub(crate) fn step_value(value: u32, cardinality: u32, up: bool) -> u32 {
    if cardinality <= 1 {
        return value;
    }
    if value + 1 > cardinality - 1 {
        value - 1
    } else if value == 0 || up {
        value + 1
    } else {
        value - 1
    }
}

impl AgentMState {
    /// A uniformly drawn feasible outcome and its utility.
    fn random_outcome(&mut self) -> (Vec<u32>, f64) {
        let pos = self.rng.random_range(0..self.own.table.order.len());
        (self.own.outcome_at(pos).0, self.own.sorted_utility(pos))
    }

    /// `u(bidmax)` as the original reads it: discounted at time `t` (GENIUS's
    /// `Agent.getUtility`), while the search's own utilities are undiscounted.
    fn bidmax_seen(&self, t: f64) -> f64 {
        self.bidmax_u * self.df.powf(t)
    }

    /// Up to [`ITERATIONS`] random draws: each better than the best bid (as read at `t`)
    /// replaces it; the draws stop once such a replacement is worth more than 0.98. Returns
    /// the last outcome drawn, its utility, and the utility of the last replacement (0 when
    /// none: the original's `maxUtility`).
    fn draw(&mut self, t: f64) -> (Vec<u32>, f64, f64) {
        let mut max_u = 0.0;
        let mut last = (Vec::new(), 0.0);
        for _ in 0..ITERATIONS {
            let (bid, u) = self.random_outcome();
            let improves = self.bidmax.is_none() || self.bidmax_seen(t) < u;
            last = (bid, u);
            if improves {
                self.bidmax = Some(last.0.clone());
                self.bidmax_u = u;
                max_u = u;
                if max_u > 0.98 {
                    break;
                }
            }
        }
        (last.0, last.1, max_u)
    }

    /// The original's `nextBid`: `n / 10` random issues (`n` issues) of `bid` moved one step
    /// on their value index.
    fn neighbour(&mut self, bid: &[u32]) -> Vec<u32> {
        let mut next = bid.to_vec();
        for _ in 0..bid.len() / 10 {
            let i = self.rng.random_range(0..bid.len());
            let up = self.rng.random::<bool>();
            next[i] = step_value(bid[i], self.cards[i], up);
        }
        next
    }

    /// The utility of a candidate, `None` when it is infeasible (not a move).
    fn candidate_utility(&self, values: &[u32]) -> Option<f64> {
        self.space
            .is_feasible(values)
            .then(|| self.own.utility(&detente_core::Outcome(values.to_vec())))
    }

    /// The search of its first turn: draws, then annealing towards 0.999 from the last draw,
    /// keeping the best outcome met.
    pub(super) fn first_search(&mut self, t: f64) {
        let (mut bid, mut current, mut max_u) = self.draw(t);
        let mut i = 0;
        while i < ITERATIONS && max_u < 0.999 {
            i += 1;
            let next = self.neighbour(&bid);
            let Some(next_u) = self.candidate_utility(&next) else {
                continue;
            };
            let p = move_probability(current, next_u, temperature(i));
            if p > self.rng.random::<f64>() {
                bid = next;
                current = next_u;
                if next_u > max_u {
                    self.bidmax = Some(bid.clone());
                    self.bidmax_u = next_u;
                    max_u = next_u;
                }
            }
        }
    }

    /// The search of its later turns: draws, then annealing while the last replacement is
    /// below `0.999 - c`, `c = (u(worst offer received) - u(best))^2 + t / 10`; a neighbour's
    /// issues are pulled towards the opponent's most frequent and best-offer values, and any
    /// move worth more than `u(best bid) - c` becomes the best bid (so it concedes).
    pub(super) fn later_search(&mut self, t: f64, opponent_best: &[u32], spread: f64) {
        let (mut bid, mut current, mut max_u) = self.draw(t);
        let concession = spread * spread + t / 10.0;
        let n = bid.len();
        let mut i = 0;
        while i < ITERATIONS && max_u < 0.999 - concession {
            i += 1;
            let mut next = self.neighbour(&bid);
            for j in 0..n / 5 {
                let k = self.rng.random_range(0..n);
                next[k] = if j % 2 == 0 {
                    self.most_frequent[k]
                } else {
                    opponent_best[k]
                };
                let k = self.rng.random_range(0..n);
                next[k] = opponent_best[k];
            }
            let Some(next_u) = self.candidate_utility(&next) else {
                continue;
            };
            let p = move_probability(current, next_u, temperature(i));
            if p > self.rng.random::<f64>() {
                bid = next;
                current = next_u;
                if next_u > self.bidmax_seen(t) - concession {
                    self.bidmax = Some(bid.clone());
                    self.bidmax_u = next_u;
                    max_u = next_u;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::AgentM;
    use crate::testutil::one_issue;
    use detente_core::*;

    /// `n` issues of three values each, every value worth its index to party 0.
    fn issues(n: usize) -> Scenario {
        let mut s = one_issue(&[0.0, 0.5, 1.0], 1);
        s.space = OutcomeSpace::new(
            (0..n)
                .map(|i| Issue::discrete(format!("i{i}"), ["x", "y", "z"]))
                .collect(),
        )
        .unwrap();
        let evs = vec![Evaluator::Table(vec![0.0, 0.5, 1.0]); n];
        let u = LinearAdditive::new(&s.space, vec![1.0; n], evs, None).unwrap();
        for p in &mut s.parties {
            p.preferences = Preferences::new(Utility::LinearAdditive(u.clone()));
        }
        s
    }

    fn state_of(s: &Scenario, tables: &ScenarioTables) -> AgentMState {
        let mut a = AgentM::new();
        a.init(&crate::testutil::info(0, s, tables, 10, 5)).unwrap();
        a.state.unwrap()
    }

    /// A neighbour moves `n / 10` random issues one step: none with 9 issues, exactly one
    /// with 10 (every issue here has three values, so a step always changes the value).
    #[test]
    fn neighbours_move_n_over_10_issues_one_step() {
        let s9 = issues(9);
        let t9 = ScenarioTables::for_scenario(&s9);
        let mut st = state_of(&s9, &t9);
        assert_eq!(st.neighbour(&[1; 9]), vec![1; 9]);
        let s10 = issues(10);
        let t10 = ScenarioTables::for_scenario(&s10);
        let mut st = state_of(&s10, &t10);
        for _ in 0..50 {
            let next = st.neighbour(&[1; 10]);
            let moved: Vec<usize> = (0..10).filter(|&i| next[i] != 1).collect();
            assert_eq!(moved.len(), 1, "{next:?}");
            assert!(next[moved[0]] == 0 || next[moved[0]] == 2);
        }
    }

    #[test]
    fn steps_stay_on_the_issue() {
        // Five values 0..=4: up from 2 is 3, down is 1; at the top always down, at the bottom
        // always up; a one-valued issue never moves.
        assert_eq!(step_value(2, 5, true), 3);
        assert_eq!(step_value(2, 5, false), 1);
        assert_eq!(step_value(4, 5, true), 3);
        assert_eq!(step_value(0, 5, false), 1);
        assert_eq!(step_value(0, 1, true), 0);
        assert_eq!(step_value(1, 2, true), 0);
    }

    #[test]
    fn annealing_schedule_by_hand() {
        // 0.01 (1 - 500/1000)^2 = 0.0025; at the last step the temperature is 0.
        assert!((temperature(500) - 0.0025).abs() < 1e-18);
        assert_eq!(temperature(ITERATIONS), 0.0);
        // A worse move by 0.01 at temperature 0.0025: exp(-4).
        assert!((move_probability(0.5, 0.49, 0.0025) - (-4f64).exp()).abs() < 1e-15);
        // Better or equal: always; worse at temperature 0: never.
        assert_eq!(move_probability(0.5, 0.5, 0.0), 1.0);
        assert_eq!(move_probability(0.5, 0.6, 0.01), 1.0);
        assert_eq!(move_probability(0.5, 0.4, 0.0), 0.0);
    }
}
