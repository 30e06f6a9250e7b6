//! A BOA negotiator's view of the outcome space: its own utility of every outcome (the
//! party's shared sorted table), outcome ids decoded into issue values and back, and the
//! searches offering strategies need (the outcome for a target utility, the outcomes in a
//! utility band), all binary searches in the sorted table.

use std::cell::Cell;
use std::sync::Arc;

use detente_core::{NegotiatorError, Outcome, OutcomeId, OutcomeValues, PartyTable, SessionInfo};

use crate::common::partition_near;

/// Division by a fixed 32-bit divisor with multiplications (Lemire, Kaser and Kurz, "Faster
/// remainder by direct computation", 2019): exact for every 32-bit dividend.
#[derive(Debug, Clone, Copy)]
struct FastDiv {
    d: u32,
    m: u64,
}

impl FastDiv {
    fn new(d: u32) -> Self {
        FastDiv {
            d,
            m: (u64::MAX / u64::from(d)).wrapping_add(1),
        }
    }

    /// `(n / d, n % d)`.
    #[inline]
    fn div_rem(self, n: u32) -> (u32, u32) {
        if self.d == 1 {
            return (n, 0);
        }
        let low = self.m.wrapping_mul(u64::from(n));
        let q = ((u128::from(self.m) * u128::from(n)) >> 64) as u32;
        let r = ((u128::from(low) * u128::from(self.d)) >> 64) as u32;
        (q, r)
    }
}

/// The outcome space as one party sees it, shared by its BOA components.
#[derive(Debug, Clone)]
pub struct OwnSpace {
    table: Arc<PartyTable>,
    /// Number of values of each issue, in issue order (the mixed radix of outcome ids).
    cardinalities: Vec<u32>,
    /// The cardinalities as fast divisors.
    divisors: Vec<FastDiv>,
    /// Every outcome's values, when the scenario's tables hold them.
    values: Option<Arc<OutcomeValues>>,
    /// Which ids are feasible, when some are not (scenarios with constraints).
    feasible: Option<Arc<Vec<bool>>>,
    /// Undiscounted reservation value.
    reservation: f64,
    /// Discount factor.
    discount: f64,
    /// Where the last search for a target ended: targets move little from turn to turn, so
    /// the next search gallops from here ([`count_at_least`](Self::count_at_least)).
    hint: Cell<usize>,
}

impl OwnSpace {
    /// Loads the party's shared table; a space too large to enumerate is an error saying so.
    pub fn new(info: &SessionInfo<'_>) -> Result<Self, NegotiatorError> {
        let table = info.own_table().map_err(|e| {
            NegotiatorError(format!(
                "a BOA negotiator needs a table of its utility of every outcome, which cannot \
                 be built: {e}"
            ))
        })?;
        let cardinalities: Vec<u32> = info
            .space()
            .issues()
            .iter()
            .map(|i| i.cardinality() as u32)
            .collect();
        let prefs = info.preferences();
        let divisors = cardinalities.iter().map(|&c| FastDiv::new(c)).collect();
        let feasible = (table.order.len() < table.utilities.len()).then(|| {
            let mut f = vec![false; table.utilities.len()];
            for &id in &table.order {
                f[id as usize] = true;
            }
            Arc::new(f)
        });
        Ok(OwnSpace {
            table,
            cardinalities,
            divisors,
            values: info.tables.outcome_values(info.scenario),
            feasible,
            reservation: prefs.reservation,
            discount: prefs.discount,
            hint: Cell::new(0),
        })
    }

    /// Number of values of each issue, in issue order.
    pub fn cardinalities(&self) -> &[u32] {
        &self.cardinalities
    }

    /// Every outcome's values by id, when the scenario's tables hold them.
    pub fn outcome_values(&self) -> Option<&OutcomeValues> {
        self.values.as_deref()
    }

    /// Number of issues.
    pub fn n_issues(&self) -> usize {
        self.cardinalities.len()
    }

    /// The party's undiscounted reservation value.
    pub fn reservation(&self) -> f64 {
        self.reservation
    }

    /// The party's discount factor (1: no discount).
    pub fn discount(&self) -> f64 {
        self.discount
    }

    /// A utility discounted to time `t`, as GENIUS's `getUtilityWithDiscount` (`u d^t` for a
    /// discount factor `d` in `(0, 1)`, `u` otherwise).
    pub fn discounted(&self, u: f64, t: f64) -> f64 {
        if self.discount > 0.0 && self.discount < 1.0 {
            u * self.discount.powf(t)
        } else {
            u
        }
    }

    /// The best utility of a feasible outcome.
    pub fn best(&self) -> f64 {
        self.table.best()
    }

    /// The worst utility of a feasible outcome.
    pub fn worst(&self) -> f64 {
        self.table.worst()
    }

    /// The shared table (utility by id; feasible ids sorted best first, ties by id).
    pub fn table(&self) -> &PartyTable {
        &self.table
    }

    /// Whether outcome `id` is feasible (satisfies the scenario's constraints).
    #[inline]
    pub fn is_feasible(&self, id: OutcomeId) -> bool {
        self.feasible
            .as_ref()
            .is_none_or(|f| f.get(id as usize).copied().unwrap_or(false))
    }

    /// Number of feasible outcomes.
    pub fn len(&self) -> usize {
        self.table.order.len()
    }

    /// Whether there is no feasible outcome (never, for a valid scenario).
    pub fn is_empty(&self) -> bool {
        self.table.order.is_empty()
    }

