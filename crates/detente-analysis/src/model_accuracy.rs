//! How accurate an opponent model is (Baarslag, Hendrikx, Hindriks and Jonker, "Predicting the
//! performance of opponent models in automated negotiation", IAT 2013; the definitions of
//! GENIUS's `OpponentModelMeasures` and `UtilspaceTools`, which that study used):
//!
//! - **Pearson correlation of bids**: of the estimated and the true utility over every
//!   outcome (higher is better; undefined, NaN, when either is constant).
//! - **Ranking distance of bids**: the share of ordered pairs of outcomes `(ω, ω')` (all
//!   `N²`, a pair with itself included) that the two utilities order differently:
//!   `sign(u(ω) - u(ω')) != sign(û(ω) - û(ω'))`, a tie in one and not the other counting as a
//!   difference (lower is better). Computed exactly in `O(N log N)` by counting discordant
//!   pairs with a merge sort, where GENIUS compares all pairs (and samples 100,000 of them
//!   above 80,000 outcomes).
//! - **Pareto frontier distance**: the outcomes on the Pareto frontier of the modelling
//!   party's utility against the *estimated* opponent utility, placed at their true utilities;
//!   the absolute difference between the area under them and the area under the true
//!   frontier. Each area is taken under the points sorted by the modeller's utility, joined by
//!   straight lines, with `(0, 1)` and `(1, 0)` added unless a point already has the
//!   modeller's utility 0 or 1 (lower is better).
//!
//! All three read the utility of every outcome: [`accuracy`] takes them as slices; the caller
//! decides whether a space is small enough to enumerate (see [`model_accuracy`]).

use detente_core::{Negotiator, OutcomeId, Scenario, ScenarioTables};

/// The accuracy of one opponent model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelAccuracy {
    /// Pearson correlation of estimated and true utilities over the outcomes.
    pub pearson: f64,
    /// Share of ordered pairs of outcomes ordered differently.
    pub ranking_distance: f64,
    /// Difference of the areas under the true and the estimated Pareto frontiers.
    pub pareto_distance: f64,
}

/// The accuracy of an estimate `estimate` of the utility `truth`, held by a party whose own
/// utility is `own`; the three slices give each outcome's utility in the same order.
///
/// # Panics
/// When the slices differ in length or are empty.
pub fn accuracy(own: &[f64], truth: &[f64], estimate: &[f64]) -> ModelAccuracy {
    assert!(
        own.len() == truth.len() && truth.len() == estimate.len() && !own.is_empty(),
        "one utility per outcome in each slice"
    );
    ModelAccuracy {
        pearson: pearson(truth, estimate),
        ranking_distance: ranking_distance(truth, estimate),
        pareto_distance: pareto_distance(own, truth, estimate),
    }
}

/// Pearson's correlation coefficient of `a` and `b`, in two passes (means, then centred
/// sums), as GENIUS computes it.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut num, mut sa, mut sb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        num += dx * dy;
        sa += dx * dx;
        sb += dy * dy;
    }
    num / (sa * sb).sqrt()
}

/// Number of unordered pairs within runs of equal keys of a sorted sequence.
fn tied_pairs<T: PartialEq>(sorted: impl Iterator<Item = T>) -> u64 {
    let mut pairs = 0u64;
    let mut run = 0u64;
    let mut last: Option<T> = None;
    for x in sorted {
        if last.as_ref() == Some(&x) {
            run += 1;
        } else {
            pairs += run * (run.saturating_sub(1)) / 2;
            run = 1;
            last = Some(x);
        }
    }
    pairs + run * run.saturating_sub(1) / 2
}

/// Sorts `v` (stable, ascending) and counts the pairs `i < j` with `v[i] > v[j]`.
fn strict_inversions(v: &mut [f64], buf: &mut Vec<f64>) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut count = strict_inversions(&mut v[..mid], buf) + strict_inversions(&mut v[mid..], buf);
    buf.clear();
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        if v[i] <= v[j] {
            buf.push(v[i]);
            i += 1;
        } else {
            buf.push(v[j]);
            count += (mid - i) as u64;
            j += 1;
        }
    }
    buf.extend_from_slice(&v[i..mid]);
    buf.extend_from_slice(&v[j..n]);
    v.copy_from_slice(buf);
    count
}

