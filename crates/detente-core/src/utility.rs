//! Preferences: utility functions over outcomes, reservation values and time discounting.
//!
//! detente never rescales what a scenario states: a party's utility of an outcome is exactly
//! what its utility function gives (for GENIUS files, what GENIUS computes). Built-in
//! negotiators work between each party's own worst and best utility, so they need no
//! normalisation. A utility at time `t` in `[0, 1]` is `u * d^t`, with `d` the party's
//! discount factor; the reservation value is discounted the same way.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

mod extremes;

use crate::error::{Error, Result};
use crate::space::{Combination, Issue, IssueKind, Outcome, OutcomeSpace};

pub use extremes::IssueExtremes;

/// Utility of outcomes for one party. Implement this to plug in preferences of your own.
pub trait UtilityFunction: Send + Sync + fmt::Debug {
    /// The (undiscounted) utility of `outcome`, which is an outcome of the scenario's space.
    fn utility(&self, outcome: &Outcome) -> f64;
}

/// How one issue's value is scored inside a [`LinearAdditive`] utility.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluator {
    /// One score per value index (discrete issues, or any issue listed value by value).
    Table(Vec<f64>),
    /// `slope * (x - origin) + intercept` of the numeric value `x`, clamped to `[0, 1]` when
    /// `clamp` is set.
    Linear {
        /// Change per unit of `x`.
        slope: f64,
        /// Score at `x = origin`.
        intercept: f64,
        /// Where `intercept` applies.
        origin: f64,
        /// Clamp the score to `[0, 1]`.
        clamp: bool,
    },
    /// 0 outside `[lower, upper]`, rising linearly to 1 at `top` and falling back to 0.
    Triangular {
        /// Left end.
        lower: f64,
        /// Right end.
        upper: f64,
        /// Peak.
        top: f64,
    },
    /// The same score for every value.
    Constant(f64),
    /// Linear between `(low_value, low_utility)` and `(high_value, high_utility)`, 0 outside
    /// (GeniusWeb's number utilities).
    Interpolate {
        /// Left end of the range.
        low_value: f64,
        /// Score at `low_value`.
        low_utility: f64,
        /// Right end of the range.
        high_value: f64,
        /// Score at `high_value`.
        high_utility: f64,
    },
}

impl Evaluator {
    /// The score of a numeric value `x` (not for [`Evaluator::Table`]).
    pub fn eval_number(&self, x: f64) -> f64 {
        match *self {
            Evaluator::Table(_) => f64::NAN,
            Evaluator::Linear {
                slope,
                intercept,
                origin,
                clamp,
            } => {
                let v = slope * (x - origin) + intercept;
                if clamp { v.clamp(0.0, 1.0) } else { v }
            }
            Evaluator::Triangular { lower, upper, top } => {
                if x < lower || x > upper {
                    0.0
                } else if x < top {
                    if top > lower {
                        (x - lower) / (top - lower)
                    } else {
                        1.0
                    }
                } else if x > top {
                    if upper > top {
                        (upper - x) / (upper - top)
                    } else {
                        1.0
                    }
                } else {
                    1.0
                }
            }
            Evaluator::Constant(c) => c,
            Evaluator::Interpolate {
                low_value,
                low_utility,
                high_value,
                high_utility,
            } => {
                if x < low_value || x > high_value {
                    0.0
                } else if high_value == low_value {
                    low_utility
                } else {
                    low_utility
                        + (high_utility - low_utility) * (x - low_value) / (high_value - low_value)
                }
            }
        }
    }
}

/// The largest magnitude a utility, a reservation value or a number an event sets may have:
/// `1e12`. Utilities are compared, summed and squared (distances to the Pareto frontier);
/// bounding them keeps every such figure finite, where a score of `1e308` would make
/// distances infinite. Nothing a utility means needs more (rescale the scores if it seems to).
pub const MAX_UTILITY_MAGNITUDE: f64 = 1e12;

/// Largest issue cardinality for which per-value scores are precomputed.
const TABLE_LIMIT: u64 = 1 << 20;