    /// Utility of an outcome id.
    #[inline]
    pub fn utility(&self, id: OutcomeId) -> f64 {
        self.table.utilities[id as usize]
    }

    /// The id of the feasible outcome at position `pos` of the sorted table (0: the best).
    #[inline]
    pub fn id_at(&self, pos: usize) -> OutcomeId {
        self.table.order[pos]
    }

    /// The id of an outcome given by its values.
    #[inline]
    pub fn id(&self, values: &[u32]) -> OutcomeId {
        let mut id = 0u64;
        for (&v, &c) in values.iter().zip(&self.cardinalities) {
            id = id * u64::from(c) + u64::from(v);
        }
        id
    }

    /// Writes the values of outcome `id` into `values` (one per issue).
    #[inline]
    pub fn decode(&self, id: OutcomeId, values: &mut [u32]) {
        if let Some(table) = &self.values {
            for (slot, &v) in values.iter_mut().zip(table.of(id)) {
                *slot = u32::from(v);
            }
            return;
        }
        // Most spaces have 32-bit ids: divide them by multiplications.
        if let Ok(mut id) = u32::try_from(id) {
            for (slot, d) in values.iter_mut().zip(&self.divisors).rev() {
                let (q, r) = d.div_rem(id);
                *slot = r;
                id = q;
            }
        } else {
            let mut id = id;
            for (slot, &c) in values.iter_mut().zip(&self.cardinalities).rev() {
                *slot = (id % u64::from(c)) as u32;
                id /= u64::from(c);
            }
        }
    }

    /// The outcome of an id.
    pub fn outcome(&self, id: OutcomeId) -> Outcome {
        if let Some(table) = &self.values {
            return Outcome(table.of(id).iter().map(|&v| u32::from(v)).collect());
        }
        let mut values = vec![0; self.cardinalities.len()];
        self.decode(id, &mut values);
        Outcome(values)
    }

    /// The position of the outcome to offer for `target`: among the outcomes whose utility is
    /// the lowest at or above `target`, the first in the table (the smallest id); the best
    /// outcome when none reaches `target`.
    pub fn position_at_least(&self, target: f64) -> usize {
        let sorted = &self.table.sorted;
        let pos = self.count_at_least(target).saturating_sub(1);
        let level = sorted[pos];
        partition_near(sorted, pos, |u| u > level)
    }

    /// The number of feasible outcomes of utility at or above `target` (what a binary search
    /// of the sorted table finds, found by galloping from where the previous search ended).
    pub fn count_at_least(&self, target: f64) -> usize {
        let count = partition_near(&self.table.sorted, self.hint.get(), |u| u >= target);
        self.hint.set(count);
        count
    }

    /// The positions `[from, to)` of the outcomes whose utility lies in `[low, high]`.
    pub fn band(&self, low: f64, high: f64) -> std::ops::Range<usize> {
        let sorted = &self.table.sorted;
        let from = sorted.partition_point(|&u| u > high);
        let to = sorted.partition_point(|&u| u >= low);
        from..to.max(from)
    }

    /// The position of the outcome whose utility is nearest `target` (GENIUS's
    /// `getBidNearUtility`); between two equally near, the better one; among equal utilities,
    /// the first in the table.
    pub fn position_nearest(&self, target: f64) -> usize {
        let sorted = &self.table.sorted;
        let below = sorted
            .partition_point(|&u| u > target)
            .min(sorted.len() - 1);
        let mut pos = below;
        if below > 0 && (sorted[below - 1] - target).abs() <= (sorted[below] - target).abs() {
            pos = below - 1;
        }
        let level = sorted[pos];
        sorted.partition_point(|&u| u > level)
    }
}

#[cfg(test)]
mod tests {
    use super::FastDiv;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fast_division_is_exact(n: u32, d in 1u32..=u32::MAX) {
            prop_assert_eq!(FastDiv::new(d).div_rem(n), (n / d, n % d));
        }

        /// Whatever the sequence of targets (the searches gallop from the previous answer),
        /// the counts and offer positions are those of plain binary searches.
        #[test]
        fn searches_from_a_hint_are_binary_searches(
            targets in proptest::collection::vec(-0.2f64..1.2, 1..40),
        ) {
            let s = crate::testutil::one_issue(&[1.0, 0.5, 0.75, 0.5, 0.0, 0.25], 4);
            let tables = detente_core::ScenarioTables::for_scenario(&s);
            let info = crate::testutil::info(0, &s, &tables, 10, 0);
            let space = super::OwnSpace::new(&info).unwrap();
            let sorted = space.table().sorted.clone();
            for t in targets {
                let count = sorted.partition_point(|&u| u >= t);
                prop_assert_eq!(space.count_at_least(t), count, "target {}", t);
                let level = sorted[count.saturating_sub(1)];
                let pos = sorted.partition_point(|&u| u > level);
                prop_assert_eq!(space.position_at_least(t), pos, "target {}", t);
            }
        }
    }

    #[test]
    fn fast_division_at_the_edges() {
        for d in [1, 2, 3, 7, 10, 255, 65_536, u32::MAX] {
            for n in [0, 1, d - 1, d, d.wrapping_add(1), u32::MAX - 1, u32::MAX] {
                assert_eq!(FastDiv::new(d).div_rem(n), (n / d, n % d), "{n} / {d}");
            }
        }
    }
}
