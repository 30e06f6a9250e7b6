//! The statistics of tournaments and sweeps, in one place so that the same numbers give the
//! same intervals wherever they are summarised.
//!
//! - Streams: [`Running`] folds observations one at a time (Welford's mean and variance), so
//!   memory does not grow with their number; [`Running::ci95`] is the Student-t interval of
//!   the mean and [`welch`] compares two streams.
//! - Samples held in memory: [`mean`], [`variance`], [`quantile`], [`pearson`],
//!   [`SampleSummary`], and [`mean_ci95`] (which folds the sample into a [`Running`], so a
//!   sweep and a tournament give bit-identical intervals for the same observations).
//! - Proportions: [`wilson95`], the Wilson score interval.
//! - Student's t distribution: [`t_cdf`], [`t_two_sided_p`] and [`t_quantile`], computed from
//!   the regularised incomplete beta function (no tables), for any real degrees of freedom.

/// Running count, mean and sum of squared deviations (Welford's algorithm).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Running {
    /// Number of observations.
    pub n: u64,
    /// Their mean (0 when there are none).
    pub mean: f64,
    m2: f64,
}

impl Running {
    /// Folds a sample, in order.
    pub fn of(values: &[f64]) -> Running {
        let mut r = Running::default();
        values.iter().for_each(|&x| r.push(x));
        r
    }

    /// Adds one observation.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The sample variance (divisor `n - 1`); `None` with fewer than two observations.
    pub fn variance(&self) -> Option<f64> {
        (self.n >= 2).then(|| self.m2.max(0.0) / (self.n - 1) as f64)
    }

    /// Whether there are at least two observations and all of them are the same value
    /// (Welford's sum of squared deviations stays exactly 0 then).
    pub fn all_identical(&self) -> bool {
        self.n >= 2 && self.m2 == 0.0
    }

    /// The mean, `None` without observations.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// The 95% confidence interval of the mean from Student's t distribution with `n - 1`
    /// degrees of freedom: `mean ± t(0.975, n-1) · s / √n`. `None` with fewer than two
    /// observations, and `None` when every observation is the same: identical values (the
    /// runs of deterministic negotiators repeated) are copies of one draw, not independent
    /// samples, and a zero-width interval would claim a certainty they do not give.
    pub fn ci95(&self) -> Option<[f64; 2]> {
        if self.all_identical() {
            return None;
        }
        let v = self.variance()?;
        let half = t_quantile(0.975, (self.n - 1) as f64) * (v / self.n as f64).sqrt();
        Some([self.mean - half, self.mean + half])
    }
}

/// Arithmetic mean (NaN for an empty slice).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample variance (divisor `n - 1`, two passes over the sample); `None` for fewer than two
/// values.
pub fn variance(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = mean(values);
    Some(values.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (values.len() - 1) as f64)
}

/// The 95% Student-t interval of the mean of a sample; `None` for fewer than two values. The
/// same as folding the sample into a [`Running`] and asking for [`Running::ci95`].
pub fn mean_ci95(values: &[f64]) -> Option<[f64; 2]> {
    Running::of(values).ci95()
}

/// The `q` quantile of a sorted, non-empty sample, by linear interpolation between order
/// statistics (type 7, as R and numpy by default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Mean, 10th, 50th and 90th percentiles of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleSummary {
    /// Arithmetic mean.
    pub mean: f64,
    /// 10th percentile (by [`quantile`], as the other two).
    pub p10: f64,
    /// Median (50th percentile).
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl SampleSummary {
    /// Summarises a sample; `None` when it is empty.
    pub fn of(values: &[f64]) -> Option<SampleSummary> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(SampleSummary {
            mean: mean(values),
            p10: quantile(&sorted, 0.1),
            p50: quantile(&sorted, 0.5),
            p90: quantile(&sorted, 0.9),
        })
    }
}

