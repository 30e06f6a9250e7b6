//! Fitting the time-dependent tactic `u(t) = Pmax - (Pmax - Pmin) * t^(1/e)` to a party's
//! offers: the concession exponent `e`, its 95% profile-likelihood interval, and the fit's
//! quality.
//!
//! The model predicts what a time-based negotiator with exponent `e` would offer at time `t`:
//! the lowest utility level of the party's outcome space at or above the target
//! ([`TimeBased::target_between`]), exactly as [`detente_negotiators::TimeBased`] chooses. The
//! sum of squared errors `SSE(e)` between predicted and offered own utilities is evaluated on a
//! grid of `ln e` (step [`GRID_STEP`] from `ln` [`E_MIN`] to `ln` [`E_MAX`]). The estimate is
//! the middle (in `ln e`) of the range of grid points that reach the smallest SSE; the 95% interval is
//! every grid point with `SSE(e) - SSE_min <= 3.84 * s^2` (the profile likelihood-ratio test of
//! a normal error model, chi-square with one degree of freedom), with
//! `s^2 = max(SSE_min / (n - 1), (0.002 * (Pmax - Pmin))^2)`: the floor keeps the interval
//! meaningful when the offers fit exactly. The interval is widened by one grid step on each
//! side, for the resolution of the grid.

use detente_negotiators::TimeBased;

/// Smallest exponent on the grid: below it a tactic is a hardliner for all practical purposes.
pub const E_MIN: f64 = 0.005;
/// Largest exponent on the grid.
pub const E_MAX: f64 = 200.0;
/// Step of the grid in `ln e`.
pub const GRID_STEP: f64 = 0.005;

/// A fitted time-dependent tactic.
#[derive(Debug, Clone, PartialEq)]
pub struct TacticFit {
    /// Estimated concession exponent, in `[E_MIN, E_MAX]`.
    pub e: f64,
    /// 95% interval of `e`: `[lower, upper]`.
    pub ci: [f64; 2],
    /// The interval reaches the bottom of the grid: any smaller `e` fits as well (the offers
    /// cannot tell a slower concession apart).
    pub lower_open: bool,
    /// The interval reaches the top of the grid.
    pub upper_open: bool,
    /// Coefficient of determination `1 - SSE/SST` of the own utilities; `None` when every
    /// offer had the same own utility.
    pub r2: Option<f64>,
    /// Root mean squared error of the own utilities.
    pub rmse: f64,
    /// Number of offers fitted (at least three).
    pub n: usize,
    /// `Pmin` used: `max(reservation, worst utility)`.
    pub pmin: f64,
    /// `Pmax` used: the best utility.
    pub pmax: f64,
}

impl TacticFit {
    /// The own utility the fitted tactic targets at time `t` (before rounding to a level).
    pub fn target(&self, t: f64) -> f64 {
        TimeBased::target_between(self.e, t, self.pmin, self.pmax)
    }
}

/// The utility a time-based negotiator offers for `target`: the lowest level at or above it
/// (the best when none reaches it). `levels` is sorted from best to worst.
pub fn level_at_least(levels: &[f64], target: f64) -> f64 {
    levels[levels.partition_point(|&u| u >= target).saturating_sub(1)]
}

fn grid() -> impl Iterator<Item = f64> {
    let lo = E_MIN.ln();
    let steps = ((E_MAX.ln() - lo) / GRID_STEP).round() as usize;
    (0..=steps).map(move |k| (lo + k as f64 * GRID_STEP).exp())
}

/// Fits the tactic to `(time, own utility)` points, with `levels` the party's utilities of
/// every outcome sorted from best to worst (its table's `sorted`), or `None` to compare with
/// the continuous target instead. `None` with fewer than three points.
pub fn fit_tactic(
    points: &[(f64, f64)],
    pmin: f64,
    pmax: f64,
    levels: Option<&[f64]>,
) -> Option<TacticFit> {
    let bounds = vec![InForce { pmin, pmax, levels }; points.len()];
    fit_tactic_in_force(points, &bounds)
}

/// What a time-based negotiator concedes between when it makes one offer: its best utility,
/// its reservation level and its utility levels (best first; `None`: the continuous target),
/// as the setting stood then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InForce<'a> {
    /// `Pmin`: `max(reservation in force, worst utility)`.
    pub pmin: f64,
    /// `Pmax`: the best utility in force.
    pub pmax: f64,
    /// The utility levels in force, best first.
    pub levels: Option<&'a [f64]>,
}

