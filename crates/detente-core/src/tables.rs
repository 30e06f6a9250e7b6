//! Precomputed per-party utility tables, built once per scenario and shared by every
//! negotiation on it.
//!
//! A [`PartyTable`] holds a party's utility of every outcome (by [`OutcomeId`]) and the ids
//! sorted from best to worst, so a negotiator finds the outcome nearest a target utility by
//! binary search instead of scanning the space.

use std::sync::{Arc, OnceLock};

use crate::alloc;
use crate::error::Result;
use crate::scenario::Scenario;
use crate::space::{Outcome, OutcomeId, OutcomeSpace};
use crate::utility::{Utility, UtilityFunction};

/// Default largest space that is enumerated into tables.
pub const DEFAULT_ENUMERATION_LIMIT: u64 = 20_000_000;

/// One party's utility of every outcome, and the feasible outcomes in order of that utility.
#[derive(Debug, Clone)]
pub struct PartyTable {
    /// `utilities[id]`: the party's undiscounted utility of outcome `id`.
    pub utilities: Vec<f64>,
    /// Feasible outcome ids sorted by utility, best first; ties in increasing id order.
    pub order: Vec<OutcomeId>,
    /// `sorted[k] = utilities[order[k]]`, non-increasing.
    pub sorted: Vec<f64>,
}

impl PartyTable {
    /// Builds the table of `utility` over `space`, enumerating at most `limit` outcomes.
    pub fn build(space: &OutcomeSpace, utility: &Utility, limit: u64) -> Result<Self> {
        let utilities = utility_vector(space, utility, limit)?;
        // Sort one integer key per outcome: the utility mapped to bits that order like
        // `f64::total_cmp`, inverted so the best comes first, then the id. The same order as
        // sorting ids by utility with a comparator, several times faster.
        let monotone = |u: f64| -> u64 {
            let b = u.to_bits();
            if b >> 63 == 1 { !b } else { b ^ (1 << 63) }
        };
        let key =
            |id: OutcomeId| (u128::from(!monotone(utilities[id as usize])) << 64) | u128::from(id);
        let mut keys: Vec<u128> = alloc::with_capacity(utilities.len(), "the sort keys")?;
        if space.constraints().is_empty() {
            keys.extend((0..utilities.len() as OutcomeId).map(key));
        } else {
            let mut values = vec![0u32; space.issues().len()];
            keys.extend(
                (0..utilities.len() as OutcomeId)
                    .filter(|&id| space.decode_into(id, &mut values) && space.is_feasible(&values))
                    .map(key),
            );
        };
        keys.sort_unstable();
        let mut order: Vec<OutcomeId> = alloc::with_capacity(keys.len(), "the outcome order")?;
        order.extend(keys.into_iter().map(|k| k as OutcomeId));
        let mut sorted = alloc::with_capacity(order.len(), "the sorted utilities")?;
        sorted.extend(order.iter().map(|&id| utilities[id as usize]));
        Ok(PartyTable {
            utilities,
            order,
            sorted,
        })
    }

    /// Highest utility.
    pub fn best(&self) -> f64 {
        self.sorted[0]
    }

    /// Lowest utility.
    pub fn worst(&self) -> f64 {
        *self
            .sorted
            .last()
            .expect("a space has at least one outcome")
    }

    /// The position in `order` of the worst outcome whose utility is at least `target`; the
    /// best outcome when none reaches it.
    pub fn position_at_least(&self, target: f64) -> usize {
        // `sorted` is non-increasing: count the entries >= target.
        let n = self.sorted.partition_point(|&u| u >= target);
        n.saturating_sub(1)
    }

    /// The worst outcome whose utility is at least `target` (the best one when none reaches it).
    pub fn at_least(&self, target: f64) -> OutcomeId {
        self.order[self.position_at_least(target)]
    }
}