/// A linear additive utility: `sum_i w_i * eval_i(value_i)`, optionally capped from above
/// (GENIUS caps at 1). The per-value products `w_i * eval_i(v)` are precomputed, so the
/// utility of an outcome is one table lookup and one addition per issue.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearAdditive {
    weights: Vec<f64>,
    evaluators: Vec<Evaluator>,
    cap: Option<f64>,
    /// `weighted[i][v] = w_i * eval_i(v)`; empty for issues too large to tabulate.
    weighted: Vec<Vec<f64>>,
    /// Numeric values of issues that are evaluated on the fly: (min, step) per issue.
    numeric: Vec<Option<NumericAxis>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct NumericAxis {
    min: f64,
    max: f64,
    steps: u64,
    integer: bool,
}

impl NumericAxis {
    /// The axis of a numeric issue; `None` for a discrete one.
    fn of(issue: &Issue) -> Option<NumericAxis> {
        match issue.kind {
            IssueKind::Discrete { .. } => None,
            IssueKind::Integer { min, max } => Some(NumericAxis {
                min: min as f64,
                max: max as f64,
                steps: issue.cardinality(),
                integer: true,
            }),
            IssueKind::Real { min, max, steps } => Some(NumericAxis {
                min,
                max,
                steps: u64::from(steps),
                integer: false,
            }),
        }
    }

    fn at(&self, v: u32) -> f64 {
        if self.integer {
            self.min + f64::from(v)
        } else if u64::from(v) + 1 == self.steps {
            self.max
        } else {
            self.min + (self.max - self.min) * f64::from(v) / (self.steps - 1) as f64
        }
    }
}

impl LinearAdditive {
    /// Builds a linear additive utility over `space`: one weight and one evaluator per issue.
    /// Weights and scores must be finite; a [`Evaluator::Table`] needs one score per value and
    /// numeric evaluators need a numeric issue.
    pub fn new(
        space: &OutcomeSpace,
        weights: Vec<f64>,
        evaluators: Vec<Evaluator>,
        cap: Option<f64>,
    ) -> Result<Self> {
        let issues = space.issues();
        if weights.len() != issues.len() || evaluators.len() != issues.len() {
            return Err(Error::InvalidUtility(format!(
                "{} weights and {} evaluators given for {} issues",
                weights.len(),
                evaluators.len(),
                issues.len()
            )));
        }
        let mut weighted = Vec::with_capacity(issues.len());
        let mut numeric = Vec::with_capacity(issues.len());
        for ((issue, &w), ev) in issues.iter().zip(&weights).zip(&evaluators) {
            if !w.is_finite() {
                return Err(Error::InvalidUtility(format!(
                    "issue `{}` has weight {w}",
                    issue.name
                )));
            }
            let axis = NumericAxis::of(issue);
            match ev {
                Evaluator::Table(scores) => {
                    if scores.len() as u64 != issue.cardinality() {
                        return Err(Error::InvalidUtility(format!(
                            "issue `{}` has {} values but {} scores",
                            issue.name,
                            issue.cardinality(),
                            scores.len()
                        )));
                    }
                    if let Some(s) = scores.iter().find(|s| !s.is_finite()) {
                        return Err(Error::InvalidUtility(format!(
                            "issue `{}` has score {s}",
                            issue.name
                        )));
                    }
                    weighted.push(scores.iter().map(|s| w * s).collect());
                    numeric.push(None);
                }
                other => {
                    let Some(axis) = axis else {
                        return Err(Error::InvalidUtility(format!(
                            "issue `{}` is discrete and needs a score per value, not a function",
                            issue.name
                        )));
                    };
                    if issue.cardinality() <= TABLE_LIMIT {
                        let scores: Vec<f64> = (0..issue.cardinality() as u32)
                            .map(|v| w * other.eval_number(axis.at(v)))
                            .collect();
                        if scores.iter().any(|s| !s.is_finite()) {
                            return Err(Error::InvalidUtility(format!(
                                "issue `{}` scores a value as a non-finite number",
                                issue.name
                            )));
                        }
                        weighted.push(scores);
                        numeric.push(None);
                    } else {
                        weighted.push(Vec::new());
                        numeric.push(Some(axis));
                    }
                }
            }
        }
        if let Some(c) = cap
            && !c.is_finite()
        {
            return Err(Error::InvalidUtility(format!("cap {c} is not finite")));
        }
        let lin = LinearAdditive {
            weights,
            evaluators,
            cap,
            weighted,
            numeric,
        };
        // Issues too large to tabulate: their extremes, in closed form, are finite.
        for (i, issue) in issues.iter().enumerate() {
            if !lin.weighted[i].is_empty() || lin.numeric[i].is_none() {
                continue;
            }
            let e = lin.issue_extremes(i);
            if !(e.best_score.is_finite() && e.worst_score.is_finite()) {
                return Err(Error::InvalidUtility(format!(
                    "issue `{}` scores a value as a non-finite number",
                    issue.name
                )));
            }
        }
        Ok(lin)
    }