/// The ranking distance of `a` and `b` (see the module docs): `2 (D + Ta + Tb) / N²`, with
/// `D` the pairs ordered oppositely and `Ta`, `Tb` the pairs tied in one only.
pub fn ranking_distance(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&i, &j| a[i].total_cmp(&a[j]).then(b[i].total_cmp(&b[j])));
    let tied_a = tied_pairs(idx.iter().map(|&i| a[i].to_bits()));
    let tied_ab = tied_pairs(idx.iter().map(|&i| (a[i].to_bits(), b[i].to_bits())));
    let mut bs: Vec<f64> = idx.iter().map(|&i| b[i]).collect();
    let discordant = strict_inversions(&mut bs, &mut Vec::with_capacity(n));
    let tied_b = tied_pairs(bs.iter().map(|x| x.to_bits()));
    let differ = discordant + (tied_a - tied_ab) + (tied_b - tied_ab);
    2.0 * differ as f64 / (n as f64 * n as f64)
}

/// The indices of the outcomes on the Pareto frontier of `x` against `y` (maximising both;
/// outcomes with the same point as a frontier outcome included), in index order.
fn frontier(x: &[f64], y: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&i, &j| x[j].total_cmp(&x[i]).then(y[j].total_cmp(&y[i])));
    let mut on = Vec::new();
    let mut best_y = f64::NEG_INFINITY;
    let mut last: Option<(f64, f64)> = None;
    for &i in &idx {
        let p = (x[i], y[i]);
        if y[i] > best_y || last == Some(p) {
            on.push(i);
            best_y = best_y.max(y[i]);
            last = Some(p);
        }
    }
    on.sort_unstable();
    on
}

/// The area under points `(a, b)` sorted by `a` (stable), joined by straight lines, with
/// `(0, 1)` and `(1, 0)` added unless some point has `a` equal to 0 or 1 (GENIUS's
/// `calculateParetoSurface`).
fn surface(mut points: Vec<(f64, f64)>) -> f64 {
    if !points.iter().any(|p| p.0 == 0.0) {
        points.push((0.0, 1.0));
    }
    if !points.iter().any(|p| p.0 == 1.0) {
        points.push((1.0, 0.0));
    }
    points.sort_by(|p, q| p.0.total_cmp(&q.0));
    points
        .windows(2)
        .map(|w| {
            let (hi, lo) = (w[0], w[1]);
            lo.1 * (lo.0 - hi.0) + (hi.1 - lo.1) * (lo.0 - hi.0) / 2.0
        })
        .sum()
}

/// The Pareto frontier distance (see the module docs).
pub fn pareto_distance(own: &[f64], truth: &[f64], estimate: &[f64]) -> f64 {
    let real: Vec<(f64, f64)> = frontier(own, truth)
        .into_iter()
        .map(|i| (own[i], truth[i]))
        .collect();
    let estimated: Vec<(f64, f64)> = frontier(own, estimate)
        .into_iter()
        .map(|i| (own[i], truth[i]))
        .collect();
    (surface(real) - surface(estimated)).abs()
}

/// The accuracy of a model held by one party of another.
#[derive(Debug, Clone, PartialEq)]
pub struct PairAccuracy {
    /// The modelling party.
    pub party: usize,
    /// The party modelled.
    pub opponent: usize,
    /// How accurate the model is.
    pub accuracy: ModelAccuracy,
}