/// Pearson correlation of paired samples; `None` with fewer than three pairs or when either
/// sample is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 1e-24 || syy <= 1e-24 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Holm's step-down adjustment of `p` (p-values of several tests made together): the
/// adjusted value of the `k`-th smallest (from 0) of `m` is the running maximum of
/// `min(1, (m - k) · p_(k))`, so that rejecting where the adjusted value is below `alpha`
/// keeps the family-wise error rate at `alpha`. Returned in the order given.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![0.0; m];
    let mut running = 0.0f64;
    for (k, &i) in order.iter().enumerate() {
        running = running.max(((m - k) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// The 97.5% quantile of the standard normal distribution.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// The Wilson score 95% interval of a proportion of `k` successes in `n` trials; `None` when
/// `n` is 0.
pub fn wilson95(k: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (n, p, z) = (n as f64, k as f64 / n as f64, Z_975);
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// `ln Γ(x)` for `x > 0` (Lanczos approximation, g = 7, nine coefficients; relative error
/// below 1e-13 in the range used here).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection formula.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised incomplete beta function `I_x(a, b)`, by its continued fraction (modified
/// Lentz), using the symmetry `I_x(a,b) = 1 - I_{1-x}(b,a)` where that converges faster.
pub fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(1.0 - x, b, a);
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    ln_front.exp() * beta_continued_fraction(x, a, b) / a
}

/// The continued fraction of `I_x(a, b)` (Numerical Recipes' `betacf`), by the modified Lentz
/// method; converges quickly for `x < (a + 1) / (a + b + 2)`.
fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    // One Lentz step with numerator `num`; returns the factor it multiplies the fraction by.
    let step = |num: f64, c: &mut f64, d: &mut f64| {
        *d = 1.0 + num * *d;
        *d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / *d };
        *c = 1.0 + num / *c;
        if c.abs() < TINY {
            *c = TINY;
        }
        *d * *c
    };
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..10_000 {
        let m = f64::from(m);
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        f *= step(even, &mut c, &mut d);
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        let delta = step(odd, &mut c, &mut d);
        f *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    f
}

/// Two-sided tail probability `P(|T| >= |t|)` of Student's t distribution with `df` degrees
/// of freedom (any positive real `df`).
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    incomplete_beta(df / (df + t * t), df / 2.0, 0.5)
}

/// Cumulative distribution function of Student's t distribution.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = t_two_sided_p(t, df) / 2.0;
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The `p`-quantile (`0.5 <= p < 1`) of Student's t distribution with `df` degrees of
/// freedom, by bisection on [`t_cdf`] down to adjacent floating-point numbers.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    assert!((0.5..1.0).contains(&p), "t_quantile needs 0.5 <= p < 1");
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while t_cdf(hi, df) < p {
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid == lo || mid == hi {
            break;
        }
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The result of Welch's unequal-variances t-test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// Difference of means, first minus second.
    pub difference: f64,
    /// The t statistic (`None` when both samples have zero variance).
    pub t: Option<f64>,
    /// Welch-Satterthwaite degrees of freedom (`None` likewise).
    pub df: Option<f64>,
    /// Two-sided p-value. With zero variance on both sides it is 1 for equal means, 0 for
    /// different ones.
    pub p: f64,
}

/// Welch's t-test of equal means from two running summaries; `None` unless both have at
/// least two observations.
pub fn welch(a: &Running, b: &Running) -> Option<Welch> {
    // Identical repeats carry no spread: no test can be made from them.
    if a.all_identical() || b.all_identical() {
        return None;
    }
    let (va, vb) = (a.variance()?, b.variance()?);
    let (sa, sb) = (va / a.n as f64, vb / b.n as f64);
    let difference = a.mean - b.mean;
    let se2 = sa + sb;
    if se2 <= 0.0 {
        return Some(Welch {
            difference,
            t: None,
            df: None,
            p: if difference == 0.0 { 1.0 } else { 0.0 },
        });
    }
    let t = difference / se2.sqrt();
    let df = se2 * se2 / (sa * sa / (a.n - 1) as f64 + sb * sb / (b.n - 1) as f64);
    Some(Welch {
        difference,
        t: Some(t),
        df: Some(df),
        p: t_two_sided_p(t, df),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_by_hand() {
        // m = 3, sorted 0.01, 0.03, 0.04: 3 * 0.01 = 0.03; 2 * 0.03 = 0.06; 1 * 0.04 = 0.04,
        // raised to the running maximum 0.06.
        let a = holm(&[0.04, 0.01, 0.03]);
        assert!(
            close(a[1], 0.03, 1e-15) && close(a[2], 0.06, 1e-15) && close(a[0], 0.06, 1e-15),
            "{a:?}"
        );
        assert_eq!(holm(&[0.6, 0.7]), vec![1.0, 1.0]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn identical_samples_get_no_interval_and_no_test() {
        let copies = Running::of(&[0.63; 20]);
        assert!(copies.all_identical());
        assert_eq!(copies.ci95(), None);
        assert_eq!(mean_ci95(&[0.63; 20]), None);
        assert_eq!(copies.mean(), Some(0.63));
        let varied = Running::of(&[0.6, 0.7, 0.65]);
        assert!(!varied.all_identical());
        assert!(varied.ci95().is_some());
        assert!(welch(&copies, &varied).is_none());
        assert!(welch(&varied, &Running::of(&[0.5, 0.55, 0.52])).is_some());
        // One observation is not "identical copies": it just has no interval.
        assert!(!Running::of(&[0.5]).all_identical());
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn t_cdf_matches_closed_forms() {
        // df = 1 is the Cauchy distribution, df = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
        for t in [-30.0, -3.0, -1.0, -0.2, 0.0, 0.5, 1.0, 2.5, 10.0, 100.0] {
            let cauchy = 0.5 + f64::atan(t) / std::f64::consts::PI;
            assert!(close(t_cdf(t, 1.0), cauchy, 1e-12), "df 1, t {t}");
            let two = 0.5 + t / (2.0 * (2.0 + t * t).sqrt());
            assert!(close(t_cdf(t, 2.0), two, 1e-12), "df 2, t {t}");
        }
        // Large df approaches the normal: Phi(1.96) = 0.9750021048517795.
        assert!(close(t_cdf(1.96, 1e7), 0.975_002_104_851_779_5, 1e-7));
    }

    #[test]
    fn t_quantiles_match_tables() {
        // t(0.975, 1) = tan(0.475 pi); t(0.975, 2) = 4.302652729749464 (closed form:
        // sqrt(2) * q / sqrt(1 - q^2) with q = 2 * 0.975 - 1).
        let q = 0.95f64;
        assert!(close(
            t_quantile(0.975, 1.0),
            (0.475 * std::f64::consts::PI).tan(),
            1e-10
        ));
        assert!(close(
            t_quantile(0.975, 2.0),
            2f64.sqrt() * q / (1.0 - q * q).sqrt(),
            1e-10
        ));
        // Printed tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to their 3 decimals.
        for (df, t) in [
            (5.0, 2.571),
            (10.0, 2.228),
            (30.0, 2.042),
            (40.0, 2.021),
            (100.0, 1.984),
            (120.0, 1.980),
        ] {
            assert!((t_quantile(0.975, df) - t).abs() < 5e-4, "df {df}");
        }
        assert!(close(t_quantile(0.975, 1e9), Z_975, 1e-6));
    }

    #[test]
    fn running_matches_two_pass() {
        let xs = [0.2, 0.4, 0.9, 0.35, 0.35, 1.0];
        let r = Running::of(&xs);
        let mean = xs.iter().sum::<f64>() / 6.0;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 5.0;
        assert!(close(r.mean, mean, 1e-15));
        assert!(close(r.variance().unwrap(), var, 1e-14));
        assert!(close(variance(&xs).unwrap(), var, 1e-15));
        let [lo, hi] = r.ci95().unwrap();
        let half = 2.570_581_835_636_314 * (var / 6.0).sqrt();
        assert!(close(lo, mean - half, 1e-9) && close(hi, mean + half, 1e-9));
        assert_eq!(Running::default().ci95(), None);
        assert_eq!(mean_ci95(&xs), r.ci95());
    }

    #[test]
    fn mean_interval_of_a_small_sample() {
        // [1, 2, 3]: mean 2, s = 1, t(0.975, 2) = 4.302652729749464 (closed form above).
        let ci = mean_ci95(&[1.0, 2.0, 3.0]).unwrap();
        let half = 4.302_652_729_749_464 / 3f64.sqrt();
        assert!((ci[0] - (2.0 - half)).abs() < 1e-12, "{ci:?}");
        assert!((ci[1] - (2.0 + half)).abs() < 1e-12, "{ci:?}");
        assert_eq!(mean_ci95(&[1.0]), None);
    }

    #[test]
    fn welch_by_hand() {
        // a = [1, 2, 3, 4]: mean 2.5, var 5/3; b = [2, 4, 6, 8]: mean 5, var 20/3.
        // se^2 = 5/12 + 20/12 = 25/12; t = -2.5 / sqrt(25/12) = -sqrt(3) ;
        // df = (25/12)^2 / ((5/12)^2/3 + (20/12)^2/3) = 625 / (25/3 + 400/3) = 75/17.
        let a = Running::of(&[1.0, 2.0, 3.0, 4.0]);
        let b = Running::of(&[2.0, 4.0, 6.0, 8.0]);
        let w = welch(&a, &b).unwrap();
        assert!(close(w.t.unwrap(), -(3f64.sqrt()), 1e-12));
        assert!(close(w.df.unwrap(), 75.0 / 17.0, 1e-12));
        assert!(close(w.p, t_two_sided_p(3f64.sqrt(), 75.0 / 17.0), 1e-15));
        assert!(w.p > 0.1 && w.p < 0.2, "{}", w.p);
        // Repeated copies are not samples: no test (it used to claim p = 0 here).
        let c = Running::of(&[1.0, 1.0]);
        let d = Running::of(&[2.0, 2.0]);
        assert!(welch(&c, &d).is_none());
        assert!(welch(&c, &c).is_none());
    }

    #[test]
    fn wilson_by_hand() {
        // 8 of 10: centre (0.8 + z^2/20) / (1 + z^2/10).
        let z2 = Z_975 * Z_975;
        let denom = 1.0 + z2 / 10.0;
        let centre = (0.8 + z2 / 20.0) / denom;
        let half = Z_975 * (0.016 + z2 / 400.0).sqrt() / denom;
        let [lo, hi] = wilson95(8, 10).unwrap();
        assert!(close(lo, centre - half, 1e-14) && close(hi, centre + half, 1e-14));
        // Wilson interval for 5/10: (0.2366, 0.7634).
        let w = wilson95(5, 10).unwrap();
        assert!(
            (w[0] - 0.2366).abs() < 1e-4 && (w[1] - 0.7634).abs() < 1e-4,
            "{w:?}"
        );
        assert_eq!(wilson95(0, 0), None);
        assert_eq!(wilson95(0, 5).unwrap()[0], 0.0);
        assert_eq!(wilson95(0, 4).unwrap()[0], 0.0);
    }

    #[test]
    fn sample_statistics() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert!((quantile(&[0.0, 10.0], 0.1) - 1.0).abs() < 1e-12);
        let s = SampleSummary::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.mean, s.p50), (2.5, 2.5));
        assert!((s.p10 - 1.3).abs() < 1e-12 && (s.p90 - 3.7).abs() < 1e-12);
        assert_eq!(SampleSummary::of(&[]), None);
        assert_eq!(
            pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.5]).map(|r| r > 0.99),
            Some(true)
        );
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[2.0, 4.0, 6.0]), None);
    }
}