    /// Issue weights, in issue order.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Evaluators, in issue order.
    pub fn evaluators(&self) -> &[Evaluator] {
        &self.evaluators
    }

    /// The cap applied to the sum, if any.
    pub fn cap(&self) -> Option<f64> {
        self.cap
    }

    /// `w_i * eval_i(v)`: what value `v` of issue `i` adds to the sum.
    pub fn weighted_score(&self, issue: usize, value: u32) -> f64 {
        match self.weighted[issue].get(value as usize) {
            Some(&s) => s,
            None => match self.numeric[issue] {
                Some(axis) => {
                    self.weights[issue] * self.evaluators[issue].eval_number(axis.at(value))
                }
                None => f64::NAN,
            },
        }
    }

    /// The precomputed `w_i * eval_i(v)` table of issue `i`, or `None` when the issue has too
    /// many values to tabulate.
    pub fn weighted_table(&self, issue: usize) -> Option<&[f64]> {
        let t = &self.weighted[issue];
        (!t.is_empty() || self.numeric[issue].is_none()).then_some(t.as_slice())
    }

    /// The uncapped weighted sum.
    #[inline]
    pub fn sum(&self, outcome: &[u32]) -> f64 {
        let mut u = 0.0;
        for (i, &v) in outcome.iter().enumerate() {
            u += match self.weighted[i].get(v as usize) {
                Some(&s) => s,
                None => self.weighted_score(i, v),
            };
        }
        u
    }

    /// Applies the cap to a sum.
    #[inline]
    pub fn apply_cap(&self, sum: f64) -> f64 {
        match self.cap {
            Some(c) if sum > c => c,
            _ => sum,
        }
    }
}

impl UtilityFunction for LinearAdditive {
    #[inline]
    fn utility(&self, outcome: &Outcome) -> f64 {
        self.apply_cap(self.sum(&outcome.0))
    }
}

/// An explicit table of utilities for non-additive preferences: listed outcomes get their
/// listed utility, every other outcome gets `default`.
#[derive(Debug, Clone, PartialEq)]
pub struct TableUtility {
    /// Utility of each listed outcome.
    pub values: HashMap<Outcome, f64>,
    /// Utility of outcomes not listed.
    pub default: f64,
}

impl TableUtility {
    /// Builds a table, checking that every listed outcome is in `space` and every utility is
    /// finite.
    pub fn new(space: &OutcomeSpace, values: HashMap<Outcome, f64>, default: f64) -> Result<Self> {
        if !default.is_finite() {
            return Err(Error::InvalidUtility(format!(
                "default utility {default} is not finite"
            )));
        }
        for (o, u) in &values {
            if !space.in_range(o) {
                return Err(Error::InvalidUtility(format!(
                    "table lists {o:?}, which is not an outcome of the space"
                )));
            }
            if !u.is_finite() {
                return Err(Error::InvalidUtility(format!(
                    "table gives {} the utility {u}",
                    space.display(o)
                )));
            }
        }
        Ok(TableUtility { values, default })
    }
}

impl UtilityFunction for TableUtility {
    fn utility(&self, outcome: &Outcome) -> f64 {
        self.values.get(outcome).copied().unwrap_or(self.default)
    }
}

/// One hyper-rectangle of a [`HyperrectangleUtility`]: it adds `utility` to every outcome whose
/// value index on each listed issue lies in the inclusive range given.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyperrectangle {
    /// `(issue index, lowest value index, highest value index)`, all inclusive.
    pub bounds: Vec<(usize, u32, u32)>,
    /// What the rectangle adds when an outcome lies inside it.
    pub utility: f64,
}