/// Every outcome's utility, by id. Linear additive utilities are summed from their per-issue
/// tables with an odometer, without building an [`Outcome`] per id.
pub fn utility_vector(space: &OutcomeSpace, utility: &Utility, limit: u64) -> Result<Vec<f64>> {
    let n = space.enumerable(limit)?;
    let mut out = alloc::with_capacity(n, "a utility table")?;
    match utility.as_linear() {
        Some(lin) if (0..space.issues().len()).all(|i| lin.weighted_table(i).is_some()) => {
            let tables: Vec<&[f64]> = (0..space.issues().len())
                .map(|i| lin.weighted_table(i).unwrap())
                .collect();
            let last = tables.len() - 1;
            let mut digits = vec![0usize; tables.len()];
            // prefix[i] = sum of tables[0..i] at the current digits, in issue order (so the sum
            // is formed in exactly the order `LinearAdditive::sum` uses).
            let mut prefix = vec![0.0f64; tables.len() + 1];
            for i in 0..last {
                prefix[i + 1] = prefix[i] + tables[i][0];
            }
            'outer: loop {
                let base = prefix[last];
                for &s in tables[last] {
                    out.push(lin.apply_cap(base + s));
                }
                // Advance the higher digits.
                let mut i = last;
                loop {
                    if i == 0 {
                        break 'outer;
                    }
                    i -= 1;
                    digits[i] += 1;
                    if digits[i] < tables[i].len() {
                        break;
                    }
                    digits[i] = 0;
                }
                for j in i..last {
                    prefix[j + 1] = prefix[j] + tables[j][digits[j]];
                }
            }
        }
        _ => {
            let mut o = Outcome(vec![0; space.issues().len()]);
            for id in 0..n as OutcomeId {
                space.decode_into(id, &mut o.0);
                out.push(utility.utility(&o));
            }
        }
    }
    debug_assert_eq!(out.len(), n);
    Ok(out)
}

/// Lazily built, shared tables for every party of one scenario. Cloning the `Arc` around it
/// shares the work between negotiations ("warm"); a fresh one per negotiation rebuilds it
/// ("cold").
#[derive(Debug)]
pub struct ScenarioTables {
    parties: Vec<OnceLock<Result<Arc<PartyTable>>>>,
    values: OnceLock<Option<Arc<OutcomeValues>>>,
    limit: u64,
}

/// The largest number of cells (outcomes times issues) [`ScenarioTables::outcome_values`]
/// tabulates (32 MiB of `u16`s).
pub const OUTCOME_VALUES_LIMIT: u64 = 1 << 24;

/// The values of every outcome, by id: what decoding an id gives, tabulated once per scenario
/// for negotiators that read many outcomes' values on every turn (opponent models rating the
/// bids near a target).
#[derive(Debug, Clone)]
pub struct OutcomeValues {
    n_issues: usize,
    cells: Vec<u16>,
}

impl OutcomeValues {
    /// The values of outcome `id`, one per issue.
    #[inline]
    pub fn of(&self, id: OutcomeId) -> &[u16] {
        let i = id as usize * self.n_issues;
        &self.cells[i..i + self.n_issues]
    }

    fn build(space: &OutcomeSpace) -> Option<Self> {
        let n_issues = space.issues().len();
        let count = space.count_u64()?;
        let small = space.issues().iter().all(|i| i.cardinality() <= 1 << 16);
        if !small || count.checked_mul(n_issues as u64)? > OUTCOME_VALUES_LIMIT {
            return None;
        }
        let mut cells = Vec::with_capacity(count as usize * n_issues);
        let mut values = vec![0u32; n_issues];
        for id in 0..count {
            space.decode_into(id, &mut values);
            cells.extend(values.iter().map(|&v| v as u16));
        }
        Some(OutcomeValues { n_issues, cells })
    }
}

impl ScenarioTables {
    /// Empty tables for a scenario with `n_parties` parties, enumerating at most `limit`
    /// outcomes.
    pub fn new(n_parties: usize, limit: u64) -> Self {
        ScenarioTables {
            parties: (0..n_parties).map(|_| OnceLock::new()).collect(),
            values: OnceLock::new(),
            limit,
        }
    }

