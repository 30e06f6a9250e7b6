//! Small statistics used by the inspection and the sweeps: summaries, quantiles, the Pearson
//! correlation, Student's t quantile and the Wilson score interval.

/// Mean, 10th, 50th and 90th percentiles of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Arithmetic mean.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Summary {
    /// Summarises a non-empty sample; `None` when it is empty.
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Summary {
            mean: mean(values),
            p10: quantile(&sorted, 0.1),
            p50: quantile(&sorted, 0.5),
            p90: quantile(&sorted, 0.9),
        })
    }
}

/// Arithmetic mean (NaN for an empty slice).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample variance (with `n - 1`); `None` for fewer than two values.
pub fn variance(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = mean(values);
    Some(values.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (values.len() - 1) as f64)
}

/// The `q` quantile of a sorted, non-empty sample, by linear interpolation between order
/// statistics (type 7, as R and numpy by default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
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

/// The 95% Wilson score interval of a proportion `k / n`; `None` when `n = 0`.
pub fn wilson95(k: usize, n: usize) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = k as f64 / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// The 97.5% quantile of Student's t distribution with `df` degrees of freedom (the factor of
/// a two-sided 95% interval): exact table values up to 30, then the Cornish-Fisher expansion
/// (error below 1e-4).
pub fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::NAN;
    }
    if df <= 30 {
        return TABLE[df - 1];
    }
    let z = 1.959_963_984_540_054_f64;
    let v = df as f64;
    let g1 = (z.powi(3) + z) / 4.0;
    let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
    let g3 = (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / 384.0;
    z + g1 / v + g2 / (v * v) + g3 / (v * v * v)
}

/// The 95% t interval of a mean; `None` for fewer than two values.
pub fn mean_ci95(values: &[f64]) -> Option<[f64; 2]> {
    let var = variance(values)?;
    let m = mean(values);
    let half = t975(values.len() - 1) * (var / values.len() as f64).sqrt();
    Some([m - half, m + half])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert!((quantile(&[0.0, 10.0], 0.1) - 1.0).abs() < 1e-12);
        let w = wilson95(5, 10).unwrap();
        // Wilson interval for 5/10: (0.2366, 0.7634).
        assert!(
            (w[0] - 0.2366).abs() < 1e-4 && (w[1] - 0.7634).abs() < 1e-4,
            "{w:?}"
        );
        assert_eq!(wilson95(0, 0), None);
        assert_eq!(wilson95(0, 4).unwrap()[0], 0.0);
        // t quantiles: the expansion continues the table smoothly (t(40) = 2.021, t(120) = 1.980).
        assert!((t975(40) - 2.021).abs() < 1e-3);
        assert!((t975(120) - 1.980).abs() < 1e-3);
        let ci = mean_ci95(&[1.0, 2.0, 3.0]).unwrap();
        assert!((ci[0] - (2.0 - 4.303 / 3f64.sqrt())).abs() < 1e-12);
        assert_eq!(
            pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.5]).map(|r| r > 0.99),
            Some(true)
        );
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[2.0, 4.0, 6.0]), None);
    }
}
