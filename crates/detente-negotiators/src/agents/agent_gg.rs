//! AgentGG (Shaobo Xu, Peihao Ren), winner of ANAC 2019 (GENIUS league with preference
//! uncertainty).

use detente_core::{Action, Negotiator, NegotiatorError, Outcome, OutcomeId, SessionInfo, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{NOT_INITIALISED, Own};
use crate::registry::KindEntry;

/// AgentGG: it scores outcomes by *importance* rather than utility. A value's importance is
/// the mean position (1 = worst) in its preference ranking of the outcomes holding it, less
/// the smallest of the issues' lowest means; an outcome's importance is the sum over its
/// values, read as a ratio between its least and most important outcomes. The opponent's
/// importance counts how often each value appeared in the offers received before time 0.3.
///
/// - **thresholds**: a low ratio falling with time (0.9999 before 0.01, 0.99 before 0.02, then
///   `0.99 - 0.5 (t - 0.02)` to 0.2, then piecewise linear towards its estimated Nash point
///   `n`: to `n + 0.3 (1 - n)` at 0.5, `n + 0.15 (1 - n)` at 0.9, `n + 0.05 (1 - n)` at 0.98, `n`
///   at 0.995, `n - 0.35 (1 - n)` at 0.9989, with floors above its reservation ratio after
///   0.9); the high ratio is 0.1 above it. `n = (1 - m) / 1.7 + m`, `m` the best ratio among
///   the offers it received in its first 0.003 of time.
/// - **accept**: an offer whose ratio is at least its previous low threshold (1 at first), or,
///   from time 0.9989, more than its reservation ratio plus 0.2.
/// - **offer**: its most important outcome first; then, up to three times, `2 N` random
///   outcomes (`N` the feasible outcomes), returning (before time 0.2) the first whose ratio
///   is between the thresholds or (after) the one of them the opponent's importance ranks
///   highest (above 0); failing that, a random outcome above the low threshold.
///
/// Its reservation ratio is `rv * median ratio / 0.5` (the original's mapping of the
/// reservation value onto importance). It plays any number of parties (it answers the last
/// offer made). Its draws come from a `ChaCha8Rng` seeded with [`SessionInfo::seed`].
#[derive(Debug, Clone, Default)]
pub struct AgentGg {
    state: Option<GgState>,
}

#[derive(Debug, Clone)]
struct GgState {
    own: Own,
    party: usize,
    /// Own importance of each value of each issue.
    values: Vec<Vec<f64>>,
    /// Own importance of each outcome, by id.
    importance: Vec<f64>,
    /// Issue cardinalities (the mixed radix of outcome ids).
    radix: Vec<u64>,
    min: f64,
    max: f64,
    best: Outcome,
    reservation_ratio: f64,
    /// How often the opponents offered each value before time 0.3.
    opponent: Vec<Vec<f64>>,
    lower: f64,
    random_phase: bool,
    start: Option<f64>,
    nash: Option<f64>,
    best_received: f64,
    /// The last offer another party made, when its last action was an offer.
    received: Option<Outcome>,
    rng: ChaCha8Rng,
}

impl AgentGg {
    /// An AgentGG.
    pub fn new() -> Self {
        Self::default()
    }

    /// Its registry entry, `agentgg`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "agentgg",
            "AgentGG (ANAC 2019 winner): importance-based thresholds falling towards an \
             estimated Nash point; random offers in range, the one a frequency model of the \
             opponent ranks highest",
            |_| Box::new(AgentGg::new()),
        )
        .source("Xu and Ren, AgentGG, ANAC 2019 (GENIUS agents.anac.y2019.agentgg)")
    }

    /// Its low threshold ratio at time `t`, given its estimated Nash point `n` (0 until
    /// estimated, as the original's unset field) and reservation ratio `r`.
    pub fn lower_threshold(t: f64, n: f64, r: f64) -> f64 {
        let at = |k: f64| k * (1.0 - n) + n;
        let line = |p1: f64, p2: f64, t0: f64, t1: f64| p1 - (p1 - p2) / (t1 - t0) * (t - t0);
        if t < 0.01 {
            0.9999
        } else if t < 0.02 {
            0.99
        } else if t < 0.2 {
            0.99 - 0.5 * (t - 0.02)
        } else if t < 0.5 {
            line(0.9, at(0.3), 0.2, 0.5)
        } else if t < 0.9 {
            line(at(0.3), at(0.15), 0.5, 0.9)
        } else if t < 0.98 {
            line(at(0.15), at(0.05), 0.9, 0.98).max(r + 0.3)
        } else if t < 0.995 {
            line(at(0.05), at(0.0), 0.98, 0.995).max(r + 0.25)
        } else if t < 0.999 {
            line(at(0.0), at(-0.35), 0.995, 0.9989).max(r + 0.25)
        } else {
            at(-0.4).max(r + 0.2)
        }
    }
}

