//! AgreeableAgent2018 (Sahar Mirzayi, University of Tehran), winner of ANAC 2018
//! (multilateral SAOP, GENIUS).

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, SessionInfo, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// Until this time it demands its best utility, and its neighbourhood is empty.
const TIME_TO_CONCEDE: f64 = 0.2;
/// The exponent `1 / e` of its time-dependent concession (`e = 0.1`, `k = 0`).
const CONCESSION: f64 = 0.1;
/// It never targets less than this.
const MINIMUM_UTILITY: f64 = 0.8;
/// The width of the neighbourhood of its target, as a share of what it has conceded.
const NEIGHBOURHOOD: f64 = 0.05;
/// From this time on it accepts anything at or above its reservation value.
const LATE: f64 = 0.99;

/// A frequency model of one opponent: how often it offered each value of each issue; an
/// issue's weight is the (population) standard deviation of its values' counts.
#[derive(Debug, Clone)]
pub(crate) struct StdDevFrequency {
    counts: Vec<Vec<u32>>,
    bids: u32,
}

impl StdDevFrequency {
    pub(crate) fn new(cardinalities: &[usize]) -> Self {
        StdDevFrequency {
            counts: cardinalities.iter().map(|&c| vec![0; c]).collect(),
            bids: 0,
        }
    }

    pub(crate) fn update(&mut self, values: &[u32]) {
        self.bids += 1;
        for (c, &v) in self.counts.iter_mut().zip(values) {
            c[v as usize] += 1;
        }
    }

    fn weight(counts: &[u32]) -> f64 {
        let n = counts.len() as f64;
        let mean = counts.iter().map(|&c| f64::from(c)).sum::<f64>() / n;
        let sq: f64 = counts.iter().map(|&c| (mean - f64::from(c)).powi(2)).sum();
        if sq != 0.0 { (sq / n).sqrt() } else { 0.0 }
    }

    /// `sum_i (count_i(v_i) / bids) (w_i / sum w) / issues`; 0 before any bid, NaN when every
    /// weight is 0 (as the original).
    pub(crate) fn utility(&self, values: &[u32]) -> f64 {
        if self.bids == 0 {
            return 0.0;
        }
        let weights: Vec<f64> = self.counts.iter().map(|c| Self::weight(c)).collect();
        let total: f64 = weights.iter().sum();
        let bids = f64::from(self.bids);
        let sum: f64 = self
            .counts
            .iter()
            .zip(&weights)
            .zip(values)
            .map(|((c, w), &v)| f64::from(c[v as usize]) / bids * (w / total))
            .sum();
        sum / self.counts.len() as f64
    }
}

/// AgreeableAgent2018: a Boulware time-dependent target (`e = 0.1`) that starts conceding at
/// time 0.2 and never goes below 0.8; once its opponent models are usable it offers, among
/// the outcomes near its target, one drawn by roulette wheel on the sum of its models'
/// estimates (frequency models weighing issues by the spread of their values' counts).
///
/// - **target** at time `t`: 1 before 0.2; then `pmin + (pmax - pmin)(1 - t'^10)` with
///   `t' = (t - 0.2) / 0.8`, `pmin`, `pmax` its worst and best utilities; at least 0.8.
/// - **offer**: its best outcome as long as it has received no offer. Before the model time
///   (0.2 on spaces under 1,000 outcomes, 0.3 under 10,000, else 0.4) the outcome nearest its
///   target. After it, the outcomes strictly within
///   `d = 0.05 (1 - (pmin + (pmax - pmin)(1 - t^10)))` of its target (`d = 0` before 0.2),
///   one of them drawn with probability proportional to
///   the sum of the opponents' estimated utilities. When that fails (no outcome in range, or
///   estimates summing to 0 or NaN: the original then throws and catches its exception) it
///   offers its best outcome without considering the offer on the table.
/// - **accept**: an offer at least as good as the bid it would make, or, from time 0.99, any
///   offer at or above its reservation value.
///
/// It plays any number of parties (the original, from the three-party league, models two
/// opponents; detente models every other party). Its roulette draws come from a `ChaCha8Rng`
/// seeded with [`SessionInfo::seed`].
#[derive(Debug, Clone, Default)]
pub struct Agreeable {
    state: Option<AgreeableState>,
}