impl Hyperrectangle {
    /// Whether `outcome` lies inside.
    #[inline]
    pub fn contains(&self, outcome: &[u32]) -> bool {
        self.bounds
            .iter()
            .all(|&(i, lo, hi)| (lo..=hi).contains(&outcome[i]))
    }
}

/// A non-additive utility made of hyper-rectangles (GENIUS's ANAC 2014 non-linear profiles):
/// `min(cap, sum of the utilities of the rectangles containing the outcome / scale)`.
#[derive(Debug, Clone, PartialEq)]
pub struct HyperrectangleUtility {
    /// The rectangles.
    pub rectangles: Vec<Hyperrectangle>,
    /// The sum is divided by this (GENIUS's `maxutility`).
    pub scale: f64,
    /// Upper cap on the result, if any.
    pub cap: Option<f64>,
}

impl HyperrectangleUtility {
    /// Builds the utility, checking every rectangle against `space` and every number.
    pub fn new(
        space: &OutcomeSpace,
        rectangles: Vec<Hyperrectangle>,
        scale: f64,
        cap: Option<f64>,
    ) -> Result<Self> {
        if !(scale.is_finite() && scale != 0.0) {
            return Err(Error::InvalidUtility(format!(
                "hyper-rectangle scale {scale} must be finite and non-zero"
            )));
        }
        for (k, r) in rectangles.iter().enumerate() {
            if !r.utility.is_finite() {
                return Err(Error::InvalidUtility(format!(
                    "hyper-rectangle #{} has utility {}",
                    k + 1,
                    r.utility
                )));
            }
            for &(i, lo, hi) in &r.bounds {
                let Some(issue) = space.issues().get(i) else {
                    return Err(Error::InvalidUtility(format!(
                        "hyper-rectangle #{} names issue #{i}, which does not exist",
                        k + 1
                    )));
                };
                if lo > hi || u64::from(hi) >= issue.cardinality() {
                    return Err(Error::InvalidUtility(format!(
                        "hyper-rectangle #{} has bounds {lo}..={hi} outside issue `{}`",
                        k + 1,
                        issue.name
                    )));
                }
            }
        }
        Ok(HyperrectangleUtility {
            rectangles,
            scale,
            cap,
        })
    }
}

impl UtilityFunction for HyperrectangleUtility {
    fn utility(&self, outcome: &Outcome) -> f64 {
        let sum: f64 = self
            .rectangles
            .iter()
            .filter(|r| r.contains(&outcome.0))
            .map(|r| r.utility)
            .sum();
        let u = sum / self.scale;
        match self.cap {
            Some(c) if u > c => c,
            _ => u,
        }
    }
}

/// An interaction term: `utility` is added when an outcome matches the combination (a linked
/// deal worth more, or less, together than apart).
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// Name, for messages and transcripts.
    pub name: String,
    /// When the term applies.
    pub when: Combination,
    /// What it adds (negative to subtract).
    pub utility: f64,
}

/// A linear additive utility plus interaction terms:
/// `cap?(sum_i w_i * eval_i(v_i) + sum of the terms that apply)`. Interaction terms couple
/// issues, so analysis treats this as non-additive.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionUtility {
    base: LinearAdditive,
    interactions: Vec<Interaction>,
}

impl InteractionUtility {
    /// Builds the utility, checking every term against `space`.
    pub fn new(
        space: &OutcomeSpace,
        base: LinearAdditive,
        interactions: Vec<Interaction>,
    ) -> Result<Self> {
        let mut checked = Vec::with_capacity(interactions.len());
        for t in interactions {
            if !t.utility.is_finite() {
                return Err(Error::InvalidUtility(format!(
                    "interaction `{}` has utility {}",
                    t.name, t.utility
                )));
            }
            let when = t
                .when
                .validated(space.issues(), &format!("interaction `{}`", t.name))
                .map_err(|e| Error::InvalidUtility(e.to_string()))?;
            checked.push(Interaction {
                name: t.name,
                when,
                utility: t.utility,
            });
        }
        Ok(InteractionUtility {
            base,
            interactions: checked,
        })
    }

    /// The additive part.
    pub fn base(&self) -> &LinearAdditive {
        &self.base
    }

    /// The interaction terms.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }
}

