//! The best and the worst value of each issue under a linear additive utility, without a scan
//! over the values of a large numeric issue (an integer issue may have 2^32 − 1 values).
//!
//! A tabulated issue (at most 2^20 values) is scanned. A numeric issue scored by a function
//! is cut into segments on which every comparison the evaluator makes (`x < lower`,
//! `x > top`, ...) has the same answer; on each segment the score is a composition of
//! monotone floating-point operations of the value index (the value `min + index`, or
//! `min + (max − min) · index / (steps − 1)`; subtracting, multiplying and dividing by
//! constants; clamping), so it is weakly monotone and its extremes lie at the segment's ends.
//! Where a run of equal scores ends a segment, a binary search finds its first index, so the
//! result is exactly what a scan gives: the lowest index among the values of largest (and of
//! smallest) score. The work is `O(b log n)` for `b` breakpoints (at most three) and `n`
//! values.

use super::{Evaluator, LinearAdditive, NumericAxis};

/// The best and the worst value of one issue under a linear additive utility: what each
/// adds to the weighted sum, `w_i · eval_i(v)`. Ties go to the lowest value index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueExtremes {
    /// Index of the value that adds the most.
    pub best: u32,
    /// What it adds.
    pub best_score: f64,
    /// Index of the value that adds the least.
    pub worst: u32,
    /// What it adds.
    pub worst_score: f64,
}

impl IssueExtremes {
    /// The larger magnitude of the two scores: the most the issue moves the sum away from 0.
    pub fn magnitude(&self) -> f64 {
        self.best_score.abs().max(self.worst_score.abs())
    }
}

impl LinearAdditive {
    /// The best and the worst value of issue `issue` (ties to the lowest index), exactly as a
    /// scan over its values finds them, in `O(log n)` evaluations for a numeric issue scored
    /// by a function (see the module docs). A score that is not a number (`NaN`) counts as
    /// larger than any other, so it shows as the best score.
    ///
    /// # Panics
    /// When `issue` is not an issue of the utility.
    pub fn issue_extremes(&self, issue: usize) -> IssueExtremes {
        match self.numeric[issue] {
            Some(axis) if self.weighted[issue].is_empty() => {
                let score =
                    |v: u32| self.weights[issue] * self.evaluators[issue].eval_number(axis.at(v));
                by_segments(&axis, &breakpoints(&self.evaluators[issue]), score)
            }
            _ => by_scan(&self.weighted[issue]),
        }
    }

    /// The smallest and the largest weighted sum over all combinations of values (constraints
    /// and the cap left out): each issue at its worst, and at its best.
    pub fn sum_range(&self) -> (f64, f64) {
        (0..self.weights.len()).fold((0.0, 0.0), |(lo, hi), i| {
            let e = self.issue_extremes(i);
            (lo + e.worst_score, hi + e.best_score)
        })
    }
}

/// Orders scores as a scan picks them: by value, `NaN` above everything.
fn cmp(a: f64, b: f64) -> std::cmp::Ordering {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => a.partial_cmp(&b).expect("neither is NaN"),
        (x, y) => x.cmp(&y),
    }
}

/// The extremes of a table of scores, by a scan.
fn by_scan(scores: &[f64]) -> IssueExtremes {
    let mut e = IssueExtremes {
        best: 0,
        best_score: scores.first().copied().unwrap_or(f64::NAN),
        worst: 0,
        worst_score: scores.first().copied().unwrap_or(f64::NAN),
    };
    for (v, &s) in scores.iter().enumerate().skip(1) {
        if cmp(s, e.best_score).is_gt() {
            (e.best, e.best_score) = (v as u32, s);
        }
        if cmp(s, e.worst_score).is_lt() {
            (e.worst, e.worst_score) = (v as u32, s);
        }
    }
    e
}

/// The values at which the evaluator's comparisons can change their answer.
fn breakpoints(evaluator: &Evaluator) -> Vec<f64> {
    match *evaluator {
        Evaluator::Triangular { lower, upper, top } => vec![lower, top, upper],
        Evaluator::Interpolate {
            low_value,
            high_value,
            ..
        } => vec![low_value, high_value],
        Evaluator::Linear { .. } | Evaluator::Constant(_) | Evaluator::Table(_) => Vec::new(),
    }
}

