//! A party's belief about a counterpart's compliance: a posterior over the counterpart's
//! per-round compliance rate `θ`, on a grid of [`GRID`] points (the midpoints `(k + 0.5) /
//! GRID`), updated exactly by Bayes' rule.
//!
//! **Prior.** A Beta distribution of mean `prior` worth [`PRIOR_STRENGTH`] rounds of perfect
//! observation: density `θ^(s·m - 1) (1 - θ)^(s·(1 - m) - 1)` with `s` the strength and `m`
//! the prior, on the grid, tilted by `exp(λθ)` so that its mean on the grid is exactly `m`.
//!
//! **Update.** Each round the counterpart complied with probability `θ`. The evidence of one
//! round is a list of signals, each a claim with the reliability `a` of its source (the
//! holder's own observation at its accuracy, a third party's report at the reporter's
//! accuracy, the monitor's report at the monitor's accuracy): a source says what happened with
//! probability `a` and the opposite otherwise, independently of the other sources. The
//! likelihood of the round's evidence is `θ · L(comply) + (1 - θ) · L(breach)`, `L(x)` the
//! product over signals of `a` when the claim is `x` and `1 - a` otherwise. Reliabilities are
//! kept within `[1e-6, 1 - 1e-6]`, so two perfect sources that contradict each other leave the
//! belief nearly unchanged instead of dividing by zero.
//!
//! **Belief** is the posterior mean of `θ`: the probability that the counterpart complies next
//! round. With perfect signals it converges to the counterpart's true rate of compliance.

use super::Act;

/// Points of the grid over the compliance rate.
pub const GRID: usize = 100;

/// How many rounds of perfect observation the prior is worth (a modelling choice).
pub const PRIOR_STRENGTH: f64 = 4.0;

/// How close to 0 or 1 a reliability may come in an update (see the module docs).
pub const RELIABILITY_BOUND: f64 = 1e-6;

/// A reliability as the update uses it: kept within `[RELIABILITY_BOUND, 1 - RELIABILITY_BOUND]`.
pub fn clamp_reliability(a: f64) -> f64 {
    a.clamp(RELIABILITY_BOUND, 1.0 - RELIABILITY_BOUND)
}

/// The weight of one round's evidence: `ln L(comply) - ln L(breach)` (see the module docs).
/// An update raises the belief in compliance exactly when it is positive, lowers it when it is
/// negative, and leaves it unchanged at 0; each signal adds `±ln(a / (1 - a))`.
pub fn log_odds(signals: &[Signal]) -> f64 {
    signals
        .iter()
        .map(|s| {
            let a = clamp_reliability(s.reliability);
            let w = (a / (1.0 - a)).ln();
            match s.claim {
                Act::Comply => w,
                Act::Breach => -w,
            }
        })
        .sum()
}

/// The accuracy a single further source needs for its claim to decide a round whose other
/// evidence weighs `odds` ([`log_odds`]) against it: the update then moves the belief the way
/// that source says when its accuracy is above `1 / (1 + exp(-|odds|))` (equal: no move).
pub fn decisive_accuracy(odds: f64) -> f64 {
    1.0 / (1.0 + (-odds.abs()).exp())
}

/// One signal about a round: a claim and the reliability the holder gives its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signal {
    /// What the source says the counterpart did.
    pub claim: Act,
    /// Probability that the source says what happened, in `[0, 1]`.
    pub reliability: f64,
}

/// A posterior over a counterpart's compliance rate (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Belief {
    weights: Vec<f64>,
}

fn theta(k: usize) -> f64 {
    (k as f64 + 0.5) / GRID as f64
}