impl UtilityFunction for InteractionUtility {
    #[inline]
    fn utility(&self, outcome: &Outcome) -> f64 {
        let mut sum = self.base.sum(&outcome.0);
        for t in &self.interactions {
            if t.when.matches(&outcome.0) {
                sum += t.utility;
            }
        }
        self.base.apply_cap(sum)
    }
}

/// A utility function: one of the built-in kinds, or a user's own.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Utility {
    /// Weighted sum of per-issue scores.
    LinearAdditive(LinearAdditive),
    /// Explicit table.
    Table(TableUtility),
    /// Sum of hyper-rectangle contributions.
    Hyperrectangles(HyperrectangleUtility),
    /// Linear additive plus interaction terms.
    Interacting(InteractionUtility),
    /// Anything else, behind the [`UtilityFunction`] trait.
    Custom(Arc<dyn UtilityFunction>),
}

impl Utility {
    /// The linear additive form, when this is one (analysis uses it to avoid enumeration).
    pub fn as_linear(&self) -> Option<&LinearAdditive> {
        match self {
            Utility::LinearAdditive(l) => Some(l),
            _ => None,
        }
    }

    /// A bound on the magnitude of the utility of any outcome, found without enumerating the
    /// outcomes (the sum of the largest magnitudes of the parts); `None` for a
    /// [`Utility::Custom`], which cannot be looked into. Not finite when a part is not.
    pub fn magnitude_bound(&self) -> Option<f64> {
        let capped = |bound: f64, cap: Option<f64>| cap.map_or(bound, |c| bound.max(c.abs()));
        let linear = |l: &LinearAdditive| {
            let sum: f64 = (0..l.weights.len())
                .map(|i| l.issue_extremes(i).magnitude())
                .sum();
            sum
        };
        Some(match self {
            Utility::LinearAdditive(l) => capped(linear(l), l.cap),
            Utility::Table(t) => t
                .values
                .values()
                .fold(t.default.abs(), |m, u| m.max(u.abs())),
            Utility::Hyperrectangles(h) => {
                let sum: f64 = h.rectangles.iter().map(|r| r.utility.abs()).sum();
                capped(sum / h.scale.abs(), h.cap)
            }
            Utility::Interacting(i) => {
                let terms: f64 = i.interactions.iter().map(|t| t.utility.abs()).sum();
                capped(linear(&i.base) + terms, i.base.cap)
            }
            Utility::Custom(_) => return None,
        })
    }
}

impl UtilityFunction for Utility {
    #[inline]
    fn utility(&self, outcome: &Outcome) -> f64 {
        match self {
            Utility::LinearAdditive(l) => l.utility(outcome),
            Utility::Table(t) => t.utility(outcome),
            Utility::Hyperrectangles(h) => h.utility(outcome),
            Utility::Interacting(i) => i.utility(outcome),
            Utility::Custom(c) => c.utility(outcome),
        }
    }
}

/// One party's preferences: a utility function, the utility of no agreement, and a discount
/// factor.
#[derive(Debug, Clone)]
pub struct Preferences {
    /// Utility of each outcome, undiscounted.
    pub utility: Utility,
    /// Utility of ending without agreement (undiscounted).
    pub reservation: f64,
    /// Discount factor `d` in `(0, 1]`: a utility `u` at normalised time `t` is worth `u * d^t`.
    pub discount: f64,
}

impl Preferences {
    /// Preferences without discounting and with reservation value 0.
    pub fn new(utility: Utility) -> Self {
        Preferences {
            utility,
            reservation: 0.0,
            discount: 1.0,
        }
    }

    /// Undiscounted utility of `outcome`.
    #[inline]
    pub fn utility(&self, outcome: &Outcome) -> f64 {
        self.utility.utility(outcome)
    }

    /// `u * d^t`, with `t` clamped to `[0, 1]`.
    #[inline]
    pub fn discounted(&self, u: f64, t: f64) -> f64 {
        if self.discount == 1.0 {
            u
        } else {
            u * self.discount.powf(t.clamp(0.0, 1.0))
        }
    }