/// Own importance of each value: the mean 1-based position, in `ranking` (worst first), of
/// the outcomes holding it (0 for a value in none), less the smallest of the issues' lowest
/// means.
pub(crate) fn value_importance(
    ranking: impl Iterator<Item = OutcomeId>,
    radix: &[u64],
) -> Vec<Vec<f64>> {
    let mut sums: Vec<Vec<(f64, f64)>> = radix
        .iter()
        .map(|&c| vec![(0.0, 0.0); c as usize])
        .collect();
    for (k, mut id) in ranking.enumerate() {
        for (issue, &c) in sums.iter_mut().zip(radix).rev() {
            let slot = &mut issue[(id % c) as usize];
            slot.0 += (k + 1) as f64;
            slot.1 += 1.0;
            id /= c;
        }
    }
    let mut values: Vec<Vec<f64>> = sums
        .iter()
        .map(|issue| {
            issue
                .iter()
                .map(|&(s, n)| if n == 0.0 { 0.0 } else { s / n })
                .collect()
        })
        .collect();
    let floor = values
        .iter()
        .map(|v| v.iter().copied().fold(f64::INFINITY, f64::min))
        .fold(f64::INFINITY, f64::min);
    for v in values.iter_mut().flatten() {
        *v -= floor;
    }
    values
}

impl GgState {
    fn decode(&self, mut id: OutcomeId) -> Vec<u32> {
        let mut out = vec![0u32; self.radix.len()];
        for (slot, &c) in out.iter_mut().zip(&self.radix).rev() {
            *slot = (id % c) as u32;
            id /= c;
        }
        out
    }

    fn importance_of(&self, values: &[u32]) -> f64 {
        self.values
            .iter()
            .zip(values)
            .map(|(v, &x)| v[x as usize])
            .sum()
    }

    fn ratio(&self, importance: f64) -> f64 {
        (importance - self.min) / (self.max - self.min)
    }

    fn opponent_importance(&self, id: OutcomeId) -> f64 {
        self.decode(id)
            .iter()
            .zip(&self.opponent)
            .map(|(&x, counts)| counts[x as usize])
            .sum()
    }

    fn random_id(&mut self) -> OutcomeId {
        let order = &self.own.table.order;
        order[self.rng.random_range(0..order.len())]
    }

    /// The original's `getNeededRandomBid`.
    fn random_bid(&mut self, lower: f64, upper: f64) -> OutcomeId {
        let span = self.max - self.min;
        let (lo, hi) = (lower * span + self.min, upper * span + self.min);
        let draws = 2 * self.own.table.order.len();
        for _ in 0..3 {
            let mut chosen = None;
            let mut highest = 0.0;
            for _ in 0..draws {
                let id = self.random_id();
                let imp = self.importance[id as usize];
                if imp >= lo && imp <= hi {
                    if self.random_phase {
                        return id;
                    }
                    let theirs = self.opponent_importance(id);
                    if theirs > highest {
                        highest = theirs;
                        chosen = Some(id);
                    }
                }
            }
            if let Some(id) = chosen {
                return id;
            }
        }
        // The original draws until one is above the low threshold; bounded here (a
        // degenerate space, whose importance ratios are NaN, has none).
        for _ in 0..draws.max(1000) {
            let id = self.random_id();
            if self.importance[id as usize] >= lo {
                return id;
            }
        }
        self.own.id(&self.best)
    }

    /// The original's `getMaxOppoBidImpForMe`: the best offer received (for it) during its
    /// first 0.003 of time gives its estimated Nash point.
    fn estimate_nash(&mut self, t: f64, received: f64) {
        if self.nash.is_some() {
            return;
        }
        self.best_received = self.best_received.max(received);
        match self.start {
            None => self.start = Some(t),
            Some(start) if t - start > 0.003 => {
                let m = self.ratio(self.best_received);
                self.nash = Some((1.0 - m) / 1.7 + m);
            }
            Some(_) => {}
        }
    }
}