impl Belief {
    /// The prior of mean `prior` (in `(0, 1)`; clamped into it).
    pub fn new(prior: f64) -> Self {
        let m = prior.clamp(1e-6, 1.0 - 1e-6);
        let (a, b) = (PRIOR_STRENGTH * m - 1.0, PRIOR_STRENGTH * (1.0 - m) - 1.0);
        let log: Vec<f64> = (0..GRID)
            .map(|k| a * theta(k).ln() + b * (1.0 - theta(k)).ln())
            .collect();
        // On the grid, a Beta density steep at an end has a slightly different mean: tilt it
        // by `exp(λθ)`, `λ` found by bisection, so that its mean is exactly `m`.
        let tilted = |lambda: f64| {
            let top = (0..GRID)
                .map(|k| log[k] + lambda * theta(k))
                .fold(f64::NEG_INFINITY, f64::max);
            let mut belief = Belief {
                weights: (0..GRID)
                    .map(|k| (log[k] + lambda * theta(k) - top).exp())
                    .collect(),
            };
            belief.normalise();
            belief
        };
        let (mut lo, mut hi) = (-200.0, 200.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if tilted(mid).mean() < m {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        tilted(0.5 * (lo + hi))
    }

    fn normalise(&mut self) {
        let total: f64 = self.weights.iter().sum();
        if total > 0.0 && total.is_finite() {
            self.weights.iter_mut().for_each(|w| *w /= total);
        }
    }

    /// The probability that the counterpart complies next round (the posterior mean).
    pub fn mean(&self) -> f64 {
        (0..GRID).map(|k| theta(k) * self.weights[k]).sum()
    }

    /// Updates on the evidence of one round (nothing happens without signals).
    pub fn update(&mut self, signals: &[Signal]) {
        if signals.is_empty() {
            return;
        }
        let (mut comply, mut breach) = (1.0_f64, 1.0_f64);
        for s in signals {
            let a = clamp_reliability(s.reliability);
            let (c, b) = match s.claim {
                Act::Comply => (a, 1.0 - a),
                Act::Breach => (1.0 - a, a),
            };
            comply *= c;
            breach *= b;
        }
        // Rescale so that long lists of signals do not underflow.
        let top = comply.max(breach);
        if top <= 0.0 || !top.is_finite() {
            return;
        }
        let (comply, breach) = (comply / top, breach / top);
        for (k, w) in self.weights.iter_mut().enumerate() {
            *w *= theta(k) * comply + (1.0 - theta(k)) * breach;
        }
        self.normalise();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_has_its_mean() {
        for m in [0.1, 0.5, 0.8] {
            assert!((Belief::new(m).mean() - m).abs() < 1e-9, "{m}");
        }
    }

    #[test]
    fn perfect_signals_converge_to_the_rate() {
        let mut b = Belief::new(0.5);
        for k in 0..400 {
            let claim = if k % 4 == 0 { Act::Breach } else { Act::Comply };
            b.update(&[Signal {
                claim,
                reliability: 1.0,
            }]);
        }
        assert!((b.mean() - 0.75).abs() < 0.03, "{}", b.mean());
    }

    #[test]
    fn the_decisive_accuracy_decides_the_direction_of_the_update() {
        // One accusation at 0.8 and a denial by a weaker third party at 0.6: a monitor that
        // contradicts the accusation moves the belief up only above the decisive accuracy.
        let claims = [
            Signal {
                claim: Act::Breach,
                reliability: 0.8,
            },
            Signal {
                claim: Act::Comply,
                reliability: 0.6,
            },
        ];
        let need = decisive_accuracy(log_odds(&claims));
        for (m, rises) in [(need + 1e-3, true), (need - 1e-3, false)] {
            let mut b = Belief::new(0.5);
            let mut all = claims.to_vec();
            all.push(Signal {
                claim: Act::Comply,
                reliability: m,
            });
            b.update(&all);
            assert_eq!(b.mean() > 0.5, rises, "monitor {m}, need {need}");
        }
    }

    #[test]
    fn an_uninformative_source_changes_nothing() {
        let mut b = Belief::new(0.7);
        let before = b.mean();
        b.update(&[Signal {
            claim: Act::Breach,
            reliability: 0.5,
        }]);
        assert!((b.mean() - before).abs() < 1e-12);
    }
}