/// The first index in `lo..hi` at which `pred` holds, for a `pred` that holds on a suffix of
/// the range (`hi` when it holds nowhere).
fn first_where(mut lo: u64, mut hi: u64, pred: impl Fn(u32) -> bool) -> u64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid as u32) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// The extremes of `score` over the values of `axis`, segment by segment (see the module
/// docs).
fn by_segments(axis: &NumericAxis, breaks: &[f64], score: impl Fn(u32) -> f64) -> IssueExtremes {
    let n = axis.steps;
    let mut cuts = vec![0, n];
    for &c in breaks {
        cuts.push(first_where(0, n, |v| axis.at(v) >= c));
        cuts.push(first_where(0, n, |v| axis.at(v) > c));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut best: Option<(u32, f64)> = None;
    let mut worst: Option<(u32, f64)> = None;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1] - 1);
        if w[0] >= w[1] {
            continue;
        }
        let (sa, sb) = (score(a as u32), score(b as u32));
        // Weakly monotone on the segment: the ends are its extremes; a run of scores equal to
        // the end's starts where the binary search says.
        let ((hi_at, hi), (lo_at, lo)) = if cmp(sa, sb).is_le() {
            let first_top = first_where(a, b, |v| cmp(score(v), sb).is_ge());
            ((first_top, sb), (a, sa))
        } else {
            let first_bottom = first_where(a, b, |v| cmp(score(v), sb).is_le());
            ((a, sa), (first_bottom, sb))
        };
        if best.is_none_or(|(_, s)| cmp(hi, s).is_gt()) {
            best = Some((hi_at as u32, hi));
        }
        if worst.is_none_or(|(_, s)| cmp(lo, s).is_lt()) {
            worst = Some((lo_at as u32, lo));
        }
    }
    let (best, best_score) = best.expect("an issue has at least one value");
    let (worst, worst_score) = worst.expect("an issue has at least one value");
    IssueExtremes {
        best,
        best_score,
        worst,
        worst_score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::{Issue, OutcomeSpace};
    use proptest::prelude::*;

    /// The extremes by a scan over every value, as the closed form must find them.
    fn scanned(lin: &LinearAdditive, issue: usize, n: u32) -> IssueExtremes {
        let scores: Vec<f64> = (0..n).map(|v| lin.weighted_score(issue, v)).collect();
        by_scan(&scores)
    }

    fn evaluator() -> impl Strategy<Value = Evaluator> {
        // Small integers and halves make ties and saturated clamps common.
        let num = || (-8i32..8).prop_map(|x| f64::from(x) * 0.5);
        prop_oneof![
            (num(), num(), num(), any::<bool>()).prop_map(|(s, i, o, c)| Evaluator::Linear {
                slope: s * 0.25,
                intercept: i,
                origin: o,
                clamp: c,
            }),
            (num(), num(), num()).prop_map(|(a, b, c)| {
                let mut v = [a, b, c];
                v.sort_by(f64::total_cmp);
                Evaluator::Triangular {
                    lower: v[0],
                    top: v[1],
                    upper: v[2],
                }
            }),
            num().prop_map(Evaluator::Constant),
            (num(), num(), num(), num()).prop_map(|(a, ua, b, ub)| Evaluator::Interpolate {
                low_value: a.min(b),
                low_utility: ua,
                high_value: a.max(b),
                high_utility: ub,
            }),
        ]
    }

    proptest! {
        /// The segments give what a scan gives, ties included, on integer and real issues.
        #[test]
        fn segments_equal_a_scan(
            ev in evaluator(),
            weight in (-4i32..5).prop_map(|w| f64::from(w) * 0.5),
            min in -6i64..6,
            len in 1u32..40,
            real in any::<bool>(),
        ) {
            let issue = if real {
                Issue::real("x", min as f64, min as f64 + f64::from(len) * 0.5, len.max(2))
            } else {
                Issue::integer("x", min, min + i64::from(len) - 1)
            };
            let n = issue.cardinality() as u32;
            let space = OutcomeSpace::new(vec![issue.clone()]).unwrap();
            let lin = LinearAdditive::new(&space, vec![weight], vec![ev.clone()], None).unwrap();
            let axis = NumericAxis::of(&issue).unwrap();
            let closed = by_segments(&axis, &breakpoints(&ev), |v| weight * ev.eval_number(axis.at(v)));
            prop_assert_eq!(closed, scanned(&lin, 0, n));
            prop_assert_eq!(lin.issue_extremes(0), closed);
        }
    }

    #[test]
    fn a_huge_integer_issue_is_not_scanned() {
        let space =
            OutcomeSpace::new(vec![Issue::integer("x", 0, i64::from(u32::MAX) - 1)]).unwrap();
        let down = Evaluator::Linear {
            slope: -1e-9,
            intercept: 1.0,
            origin: 0.0,
            clamp: true,
        };
        let lin = LinearAdditive::new(&space, vec![2.0], vec![down], None).unwrap();
        let e = lin.issue_extremes(0);
        assert_eq!((e.best, e.best_score), (0, 2.0));
        // Clamped at 0 from x = 1e9 on: the first value of the run is the worst.
        assert_eq!((e.worst, e.worst_score), (1_000_000_000, 0.0));
        let peak = Evaluator::Triangular {
            lower: 10.0,
            top: 3_000_000_000.5,
            upper: 4e9,
        };
        let lin = LinearAdditive::new(&space, vec![1.0], vec![peak], None).unwrap();
        let e = lin.issue_extremes(0);
        assert_eq!(e.best, 3_000_000_000);
        assert_eq!((e.worst, e.worst_score), (0, 0.0));
        assert_eq!(lin.sum_range(), (0.0, e.best_score));
    }
}