#[derive(Debug, Clone)]
struct AgreeableState {
    own: Own,
    pmin: f64,
    pmax: f64,
    model_time: f64,
    party: usize,
    models: Vec<StdDevFrequency>,
    rng: ChaCha8Rng,
}

/// GENIUS's time-dependent `f(t) = k + (1 - k) t^(1/e)` with `k = 0`, `e = 0.1`.
fn f(t: f64) -> f64 {
    t.powf(1.0 / CONCESSION)
}

impl Agreeable {
    /// An AgreeableAgent2018.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `agreeable2018`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "agreeable2018",
            "AgreeableAgent2018 (ANAC 2018 winner): Boulware concession from time 0.2 down to \
             0.8 at least, offers near its target drawn by roulette on frequency models of \
             the opponents",
            |_| Box::new(Agreeable::new()),
        )
        .source(
            "Mirzayi, AgreeableAgent2018, ANAC 2018 (GENIUS \
             agents.anac.y2018.agreeableagent2018)",
        )
    }

    /// Its target utility at time `t` (before the 0.8 floor).
    pub fn target(pmin: f64, pmax: f64, t: f64) -> f64 {
        if t < TIME_TO_CONCEDE {
            1.0
        } else {
            let t = (t - TIME_TO_CONCEDE) / (1.0 - TIME_TO_CONCEDE);
            pmin + (pmax - pmin) * (1.0 - f(t))
        }
    }

    /// The half-width of its neighbourhood at time `t` (the original evaluates `f` at the
    /// raw time here, not the shifted one of [`Agreeable::target`]).
    pub fn neighbourhood(pmin: f64, pmax: f64, t: f64) -> f64 {
        if t < TIME_TO_CONCEDE {
            0.0
        } else {
            NEIGHBOURHOOD * (1.0 - (pmin + (pmax - pmin) * (1.0 - f(t))))
        }
    }
}

impl AgreeableState {
    /// The position of the outcome whose utility is nearest `target`: the first of its
    /// utility level in the table; the higher level when two are equally near.
    fn nearest(&self, target: f64) -> usize {
        let sorted = &self.own.table.sorted;
        // The first position at or below the target; the one before it is above.
        let at = sorted.partition_point(|&u| u > target);
        let level = match (at.checked_sub(1), sorted.get(at)) {
            (Some(a), Some(&below)) if sorted[a] - target <= target - below => sorted[a],
            (Some(a), None) => sorted[a],
            (_, Some(&below)) => below,
            (None, None) => unreachable!("a table has at least one outcome"),
        };
        sorted.partition_point(|&u| u > level)
    }

    /// The roulette wheel over `range` (positions of the sorted table), or `None` when it
    /// fails as the original's does.
    fn roulette(&mut self, range: std::ops::Range<usize>) -> Option<usize> {
        let estimates: Vec<f64> = range
            .clone()
            .map(|pos| {
                let o = self.own.outcome_at(pos);
                self.models.iter().map(|m| m.utility(&o.0)).sum()
            })
            .collect();
        let total: f64 = estimates.iter().sum();
        let r: f64 = self.rng.random();
        let mut integral = 0.0;
        for (k, e) in estimates.iter().enumerate() {
            integral += e / total;
            if integral >= r {
                return Some(range.start + k);
            }
        }
        None
    }

    /// The position of its next bid, or `None` for the original's failure path.
    fn next_bid(&mut self, t: f64) -> Option<usize> {
        let target = Agreeable::target(self.pmin, self.pmax, t).max(MINIMUM_UTILITY);
        if t < self.model_time {
            return Some(self.nearest(target));
        }
        let d = Agreeable::neighbourhood(self.pmin, self.pmax, t);
        let sorted = &self.own.table.sorted;
        // Strictly inside, as GENIUS's `OutcomeSpace.getBidsinRange`.
        let range = sorted.partition_point(|&u| u >= target + d)
            ..sorted.partition_point(|&u| u > target - d);
        if range.len() == 1 {
            return Some(range.start);
        }
        self.roulette(range)
    }
}

