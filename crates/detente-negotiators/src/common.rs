//! What every built-in negotiator shares: a view of its own utility table (its utility of an
//! outcome, the outcome to offer for a target utility by searching the sorted table) and the
//! default acceptance rule.

use std::sync::Arc;

use detente_core::{NegotiatorError, Outcome, OutcomeId, PartyTable, SessionInfo};

/// The default acceptance rule of the built-in negotiators.
///
/// Accept an offer worth `offered` (undiscounted utility to me) when it is at least as good as
/// what I would offer next (`next`) or at least my current `target`, and never when it is
/// below my (undiscounted) `reservation` value. Reservation values are discounted the same way
/// as agreements, so comparing undiscounted utilities is the same as comparing discounted ones
/// at the same time.
pub fn default_accept(offered: f64, next: f64, target: f64, reservation: f64) -> bool {
    offered >= reservation && (offered >= next || offered >= target)
}

/// A negotiator's own side of the table: its utility of every outcome, sorted, plus what it
/// needs to turn outcome ids into outcomes and back without holding the scenario.
#[derive(Debug, Clone)]
pub(crate) struct Own {
    pub(crate) table: Arc<PartyTable>,
    /// Cardinality of each issue, in issue order (the mixed radix of outcome ids).
    radix: Vec<u64>,
    /// Undiscounted reservation value.
    pub(crate) reservation: f64,
    /// Best utility in the space.
    pub(crate) pmax: f64,
    /// The deadline in rounds, as it stands.
    pub(crate) deadline: u32,
    /// `max(reservation, worst utility)`, but never above `pmax`.
    pub(crate) pmin: f64,
    /// Where the previous search ended: targets move little from turn to turn, so the next
    /// search gallops out from here instead of bisecting the whole table.
    hint: usize,
    /// The position and values of the outcome decoded last: a negotiator that repeats its
    /// offer (the usual case while its target moves within one utility level) copies it
    /// instead of decoding the id again.
    last: (usize, Vec<u32>),
}

impl Own {
    /// Loads the party's shared table; a space too large to enumerate is an error saying so.
    pub(crate) fn new(info: &SessionInfo<'_>, kind: &str) -> Result<Self, NegotiatorError> {
        let table = info.own_table().map_err(|e| {
            NegotiatorError(format!(
                "the {kind} negotiator needs a table of its utility of every outcome, \
                 which cannot be built: {e}"
            ))
        })?;
        let radix = info
            .space()
            .issues()
            .iter()
            .map(|i| i.cardinality())
            .collect();
        let reservation = info.preferences().reservation;
        let pmax = table.best();
        let pmin = reservation.max(table.worst()).min(pmax);
        Ok(Own {
            table,
            radix,
            reservation,
            deadline: info.deadline,
            pmax,
            pmin,
            hint: 0,
            last: (usize::MAX, vec![0; info.space().issues().len()]),
        })
    }

    /// The normalised time a time-dependent tactic concedes by at a turn of round `round`
    /// taken at time `time`: its last round counts as the deadline itself (time 1), so that
    /// the party concedes all the way to its floor, and accepts anything at or above it, while
    /// it can still act (no turn falls at time 1 exactly).
    #[inline]
    pub(crate) fn concession_time(&self, round: u32, time: f64) -> f64 {
        if round + 1 >= self.deadline {
            1.0
        } else {
            time
        }
    }

    /// The id of an outcome of the space.
    #[inline]
    pub(crate) fn id(&self, outcome: &Outcome) -> OutcomeId {
        let mut id = 0u64;
        for (&v, &c) in outcome.0.iter().zip(&self.radix) {
            id = id * c + u64::from(v);
        }
        id
    }

    /// How `candidate` compares with `incumbent` in my utility (for the veto strategy of
    /// mediated talks).
    pub(crate) fn compare(
        &self,
        candidate: &Outcome,
        incumbent: &Outcome,
    ) -> Option<std::cmp::Ordering> {
        self.utility(candidate)
            .partial_cmp(&self.utility(incumbent))
    }

    /// My undiscounted utility of an outcome of the space.
    #[inline]
    pub(crate) fn utility(&self, outcome: &Outcome) -> f64 {
        self.table.utilities[self.id(outcome) as usize]
    }

    /// My undiscounted utility of the outcome with these values (no `Outcome` to build).
    #[inline]
    pub(crate) fn utility_of(&self, values: &[u32]) -> f64 {
        let mut id = 0u64;
        for (&v, &c) in values.iter().zip(&self.radix) {
            id = id * c + u64::from(v);
        }
        self.table.utilities[id as usize]
    }

    /// The position in the sorted table of the outcome to offer for `target`: among the
    /// outcomes whose utility is the lowest one at or above `target`, the first in the table
    /// (the smallest id). When no outcome reaches `target`, the best outcome (position 0).
    ///
    /// The same answer as two binary searches (`PartyTable::position_at_least`, then the start
    /// of that utility level), but found by galloping from where the previous call ended, so a
    /// target that moved little costs a few comparisons. Never a scan.
    #[inline]
    pub(crate) fn position_for(&mut self, target: f64) -> usize {
        let sorted = &self.table.sorted;
        // Number of outcomes at or above the target.
        let count = partition_near(sorted, self.hint, |u| u >= target);
        self.hint = count;
        let pos = count.saturating_sub(1);
        let level = sorted[pos];
        partition_near(sorted, pos, |u| u > level)
    }