    /// Empty tables for `scenario` with the default enumeration limit.
    pub fn for_scenario(scenario: &Scenario) -> Self {
        Self::new(scenario.parties.len(), DEFAULT_ENUMERATION_LIMIT)
    }

    /// The enumeration limit.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The values of every outcome by id, built on first use; `None` when the space has
    /// more than [`OUTCOME_VALUES_LIMIT`] cells or an issue of more than 65,536 values.
    pub fn outcome_values(&self, scenario: &Scenario) -> Option<Arc<OutcomeValues>> {
        self.values
            .get_or_init(|| OutcomeValues::build(&scenario.space).map(Arc::new))
            .clone()
    }

    /// Party `i`'s table, built on first use.
    pub fn party(&self, scenario: &Scenario, i: usize) -> Result<Arc<PartyTable>> {
        self.parties[i]
            .get_or_init(|| {
                PartyTable::build(&scenario.space, scenario.utility(i), self.limit).map(Arc::new)
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::Issue;
    use crate::utility::{Evaluator, LinearAdditive};

    #[test]
    fn odometer_matches_direct_evaluation() {
        let space = OutcomeSpace::new(vec![
            Issue::discrete("a", ["x", "y", "z"]),
            Issue::integer("b", 0, 3),
            Issue::discrete("c", ["p", "q"]),
        ])
        .unwrap();
        let lin = LinearAdditive::new(
            &space,
            vec![0.5, 0.3, 0.4],
            vec![
                Evaluator::Table(vec![0.1, 1.0, 0.4]),
                Evaluator::Linear {
                    slope: 0.3,
                    intercept: 0.0,
                    origin: 0.0,
                    clamp: true,
                },
                Evaluator::Table(vec![1.0, 0.0]),
            ],
            Some(1.0),
        )
        .unwrap();
        let u = Utility::LinearAdditive(lin);
        let fast = utility_vector(&space, &u, 100).unwrap();
        let slow: Vec<f64> = space
            .outcomes(100)
            .unwrap()
            .map(|o| u.utility(&o))
            .collect();
        assert_eq!(fast, slow);
        let t = PartyTable::build(&space, &u, 100).unwrap();
        assert!(t.sorted.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(t.best(), 1.0);
        let id = t.at_least(0.5);
        assert!(t.utilities[id as usize] >= 0.5);
        assert!(
            t.sorted
                .iter()
                .filter(|&&u| u >= 0.5)
                .all(|&u| u >= t.utilities[id as usize])
        );
        assert_eq!(t.at_least(2.0), t.order[0]);
        assert!(utility_vector(&space, &u, 10).is_err());
        let values = OutcomeValues::build(&space).unwrap();
        let mut o = vec![0u32; 3];
        for id in 0..24 {
            space.decode_into(id, &mut o);
            let want: Vec<u16> = o.iter().map(|&v| v as u16).collect();
            assert_eq!(values.of(id), want.as_slice());
        }
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;
    use crate::space::Issue;
    use crate::utility::{Evaluator, LinearAdditive};
    use proptest::prelude::*;

    proptest! {
        /// The integer-key sort gives the order of a comparator sort (best first, ties by id),
        /// negative utilities and ties included.
        #[test]
        fn key_sort_equals_comparator_sort(scores in proptest::collection::vec(-3i32..3, 1..60)) {
            let space = OutcomeSpace::new(vec![Issue::integer("x", 0, scores.len() as i64 - 1)]).unwrap();
            let table: Vec<f64> = scores.iter().map(|&s| f64::from(s) * 0.25).collect();
            let u = Utility::LinearAdditive(LinearAdditive::new(&space, vec![1.0], vec![Evaluator::Table(table.clone())], None).unwrap());
            let t = PartyTable::build(&space, &u, 1000).unwrap();
            let mut expect: Vec<OutcomeId> = (0..table.len() as OutcomeId).collect();
            expect.sort_by(|&a, &b| table[b as usize].total_cmp(&table[a as usize]).then(a.cmp(&b)));
            prop_assert_eq!(t.order, expect);
        }
    }
}