/// Fits the tactic to `(time, own utility)` points, each offer predicted within the bounds
/// in force when it was made (`bounds[k]` for `points[k]`): a time-based negotiator concedes
/// from its best utility to its reservation level as they stand, so that when events, partial
/// agreements or beliefs move them, the same exponent predicts a moving target. The fit
/// reports the last offer's bounds. `None` with fewer than three points.
///
/// # Panics
/// When `bounds` and `points` differ in length.
pub fn fit_tactic_in_force(points: &[(f64, f64)], bounds: &[InForce<'_>]) -> Option<TacticFit> {
    assert_eq!(points.len(), bounds.len(), "one bound per point");
    let n = points.len();
    if n < 3 {
        return None;
    }
    let InForce { pmin, pmax, .. } = bounds[n - 1];
    let predict = |e: f64, k: usize| {
        let b = &bounds[k];
        let target = TimeBased::target_between(e, points[k].0, b.pmin, b.pmax);
        match b.levels {
            Some(l) if !l.is_empty() => level_at_least(l, target),
            _ => target,
        }
    };
    let es: Vec<f64> = grid().collect();
    let sse: Vec<f64> = es
        .iter()
        .map(|&e| {
            points
                .iter()
                .enumerate()
                .map(|(k, &(_, u))| {
                    let d = u - predict(e, k);
                    d * d
                })
                .sum()
        })
        .collect();
    let best = sse.iter().copied().fold(f64::INFINITY, f64::min);
    // Grid points within rounding of the minimum.
    let tie = best + 1e-12 * (1.0 + best);
    let argmin: Vec<usize> = (0..es.len()).filter(|&k| sse[k] <= tie).collect();
    let e = ((es[argmin[0]].ln() + es[argmin[argmin.len() - 1]].ln()) / 2.0).exp();
    let floor = 0.002 * (pmax - pmin).abs().max(1e-9);
    let s2 = (best / (n - 1) as f64).max(floor * floor);
    let inside: Vec<usize> = (0..es.len())
        .filter(|&k| sse[k] - best <= 3.841_458_820_694_124 * s2)
        .collect();
    // One grid step more on each side: the true exponent may lie between grid points.
    let (lo, hi) = (
        inside[0].saturating_sub(1),
        (inside[inside.len() - 1] + 1).min(es.len() - 1),
    );
    let mean_u = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sst: f64 = points.iter().map(|p| (p.1 - mean_u).powi(2)).sum();
    Some(TacticFit {
        e,
        ci: [es[lo], es[hi]],
        lower_open: lo == 0,
        upper_open: hi == es.len() - 1,
        r2: (sst > 1e-12).then(|| 1.0 - best / sst),
        rmse: (best / n as f64).sqrt(),
        n,
        pmin,
        pmax,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn curve(e: f64, n: usize, pmin: f64, pmax: f64) -> Vec<(f64, f64)> {
        (0..n)
            .map(|k| {
                let t = k as f64 / n as f64;
                (t, TimeBased::target_between(e, t, pmin, pmax))
            })
            .collect()
    }

    #[test]
    fn exact_curves_are_recovered() {
        for e in [0.1, 0.2, 0.5, 1.0, 2.0, 5.0] {
            let f = fit_tactic(&curve(e, 40, 0.3, 1.0), 0.3, 1.0, None).unwrap();
            assert!((f.e.ln() - e.ln()).abs() < 0.01, "e={e}: {f:?}");
            assert!(f.ci[0] <= e && e <= f.ci[1], "e={e}: {f:?}");
            assert!(f.rmse < 1e-3 && f.r2.unwrap() > 0.999, "{f:?}");
        }
    }

    #[test]
    fn moving_bounds_are_followed() {
        // The reservation level jumps from 0.3 to 0.6 halfway (a settlement's worth added to
        // the fallback): the offers follow the new bounds.
        let e = 0.5;
        let bound = |t: f64| InForce {
            pmin: if t < 0.5 { 0.3 } else { 0.6 },
            pmax: 1.0,
            levels: None,
        };
        let (points, bounds): (Vec<(f64, f64)>, Vec<InForce<'_>>) = (0..40)
            .map(|k| {
                let t = k as f64 / 40.0;
                let b = bound(t);
                ((t, TimeBased::target_between(e, t, b.pmin, b.pmax)), b)
            })
            .unzip();
        let f = fit_tactic_in_force(&points, &bounds).unwrap();
        assert!((f.e.ln() - e.ln()).abs() < 0.01, "{f:?}");
        assert!(f.ci[0] <= e && e <= f.ci[1], "{f:?}");
        assert_eq!((f.pmin, f.pmax), (0.6, 1.0), "the last offer's bounds");
        // Read against the bounds at the end alone, the same offers miss the exponent.
        let fixed = fit_tactic(&points, 0.6, 1.0, None).unwrap();
        assert!(!(fixed.ci[0] <= e && e <= fixed.ci[1]), "{fixed:?}");
    }

    #[test]
    fn flat_offers_leave_the_interval_open_below() {
        let pts: Vec<(f64, f64)> = (0..10).map(|k| (k as f64 / 20.0, 1.0)).collect();
        let f = fit_tactic(&pts, 0.2, 1.0, None).unwrap();
        assert!(f.lower_open && f.r2.is_none(), "{f:?}");
        assert!(f.ci[1] < 0.5, "{f:?}");
        assert!(fit_tactic(&pts[..2], 0.2, 1.0, None).is_none());
    }

    #[test]
    fn levels_round_up() {
        let levels = [1.0, 0.75, 0.5, 0.25];
        assert_eq!(level_at_least(&levels, 0.6), 0.75);
        assert_eq!(level_at_least(&levels, 0.75), 0.75);
        assert_eq!(level_at_least(&levels, 2.0), 1.0);
        assert_eq!(level_at_least(&levels, 0.0), 0.25);
    }

    proptest! {
        /// Noise-free offers of any exponent are fitted within a small error in ln e, and the
        /// true exponent lies in the interval.
        #[test]
        fn any_exponent(le in (0.05f64).ln()..(20.0f64).ln(), pmin in 0.0f64..0.6) {
            let e = le.exp();
            let f = fit_tactic(&curve(e, 30, pmin, 1.0), pmin, 1.0, None).unwrap();
            prop_assert!((f.e.ln() - le).abs() < 0.05, "e={} fit {:?}", e, f);
            prop_assert!(f.ci[0] <= e * 1.0001 && e <= f.ci[1] * 1.0001);
        }
    }
}