    /// Utility at a position of the sorted table.
    #[inline]
    pub(crate) fn sorted_utility(&self, pos: usize) -> f64 {
        self.table.sorted[pos]
    }

    /// The outcome at a position of the sorted table.
    #[inline]
    pub(crate) fn outcome_at(&mut self, pos: usize) -> Outcome {
        if self.last.0 != pos {
            let mut id = self.table.order[pos];
            for (slot, &c) in self.last.1.iter_mut().zip(&self.radix).rev() {
                *slot = (id % c) as u32;
                id /= c;
            }
            self.last.0 = pos;
        }
        Outcome(self.last.1.clone())
    }
}

/// `v.partition_point(pred)` for a `pred` that holds on a prefix of `v`, searched outward
/// from `hint` (exponential then binary search): O(log d) comparisons when the answer is `d`
/// away from `hint`.
#[inline]
pub(crate) fn partition_near(v: &[f64], hint: usize, pred: impl Fn(f64) -> bool) -> usize {
    let n = v.len();
    let hint = hint.min(n);
    if hint < n && pred(v[hint]) {
        // The answer is in (hint, n]; `pred` holds below `lo`.
        let mut lo = hint + 1;
        let mut step = 1;
        loop {
            let probe = lo - 1 + step;
            if probe >= n {
                return lo + v[lo..].partition_point(|&u| pred(u));
            }
            if !pred(v[probe]) {
                return lo + v[lo..probe].partition_point(|&u| pred(u));
            }
            lo = probe + 1;
            step *= 2;
        }
    } else {
        // The answer is in [0, hint]; `pred` fails at `hi` (or `hi == n`).
        let mut hi = hint;
        let mut step = 1;
        loop {
            if hi < step {
                return v[..hi].partition_point(|&u| pred(u));
            }
            let probe = hi - step;
            if pred(v[probe]) {
                return probe + 1 + v[probe + 1..hi].partition_point(|&u| pred(u));
            }
            hi = probe;
            step *= 2;
        }
    }
}

/// The error a built-in negotiator's `act` cannot return: it was called before `init`
/// succeeded. The protocol never does this; the message says what went wrong if a caller does.
pub(crate) const NOT_INITIALISED: &str = "negotiator used before a successful init";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the sequence of targets, the offer position is the first outcome of the
        /// lowest utility level at or above the target (by plain binary searches).
        #[test]
        fn position_for_any_target_sequence(
            targets in proptest::collection::vec(-0.2f64..1.2, 1..40),
        ) {
            let s = crate::testutil::one_issue(&[1.0, 0.5, 0.75, 0.5, 0.0, 0.25], 4);
            let tables = detente_core::ScenarioTables::for_scenario(&s);
            let info = SessionInfo { party: 0, scenario: &s, tables: &tables, deadline: 10, seed: 0 };
            let mut own = Own::new(&info, "test").unwrap();
            let table = own.table.clone();
            for t in targets {
                let pos = table.position_at_least(t);
                let level = table.sorted[pos];
                let expect = table.sorted.partition_point(|&u| u > level);
                prop_assert_eq!(own.position_for(t), expect, "target {}", t);
            }
        }

        /// Outcomes come out right whatever the order positions are asked in.
        #[test]
        fn outcome_at_decodes_ids(positions in proptest::collection::vec(0usize..24, 1..60)) {
            let s = crate::testutil::one_issue(&[1.0, 0.5, 0.75, 0.5, 0.0, 0.25], 4);
            let tables = detente_core::ScenarioTables::for_scenario(&s);
            let info = SessionInfo { party: 0, scenario: &s, tables: &tables, deadline: 10, seed: 0 };
            let mut own = Own::new(&info, "test").unwrap();
            for pos in positions {
                let o = own.outcome_at(pos);
                let expect = s.space.outcome(own.table.order[pos]);
                prop_assert_eq!(Some(&o), expect.as_ref());
                prop_assert_eq!(own.id(&o), own.table.order[pos]);
                prop_assert_eq!(own.utility(&o), own.table.sorted[pos]);
            }
        }

        /// Galloping from any hint finds what a plain binary search finds.
        #[test]
        fn partition_near_is_partition_point(
            mut v in proptest::collection::vec(0u8..20, 0..300),
            hint in 0usize..320,
            threshold in 0u8..22,
        ) {
            v.sort_unstable_by(|a, b| b.cmp(a));
            let v: Vec<f64> = v.into_iter().map(f64::from).collect();
            let t = f64::from(threshold);
            prop_assert_eq!(partition_near(&v, hint, |u| u >= t), v.partition_point(|&u| u >= t));
            prop_assert_eq!(partition_near(&v, hint, |u| u > t), v.partition_point(|&u| u > t));
        }
    }

    #[test]
    fn acceptance_rule() {
        // At least the next offer, or the target, and never below reservation.
        assert!(default_accept(0.6, 0.6, 0.7, 0.0));
        assert!(default_accept(0.6, 0.7, 0.55, 0.0));
        assert!(!default_accept(0.5, 0.6, 0.55, 0.0));
        assert!(!default_accept(0.6, 0.5, 0.5, 0.65));
        assert!(default_accept(0.65, 0.5, 0.5, 0.65));
    }
}
