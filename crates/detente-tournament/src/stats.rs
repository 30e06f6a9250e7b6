//! Small statistics toolkit: running mean and variance (Welford), Student's t distribution,
//! confidence intervals and Welch's t-test. Everything folds incrementally, so memory does not
//! grow with the number of negotiations.

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

    /// The mean, `None` without observations.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// The 95% confidence interval of the mean from Student's t distribution with `n - 1`
    /// degrees of freedom: `mean ± t(0.975, n-1) · s / √n`. `None` with fewer than two
    /// observations.
    pub fn ci95(&self) -> Option<[f64; 2]> {
        let v = self.variance()?;
        let half = t_quantile(0.975, (self.n - 1) as f64) * (v / self.n as f64).sqrt();
        Some([self.mean - half, self.mean + half])
    }
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
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(1.0 - x, b, a);
    }
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..10_000 {
        let m = f64::from(m);
        // Even step.
        let num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + num * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + num / c;
        if c.abs() < TINY {
            c = TINY;
        }
        f *= d * c;
        // Odd step.
        let num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + num * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + num / c;
        if c.abs() < TINY {
            c = TINY;
        }
        let delta = d * c;
        f *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    ln_front.exp() * f / a
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

/// The `p`-quantile (`0.5 <= p < 1`) of Student's t distribution, by bisection on the CDF.
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
        for (df, t) in [(5.0, 2.571), (10.0, 2.228), (30.0, 2.042), (100.0, 1.984)] {
            assert!((t_quantile(0.975, df) - t).abs() < 5e-4, "df {df}");
        }
        assert!(close(t_quantile(0.975, 1e9), Z_975, 1e-6));
    }

    #[test]
    fn running_matches_two_pass() {
        let xs = [0.2, 0.4, 0.9, 0.35, 0.35, 1.0];
        let mut r = Running::default();
        xs.iter().for_each(|&x| r.push(x));
        let mean = xs.iter().sum::<f64>() / 6.0;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 5.0;
        assert!(close(r.mean, mean, 1e-15));
        assert!(close(r.variance().unwrap(), var, 1e-14));
        let [lo, hi] = r.ci95().unwrap();
        let half = 2.570_581_835_636_314 * (var / 6.0).sqrt();
        assert!(close(lo, mean - half, 1e-9) && close(hi, mean + half, 1e-9));
        assert_eq!(Running::default().ci95(), None);
    }

    #[test]
    fn welch_by_hand() {
        // a = [1, 2, 3, 4]: mean 2.5, var 5/3; b = [2, 4, 6, 8]: mean 5, var 20/3.
        // se^2 = 5/12 + 20/12 = 25/12; t = -2.5 / sqrt(25/12) = -sqrt(3) ;
        // df = (25/12)^2 / ((5/12)^2/3 + (20/12)^2/3) = 625 / (25/3 + 400/3) = 75/17.
        let mut a = Running::default();
        let mut b = Running::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            a.push(x);
            b.push(2.0 * x);
        }
        let w = welch(&a, &b).unwrap();
        assert!(close(w.t.unwrap(), -(3f64.sqrt()), 1e-12));
        assert!(close(w.df.unwrap(), 75.0 / 17.0, 1e-12));
        assert!(close(w.p, t_two_sided_p(3f64.sqrt(), 75.0 / 17.0), 1e-15));
        assert!(w.p > 0.1 && w.p < 0.2, "{}", w.p);
        let mut c = Running::default();
        c.push(1.0);
        c.push(1.0);
        let mut d = Running::default();
        d.push(2.0);
        d.push(2.0);
        assert_eq!(welch(&c, &d).unwrap().p, 0.0);
        assert_eq!(welch(&c, &c).unwrap().p, 1.0);
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
        assert_eq!(wilson95(0, 0), None);
        assert_eq!(wilson95(0, 5).unwrap()[0], 0.0);
    }
}