    /// Checks the reservation value and discount factor, and that no utility can be larger
    /// in magnitude than [`MAX_UTILITY_MAGNITUDE`].
    pub fn validate(&self) -> Result<()> {
        if !self.reservation.is_finite() {
            return Err(Error::InvalidUtility(format!(
                "reservation value {} is not finite",
                self.reservation
            )));
        }
        if self.reservation.abs() > MAX_UTILITY_MAGNITUDE {
            return Err(Error::InvalidUtility(format!(
                "reservation value {:e} is larger in magnitude than {MAX_UTILITY_MAGNITUDE:e}, \
                 the most a utility may be",
                self.reservation
            )));
        }
        if let Some(bound) = self.utility.magnitude_bound()
            && (bound.is_nan() || bound > MAX_UTILITY_MAGNITUDE)
        {
            return Err(Error::InvalidUtility(format!(
                "utilities can reach {bound:e} in magnitude, more than {MAX_UTILITY_MAGNITUDE:e}, \
                 the most a utility may be (rescale the scores, weights or terms)"
            )));
        }
        if !(self.discount > 0.0 && self.discount <= 1.0) {
            return Err(Error::InvalidUtility(format!(
                "discount factor {} is outside (0, 1]",
                self.discount
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::Issue;
    use proptest::prelude::*;

    #[test]
    fn evaluators_score_numbers() {
        let lin = Evaluator::Linear {
            slope: 0.1,
            intercept: 0.5,
            origin: 10.0,
            clamp: true,
        };
        assert_eq!(lin.eval_number(10.0), 0.5);
        assert_eq!(lin.eval_number(30.0), 1.0);
        assert_eq!(lin.eval_number(0.0), 0.0);
        let tri = Evaluator::Triangular {
            lower: 0.0,
            upper: 4.0,
            top: 1.0,
        };
        assert_eq!(tri.eval_number(0.5), 0.5);
        assert_eq!(tri.eval_number(1.0), 1.0);
        assert_eq!(tri.eval_number(2.5), 0.5);
        assert_eq!(tri.eval_number(5.0), 0.0);
        let int = Evaluator::Interpolate {
            low_value: 1.0,
            low_utility: 0.2,
            high_value: 3.0,
            high_utility: 0.6,
        };
        assert!((int.eval_number(2.0) - 0.4).abs() < 1e-15);
        assert_eq!(int.eval_number(0.0), 0.0);
    }

    #[test]
    fn cap_and_discount() {
        let space = OutcomeSpace::new(vec![Issue::discrete("a", ["x", "y"])]).unwrap();
        let u = LinearAdditive::new(
            &space,
            vec![1.2],
            vec![Evaluator::Table(vec![0.5, 1.0])],
            Some(1.0),
        )
        .unwrap();
        assert_eq!(u.utility(&Outcome(vec![0])), 0.6);
        assert_eq!(u.utility(&Outcome(vec![1])), 1.0);
        let p = Preferences {
            utility: Utility::LinearAdditive(u),
            reservation: 0.2,
            discount: 0.25,
        };
        assert_eq!(p.discounted(0.8, 0.5), 0.4);
        assert_eq!(p.discounted(0.8, 2.0), 0.2);
        assert!(p.validate().is_ok());
        assert!(
            Preferences {
                discount: 0.0,
                ..p.clone()
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn interactions_add_to_the_sum() {
        let space = OutcomeSpace::new(vec![
            Issue::discrete("a", ["x", "y"]),
            Issue::discrete("b", ["p", "q"]),
        ])
        .unwrap();
        let base = LinearAdditive::new(
            &space,
            vec![0.5, 0.5],
            vec![
                Evaluator::Table(vec![0.0, 1.0]),
                Evaluator::Table(vec![0.0, 1.0]),
            ],
            Some(1.0),
        )
        .unwrap();
        let both = Interaction {
            name: "y with q".into(),
            when: Combination {
                parts: vec![(1, vec![1]), (0, vec![1])],
            },
            utility: 0.25,
        };
        let minus = Interaction {
            name: "x".into(),
            when: Combination {
                parts: vec![(0, vec![0])],
            },
            utility: -0.1,
        };
        let u = InteractionUtility::new(&space, base.clone(), vec![both, minus]).unwrap();
        assert_eq!(u.utility(&Outcome(vec![1, 1])), 1.0); // 1.0 + 0.25, capped
        assert_eq!(u.utility(&Outcome(vec![1, 0])), 0.5);
        assert!((u.utility(&Outcome(vec![0, 1])) - 0.4).abs() < 1e-15);
        let bad = Interaction {
            name: "bad".into(),
            when: Combination {
                parts: vec![(0, vec![5])],
            },
            utility: 1.0,
        };
        assert!(InteractionUtility::new(&space, base, vec![bad]).is_err());
    }

    #[test]
    fn hyperrectangles_add_up() {
        let space =
            OutcomeSpace::new(vec![Issue::integer("a", 0, 9), Issue::integer("b", 0, 9)]).unwrap();
        let rects = vec![
            Hyperrectangle {
                bounds: vec![(0, 0, 4)],
                utility: 30.0,
            },
            Hyperrectangle {
                bounds: vec![(0, 3, 3), (1, 2, 5)],
                utility: 50.0,
            },
        ];
        let h = HyperrectangleUtility::new(&space, rects.clone(), 60.0, Some(1.0)).unwrap();
        assert_eq!(h.utility(&Outcome(vec![1, 1])), 0.5);
        assert_eq!(h.utility(&Outcome(vec![3, 2])), 1.0);
        assert_eq!(h.utility(&Outcome(vec![5, 2])), 0.0);
        let bad = vec![Hyperrectangle {
            bounds: vec![(1, 2, 10)],
            utility: 1.0,
        }];
        assert!(HyperrectangleUtility::new(&space, bad, 1.0, None).is_err());
    }

    #[test]
    fn rejects_misfit_evaluators() {
        let space = OutcomeSpace::new(vec![
            Issue::discrete("a", ["x", "y"]),
            Issue::integer("b", 0, 3),
        ])
        .unwrap();
        let lin = Evaluator::Linear {
            slope: 1.0,
            intercept: 0.0,
            origin: 0.0,
            clamp: false,
        };
        assert!(LinearAdditive::new(&space, vec![0.5], vec![lin.clone()], None).is_err());
        assert!(
            LinearAdditive::new(&space, vec![0.5, 0.5], vec![lin.clone(), lin.clone()], None)
                .is_err()
        );
        assert!(
            LinearAdditive::new(
                &space,
                vec![0.5, 0.5],
                vec![Evaluator::Table(vec![1.0]), lin.clone()],
                None
            )
            .is_err()
        );
        assert!(
            LinearAdditive::new(
                &space,
                vec![f64::NAN, 0.5],
                vec![Evaluator::Table(vec![1.0, 0.0]), lin],
                None
            )
            .is_err()
        );
    }

    proptest! {
        /// The precomputed tables give the brute-force weighted sum on random spaces.
        #[test]
        fn linear_additive_is_the_weighted_sum(
            issues in proptest::collection::vec((1u32..6, any::<bool>()), 1..6),
            seed in any::<u64>(),
        ) {
            use rand::{Rng, SeedableRng};
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let mut space_issues = Vec::new();
            let mut evaluators = Vec::new();
            for (i, &(card, numeric)) in issues.iter().enumerate() {
                if numeric {
                    let lo: i64 = rng.random_range(-5..5);
                    space_issues.push(Issue::integer(format!("i{i}"), lo, lo + i64::from(card) - 1));
                    evaluators.push(Evaluator::Linear { slope: rng.random_range(-1.0..1.0), intercept: rng.random(), origin: lo as f64, clamp: rng.random() });
                } else {
                    space_issues.push(Issue::discrete(format!("i{i}"), (0..card).map(|v| format!("v{v}"))));
                    evaluators.push(Evaluator::Table((0..card).map(|_| rng.random()).collect()));
                }
            }
            let weights: Vec<f64> = (0..issues.len()).map(|_| rng.random()).collect();
            let space = OutcomeSpace::new(space_issues).unwrap();
            let u = LinearAdditive::new(&space, weights.clone(), evaluators.clone(), None).unwrap();
            for o in space.outcomes(10_000).unwrap() {
                let mut brute = 0.0;
                for (i, &v) in o.0.iter().enumerate() {
                    let score = match &evaluators[i] {
                        Evaluator::Table(t) => t[v as usize],
                        e => e.eval_number(space.issues()[i].numeric_value(v).unwrap()),
                    };
                    brute += weights[i] * score;
                }
                prop_assert!((u.utility(&o) - brute).abs() <= 1e-12, "{} vs {}", u.utility(&o), brute);
            }
        }
    }
}