impl Negotiator for AgentGg {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let own = Own::new(info, "AgentGG")?;
        let radix: Vec<u64> = info
            .space()
            .issues()
            .iter()
            .map(|i| i.cardinality())
            .collect();
        // The ranking, worst first: the sorted table read backwards.
        let values = value_importance(own.table.order.iter().rev().copied(), &radix);
        let n_values: Vec<usize> = values.iter().map(Vec::len).collect();
        // The most (least) important value of each issue: the first (last) of a stable sort
        // by decreasing importance, as the original's.
        let pick = |v: &Vec<f64>, most: bool| -> u32 {
            let mut idx: Vec<usize> = (0..v.len()).collect();
            idx.sort_by(|&a, &b| v[b].total_cmp(&v[a]));
            (if most { idx[0] } else { idx[idx.len() - 1] }) as u32
        };
        let best: Vec<u32> = values.iter().map(|v| pick(v, true)).collect();
        let worst: Vec<u32> = values.iter().map(|v| pick(v, false)).collect();
        let mut state = GgState {
            own,
            party: info.party,
            importance: Vec::new(),
            radix,
            min: 0.0,
            max: 0.0,
            best: Outcome(best.clone()),
            reservation_ratio: 0.0,
            opponent: n_values.iter().map(|&n| vec![0.0; n]).collect(),
            values,
            lower: 1.0,
            random_phase: true,
            start: None,
            nash: None,
            best_received: 0.0,
            received: None,
            rng: ChaCha8Rng::seed_from_u64(info.seed),
        };
        state.max = state.importance_of(&best);
        state.min = state.importance_of(&worst);
        let n = state.own.table.utilities.len() as u64;
        state.importance = (0..n)
            .map(|id| state.importance_of(&state.decode(id)))
            .collect();
        state.reservation_ratio = state.own.reservation * median_ratio(&state) / 0.5;
        self.state = Some(state);
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        let t = state.time;
        let Some(received) = s.received.clone() else {
            return Action::Offer(s.best.clone());
        };
        let imp = s.importance_of(&received.0);
        if s.ratio(imp) >= s.lower {
            return Action::Accept;
        }
        s.estimate_nash(t, imp);
        if t < 0.3 {
            for (counts, &x) in s.opponent.iter_mut().zip(&received.0) {
                counts[x as usize] += 1.0;
            }
        }
        if (0.2..0.5).contains(&t) {
            s.random_phase = false;
        }
        s.lower = AgentGg::lower_threshold(t, s.nash.unwrap_or(0.0), s.reservation_ratio);
        if t >= 0.9989 && s.ratio(imp) > s.reservation_ratio + 0.2 {
            return Action::Accept;
        }
        let id = s.random_bid(s.lower, s.lower + 0.1);
        Action::Offer(Outcome(s.decode(id)))
    }

    fn observe(&mut self, party: usize, action: &Action, _state: &State<'_>) {
        if let Some(s) = self.state.as_mut()
            && party != s.party
        {
            s.received = match action {
                Action::Offer(o) => Some(o.clone()),
                _ => None,
            };
        }
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

/// The ratio of the ranking's median outcome, indexed as the original does: its loop counts
/// from 1 but compares with the 0-based middle index `m = (n - 1) / 2`, so it takes the
/// outcome at 0-based position `m - 1` (and, for even `n`, averages it with the one at `m`);
/// with `m = 0` and odd `n` it takes importance 0.
fn median_ratio(s: &GgState) -> f64 {
    let order = &s.own.table.order;
    let n = order.len();
    // Worst first, 1-based `current`.
    let at = |current: usize| s.importance[order[n - current] as usize];
    let m = (n - 1) / 2;
    let median = if n.is_multiple_of(2) {
        let first = if m >= 1 { at(m) } else { 0.0 };
        (first + at(m + 1)) / 2.0
    } else if m >= 1 {
        at(m)
    } else {
        0.0
    };
    s.ratio(median)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_importance_by_hand() {
        // Two issues of 2 values; ids 0..4 are (0,0), (0,1), (1,0), (1,1). Ranking worst
        // first: (1,1), (0,1), (1,0), (0,0), positions 1..4.
        let values = value_importance([3u64, 1, 2, 0].into_iter(), &[2, 2]);
        // Issue 0: value 0 in positions 2, 4 (mean 3); value 1 in 1, 3 (mean 2).
        // Issue 1: value 0 in 3, 4 (3.5); value 1 in 1, 2 (1.5). Floor 1.5.
        assert_eq!(values, vec![vec![1.5, 0.5], vec![2.0, 0.0]]);
    }

    #[test]
    fn thresholds_by_hand() {
        assert_eq!(AgentGg::lower_threshold(0.005, 0.6, 0.0), 0.9999);
        assert_eq!(AgentGg::lower_threshold(0.015, 0.6, 0.0), 0.99);
        assert!((AgentGg::lower_threshold(0.1, 0.6, 0.0) - 0.95).abs() < 1e-15);
        // At 0.35, halfway from 0.9 (t = 0.2) to n + 0.3 (1 - n) = 0.72 (t = 0.5): 0.81.
        assert!((AgentGg::lower_threshold(0.35, 0.6, 0.0) - 0.81).abs() < 1e-12);
        // At 0.94 with n = 0.6: halfway from 0.66 to 0.62, 0.64; the floor r + 0.3 = 0.7
        // wins for r = 0.4.
        assert!((AgentGg::lower_threshold(0.94, 0.6, 0.0) - 0.64).abs() < 1e-12);
        assert!((AgentGg::lower_threshold(0.94, 0.6, 0.4) - 0.7).abs() < 1e-12);
    }
}
