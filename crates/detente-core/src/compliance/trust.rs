//! Valuing a deal at its expected worth under a party's beliefs, in one place: the utility the
//! live scenario gives each party (so negotiators, mediators, partial-agreement fallbacks and
//! results all see the same).
//!
//! Party `p` trusts obligation `k` (on issue `i`, binding parties `B`) with
//! `t = Π_{j ∈ B, j ≠ p} b_pj`, the product of its beliefs that each bound counterpart
//! complies (independently). An outcome `o` whose issue `i` takes a binding value is worth
//! `t · u(o) + (1 - t) · u(o_q)`, `o_q` being `o` with issue `i` at its status quo: with
//! probability `t` the obligation holds, otherwise it is as if it had never been agreed. Other
//! outcomes keep their utility. Several obligations compose (independent breaches). A
//! settlement's worth in the fallback ([`crate::dynamics::partial`]) shrinks with it.
//!
//! For a linear additive utility without a cap and with a value table on the issue, the same
//! expectation is the issue's scores moved towards the status quo's,
//! `e'(v) = e(q) + t · (e(v) - e(q))`, which keeps the utility linear (and its fast tables);
//! any other utility is wrapped ([`Trusting`]).

use std::sync::Arc;

use super::Obligation;
use crate::space::{Outcome, OutcomeSpace};
use crate::utility::{Evaluator, LinearAdditive, Utility, UtilityFunction};

/// A utility valued under trust in one obligation (see the module docs).
#[derive(Debug)]
pub struct Trusting {
    /// The utility before this obligation's trust.
    pub inner: Utility,
    /// The obligation's issue.
    pub issue: usize,
    /// Its binding values.
    pub values: Vec<u32>,
    /// The issue's status quo.
    pub quo: u32,
    /// The trust, in `[0, 1]`.
    pub trust: f64,
}

impl UtilityFunction for Trusting {
    fn utility(&self, outcome: &Outcome) -> f64 {
        let u = self.inner.utility(outcome);
        if !self.values.contains(&outcome.0[self.issue]) {
            return u;
        }
        let mut quo = outcome.clone();
        quo.0[self.issue] = self.quo;
        self.trust * u + (1.0 - self.trust) * self.inner.utility(&quo)
    }
}

/// `utility` valued under trust `t` in `obligation` (unchanged when `t` is 1).
pub fn under_trust(
    space: &OutcomeSpace,
    utility: &Utility,
    obligation: &Obligation,
    trust: f64,
) -> Utility {
    let Some(quo) = space.issues()[obligation.issue].status_quo else {
        return utility.clone();
    };
    if trust >= 1.0 {
        return utility.clone();
    }
    if let Some(lin) = utility.as_linear()
        && lin.cap().is_none()
        && let Evaluator::Table(scores) = &lin.evaluators()[obligation.issue]
    {
        let mut scores = scores.clone();
        let base = scores[quo as usize];
        for &v in &obligation.values {
            if let Some(s) = scores.get_mut(v as usize) {
                *s = base + trust * (*s - base);
            }
        }
        let mut evaluators = lin.evaluators().to_vec();
        evaluators[obligation.issue] = Evaluator::Table(scores);
        if let Ok(new) = LinearAdditive::new(space, lin.weights().to_vec(), evaluators, None) {
            return Utility::LinearAdditive(new);
        }
    }
    Utility::Custom(Arc::new(Trusting {
        inner: utility.clone(),
        issue: obligation.issue,
        values: obligation.values.clone(),
        quo,
        trust,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::Issue;

    #[test]
    fn both_forms_give_the_expected_worth() {
        let space = OutcomeSpace::new(vec![
            Issue::discrete("pause", ["none", "pause"]).with_status_quo(0),
            Issue::discrete("x", ["a", "b"]),
        ])
        .unwrap();
        let evals = vec![
            Evaluator::Table(vec![0.2, 1.0]),
            Evaluator::Table(vec![0.0, 1.0]),
        ];
        let lin = LinearAdditive::new(&space, vec![0.6, 0.4], evals.clone(), None).unwrap();
        let capped = LinearAdditive::new(&space, vec![0.6, 0.4], evals, Some(2.0)).unwrap();
        let ob = Obligation {
            issue: 0,
            values: vec![1],
            bound: vec![1],
            expire_after: None,
        };
        let o = Outcome(vec![1, 1]);
        // 0.25 * (0.6 + 0.4) + 0.75 * (0.12 + 0.4)
        let expected = 0.25 * 1.0 + 0.75 * 0.52;
        for u in [
            Utility::LinearAdditive(lin),
            Utility::LinearAdditive(capped),
        ] {
            let t = under_trust(&space, &u, &ob, 0.25);
            assert!((t.utility(&o) - expected).abs() < 1e-12);
            let q = Outcome(vec![0, 1]);
            assert!((t.utility(&q) - u.utility(&q)).abs() < 1e-12);
        }
    }
}