impl Negotiator for Agreeable {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let own = Own::new(info, "AgreeableAgent2018")?;
        let size = own.table.utilities.len();
        let model_time = match size {
            0..1_000 => 0.2,
            1_000..10_000 => 0.3,
            _ => 0.4,
        };
        let cards: Vec<usize> = info
            .space()
            .issues()
            .iter()
            .map(|i| i.cardinality() as usize)
            .collect();
        self.state = Some(AgreeableState {
            pmin: own.table.worst(),
            pmax: own.table.best(),
            own,
            model_time,
            party: info.party,
            models: vec![StdDevFrequency::new(&cards); info.n_parties()],
            rng: ChaCha8Rng::seed_from_u64(info.seed),
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        let Some(standing) = state.standing else {
            return Action::Offer(s.own.outcome_at(0));
        };
        let Some(pos) = s.next_bid(state.time) else {
            return Action::Offer(s.own.outcome_at(0));
        };
        let offered = s.own.utility(&standing.outcome);
        if offered >= s.own.sorted_utility(pos)
            || (state.time >= LATE && offered >= s.own.reservation)
        {
            return Action::Accept;
        }
        Action::Offer(s.own.outcome_at(pos))
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        if let (Some(s), Action::Offer(o)) = (self.state.as_mut(), action)
            && party != s.party
            && let Some(m) = s.models.get_mut(party)
        {
            m.update(&o.0);
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

    #[test]
    fn target_and_neighbourhood_by_hand() {
        // Before 0.2: 1 and no neighbourhood.
        assert_eq!(Agreeable::target(0.1, 1.0, 0.1), 1.0);
        assert_eq!(Agreeable::neighbourhood(0.1, 1.0, 0.1), 0.0);
        // t = 0.6: t' = 0.5, f = 0.5^10 = 1/1024; target 0.1 + 0.9 (1 - 1/1024).
        let t = Agreeable::target(0.1, 1.0, 0.6);
        assert!((t - (0.1 + 0.9 * (1023.0 / 1024.0))).abs() < 1e-15);
        // Neighbourhood at t = 0.6 uses 0.6^10 = 0.0060466176.
        let d = Agreeable::neighbourhood(0.1, 1.0, 0.6);
        assert!((d - 0.05 * 0.9 * 0.006_046_617_6).abs() < 1e-15);
    }

    /// The original's failure path: with no outcome strictly inside its neighbourhood it
    /// offers its best outcome, even when the offer on the table is that outcome.
    #[test]
    fn an_empty_neighbourhood_offers_the_best_outcome_without_accepting() {
        use crate::testutil::{pie, state};
        use detente_core::{Actor, Offer, ScenarioTables};
        let s = pie(0.0);
        let tables = ScenarioTables::for_scenario(&s);
        let info = crate::testutil::info(0, &s, &tables, 100, 0);
        let mut a = Agreeable::new();
        a.init(&info).unwrap();
        let best = Offer {
            outcome: Outcome(vec![10]),
            by: Actor::Party(1),
        };
        // Before the model time (0.2 on 11 outcomes) it bids the outcome nearest its target
        // (1), and accepts an offer as good.
        assert_eq!(a.act(&state(0.1, Some(&best))), Action::Accept);
        // At 0.5 its target is 1 - (0.375)^10 and d = 0.05 * 0.5^10: the open interval
        // around it holds no outcome (1 is above it), so it offers 10 again.
        assert_eq!(
            a.act(&state(0.5, Some(&best))),
            Action::Offer(Outcome(vec![10]))
        );
    }

    #[test]
    fn frequency_model_by_hand() {
        // Two issues of 3 and 2 values; bids (0, 1), (0, 0), (2, 1).
        let mut m = StdDevFrequency::new(&[3, 2]);
        for b in [[0, 1], [0, 0], [2, 1]] {
            m.update(&b);
        }
        // Counts: issue 0 [2, 0, 1] (mean 1, sd sqrt(2/3)); issue 1 [1, 2] (mean 1.5, sd 0.5).
        let (w0, w1) = ((2.0f64 / 3.0).sqrt(), 0.5);
        let total = w0 + w1;
        let expect = (2.0 / 3.0 * (w0 / total) + 2.0 / 3.0 * (w1 / total)) / 2.0;
        assert!((m.utility(&[0, 1]) - expect).abs() < 1e-15);
        // A value never offered scores 0 on its issue.
        let expect = (0.0 + 1.0 / 3.0 * (w1 / total)) / 2.0;
        assert!((m.utility(&[1, 0]) - expect).abs() < 1e-15);
        // One bid on one-valued issues: every weight 0, NaN (the original's failure path).
        let mut flat = StdDevFrequency::new(&[1]);
        flat.update(&[0]);
        assert!(flat.utility(&[0]).is_nan());
    }
}