/// The accuracy of every opponent model the negotiators of a finished negotiation hold
/// ([`Negotiator::opponent_estimate`]), against the parties' true utilities in `tables`, over
/// every feasible outcome. `None` when the space has more than `limit` feasible outcomes or
/// its tables cannot be built (nothing is enumerated then); an empty list when no negotiator
/// models anybody.
pub fn model_accuracy(
    scenario: &Scenario,
    tables: &ScenarioTables,
    negotiators: &[Box<dyn Negotiator + '_>],
    limit: u64,
) -> Option<Vec<PairAccuracy>> {
    let n = scenario.parties.len();
    let models: Vec<(usize, usize)> = (0..negotiators.len().min(n))
        .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
        .filter(|&(i, j)| negotiators[i].opponent_estimate(j).is_some())
        .collect();
    if models.is_empty() {
        return Some(Vec::new());
    }
    let table = |p: usize| tables.party(scenario, p).ok();
    let ids: Vec<OutcomeId> = {
        let t = table(0)?;
        if t.order.len() as u64 > limit {
            return None;
        }
        let mut ids = t.order.clone();
        ids.sort_unstable();
        ids
    };
    let truth: Vec<Vec<f64>> = (0..n)
        .map(|p| table(p).map(|t| ids.iter().map(|&id| t.utilities[id as usize]).collect()))
        .collect::<Option<_>>()?;
    let mut values = vec![0u32; scenario.space.issues().len()];
    let mut out = Vec::with_capacity(models.len());
    for (i, j) in models {
        let model = negotiators[i].opponent_estimate(j)?;
        let estimate: Vec<f64> = ids
            .iter()
            .map(|&id| {
                scenario.space.decode_into(id, &mut values);
                model.estimate(&values)
            })
            .collect();
        out.push(PairAccuracy {
            party: i,
            opponent: j,
            accuracy: accuracy(&truth[i], &truth[j], &estimate),
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// GENIUS's `calculateRankingDistance`: every ordered pair compared.
    fn ranking_brute(a: &[f64], b: &[f64]) -> f64 {
        let mut d = 0.0;
        for i in 0..a.len() {
            for j in 0..a.len() {
                if (a[i] - a[j]).signum_or_zero() != (b[i] - b[j]).signum_or_zero() {
                    d += 1.0;
                }
            }
        }
        d / (a.len() * a.len()) as f64
    }

    trait Signum {
        fn signum_or_zero(self) -> f64;
    }
    impl Signum for f64 {
        /// Java's `Math.signum`: 0 for 0.
        fn signum_or_zero(self) -> f64 {
            if self == 0.0 { 0.0 } else { self.signum() }
        }
    }

    /// Pareto-optimal by brute force: nothing is at least as good in both and better in one.
    fn frontier_brute(x: &[f64], y: &[f64]) -> Vec<usize> {
        (0..x.len())
            .filter(|&i| {
                !(0..x.len()).any(|j| x[j] >= x[i] && y[j] >= y[i] && (x[j] > x[i] || y[j] > y[i]))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn ranking_distance_is_the_share_of_pairs_ordered_differently(
            ab in proptest::collection::vec((0u8..6, 0u8..6), 1..60),
        ) {
            let a: Vec<f64> = ab.iter().map(|p| f64::from(p.0) / 5.0).collect();
            let b: Vec<f64> = ab.iter().map(|p| f64::from(p.1) / 5.0).collect();
            prop_assert_eq!(ranking_distance(&a, &b), ranking_brute(&a, &b));
        }

        #[test]
        fn frontier_is_the_set_of_undominated_outcomes(
            xy in proptest::collection::vec((0u8..8, 0u8..8), 1..60),
        ) {
            let x: Vec<f64> = xy.iter().map(|p| f64::from(p.0)).collect();
            let y: Vec<f64> = xy.iter().map(|p| f64::from(p.1)).collect();
            prop_assert_eq!(frontier(&x, &y), frontier_brute(&x, &y));
        }
    }

    #[test]
    fn hand_computed_examples() {
        // Pearson: a perfect and an inverted estimate.
        let t = [0.0, 0.5, 1.0, 0.25];
        assert!((pearson(&t, &[1.0, 2.0, 3.0, 1.5]) - 1.0).abs() < 1e-15);
        assert!((pearson(&t, &[1.0, 0.5, 0.0, 0.75]) + 1.0).abs() < 1e-15);
        assert!(pearson(&t, &[0.5; 4]).is_nan());
        // Ranking: the inverted estimate orders every pair of distinct utilities the other
        // way: 12 of 16 ordered pairs; a constant estimate ties the 12.
        assert_eq!(ranking_distance(&t, &[1.0, 0.5, 0.0, 0.75]), 12.0 / 16.0);
        assert_eq!(ranking_distance(&t, &[0.5; 4]), 12.0 / 16.0);
        assert_eq!(ranking_distance(&t, &t), 0.0);
        // Pareto: outcomes (own, opponent) = (1,0), (0.5,0.5), (0,1), (0.4,0.4). The true
        // frontier has the first three: area 0.5 under (0,1)-(0.5,0.5)-(1,0). An estimate
        // that rates (0.4, 0.4) high and (0.5, 0.5) below (1, 0) gives the frontier
        // (1,0), (0.4,0.4), (0,1) in true utilities: area 0.4.
        let own = [1.0, 0.5, 0.0, 0.4];
        let truth = [0.0, 0.5, 1.0, 0.4];
        assert!((pareto_distance(&own, &truth, &truth)).abs() < 1e-15);
        let est = [0.2, 0.1, 1.0, 0.9];
        assert!((pareto_distance(&own, &truth, &est) - 0.1).abs() < 1e-15);
        let a = accuracy(&own, &truth, &truth);
        assert_eq!((a.ranking_distance, a.pareto_distance), (0.0, 0.0));
        assert!((a.pearson - 1.0).abs() < 1e-15);
    }
}
