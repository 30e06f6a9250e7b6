//! TheFawkes's forecast of the opponent's concession (GENIUS `TheFawkes_OM.updateModel` and the
//! classes it uses, `anac2013.TheFawkes.*`): the utilities of the opponent's bids by time
//! index, their discrete wavelet transform (JWave's Daubechies wavelet of 8 coefficients,
//! `JWave_Daubechie`, `JWave_DiscreteWaveletTransform`), a cubic smoothing spline through the
//! transform (SSJ's `SmoothingCubicSpline` after Pollock, "Smoothing with cubic splines", 1993,
//! with `rho = 1e-16`), and the ratios of the spline to the utilities.
//!
//! Every formula is evaluated in the Java's order of operations (the spline's smoothing
//! parameter `mu = 2(1 - rho) / (3 rho)` is about 6.7e15, so the solution cancels large terms
//! and depends on the rounding of each step; doing the same steps gives the same doubles).

use crate::boa::context::Bid;

/// `JWave_Daubechie`'s scaling coefficients (before division by √2).
const SCALES: [f64; 8] = [
    0.32580343,
    1.01094572,
    0.8922014,
    -0.03967503,
    -0.2645071,
    0.0436163,
    0.0465036,
    -0.01498699,
];

/// The Daubechies wavelet's low-pass (`scales`) and high-pass (`coeffs`) filters, as
/// `JWave_Daubechie` builds them: each scale divided by √2, the wavelet coefficients the scales
/// reversed with alternating signs.
fn filters() -> ([f64; 8], [f64; 8]) {
    // JWave's literal 1.4142135623730951 is this double.
    let sqrt2 = std::f64::consts::SQRT_2;
    let mut scales = SCALES;
    for s in &mut scales {
        *s /= sqrt2;
    }
    let mut coeffs = [0.0; 8];
    for (j, c) in coeffs.iter_mut().enumerate() {
        let s = scales[7 - j];
        *c = if j.is_multiple_of(2) { s } else { -s };
    }
    (scales, coeffs)
}

/// One level of the transform (`JWave_Wavelet.forward`): the first half the low-pass
/// (approximation), the second the high-pass (detail) of `x`, indices wrapping around; for an
/// odd length the last slot stays 0, as in JWave.
fn forward_level(x: &[f64], scales: &[f64; 8], coeffs: &[f64; 8]) -> Vec<f64> {
    let n = x.len();
    let h = n >> 1;
    let mut out = vec![0.0; n];
    for i in 0..h {
        for j in 0..8 {
            let k = ((i << 1) + j) % n;
            out[i] += x[k] * scales[j];
            out[i + h] += x[k] * coeffs[j];
        }
    }
    out
}

/// The discrete wavelet transform of `x` (`JWave_DiscreteWaveletTransform.forwardWavelet`): one
/// level on the first `h` entries for `h` = the length, halved while at least 8 (unchanged when
/// shorter than 8).
pub fn daubechies_forward(x: &[f64]) -> Vec<f64> {
    let (scales, coeffs) = filters();
    let mut out = x.to_vec();
    let mut h = x.len();
    while h >= 8 {
        let level = forward_level(&out[..h], &scales, &coeffs);
        out[..h].copy_from_slice(&level);
        h >>= 1;
    }
    out
}

/// A cubic polynomial `c0 + c1 z + c2 z² + c3 z³` (SSJ's `Polynomial`).
#[derive(Debug, Clone, Copy)]
struct Cubic([f64; 4]);

impl Cubic {
    /// Horner's rule from the highest coefficient, as SSJ.
    fn evaluate(&self, z: f64) -> f64 {
        let c = &self.0;
        let mut r = c[3];
        for i in (0..3).rev() {
            r = c[i] + z * r;
        }
        r
    }

    /// The first derivative, as SSJ's `derivative(z, 1)`: `c_i i` by Horner's rule.
    fn derivative(&self, z: f64) -> f64 {
        let c = &self.0;
        let mut r = c[3] * 3.0;
        for i in (1..3).rev() {
            r = c[i] * i as f64 + z * r;
        }
        r
    }
}

/// SSJ's cubic smoothing spline (`SmoothingCubicSpline`, unit weights): one polynomial left of
/// the first point, one per interval, one right of the last point (linear), solved by
/// Pollock's quincunx elimination. `x` need not be sorted (TheFawkes's is not); the search of
/// [`evaluate`](Self::evaluate) is SSJ's, whatever the order.
#[derive(Debug, Clone)]
pub struct SmoothingSpline {
    x: Vec<f64>,
    pieces: Vec<Cubic>,
}

impl SmoothingSpline {
    /// The spline through `(x[i], y[i])` with smoothing parameter `rho` in `(0, 1]` (at least
    /// two points).
    // long: one transcription of SSJ's `resolve`, step by step in its order of operations
    pub fn new(x: &[f64], y: &[f64], rho: f64) -> Self {
        assert!(x.len() == y.len() && x.len() >= 2, "at least two points");
        let len = x.len();
        let (mut h, mut r) = (vec![0.0; len], vec![0.0; len]);
        let (mut u, mut v, mut w) = (vec![0.0; len], vec![0.0; len], vec![0.0; len]);
        let mut q = vec![0.0; len + 1];
        let sigma = vec![1.0; len];
        let mu = if rho <= 0.0 {
            1.0e100
        } else {
            (2.0 * (1.0 - rho)) / (3.0 * rho)
        };
        let n = len - 1;
        h[0] = x[1] - x[0];
        r[0] = 3.0 / h[0];
        for i in 1..n {
            h[i] = x[i + 1] - x[i];
            r[i] = 3.0 / h[i];
            q[i] = (3.0 * (y[i + 1] - y[i]) / h[i]) - (3.0 * (y[i] - y[i - 1]) / h[i - 1]);
        }
        for i in 1..n {
            let a = r[i - 1] + r[i];
            u[i] = (r[i - 1] * r[i - 1] * sigma[i - 1])
                + (a * a * sigma[i])
                + (r[i] * r[i] * sigma[i + 1]);
            u[i] = mu * u[i] + 2.0 * (x[i + 1] - x[i - 1]);
            v[i] =
                (-(r[i - 1] + r[i]) * r[i] * sigma[i]) - (r[i] * (r[i] + r[i + 1]) * sigma[i + 1]);
            v[i] = (mu * v[i]) + h[i];
            w[i] = mu * r[i] * r[i + 1] * sigma[i + 1];
        }
        quincunx(&mut u, &mut v, &mut w, &mut q);

        let mut pieces = Vec::with_capacity(len + 1);
        // Left of the first point.
        let p0 = y[0] - (mu * r[0] * q[1] * sigma[0]);
        let dd = y[1] - (mu * ((-r[0] - r[1]) * q[1] + r[1] * q[2]) * sigma[1]);
        let p1 = (dd - p0) / h[0] - (q[1] * h[0] / 3.0);
        pieces.push(Cubic([p0, p1, 0.0, 0.0]));
        // The first interval.
        let p3 = q[1] / (3.0 * h[0]);
        let p1 = ((dd - p0) / h[0]) - (q[1] * h[0] / 3.0);
        pieces.push(Cubic([p0, p1, 0.0, p3]));
        // The others.
        for j in 1..n {
            let c3 = (q[j + 1] - q[j]) / (3.0 * h[j]);
            let c2 = q[j];
            let c1 = ((q[j] + q[j - 1]) * h[j - 1]) + pieces[j].0[1];
            let c0 = (r[j - 1] * q[j - 1]) + ((-r[j - 1] - r[j]) * q[j]) + (r[j] * q[j + 1]);
            let c0 = y[j] - (mu * c0 * sigma[j]);
            pieces.push(Cubic([c0, c1, c2, c3]));
        }
        // Right of the last point: the last piece's value and slope there.
        let at = x[n] - x[n - 1];
        let last = pieces[n];
        pieces.push(Cubic([last.evaluate(at), last.derivative(at), 0.0, 0.0]));
        SmoothingSpline {
            x: x.to_vec(),
            pieces,
        }
    }

    /// The index of the piece for `z` (SSJ's `getFitPolynomialIndex`, a binary search that
    /// assumes `x` increasing; with TheFawkes's unsorted `x` it answers as SSJ does).
    fn piece(&self, z: f64) -> usize {
        let x = &self.x;
        let mut j = x.len() as isize - 1;
        if z > x[j as usize] {
            return j as usize + 1;
        }
        let (mut tmp, mut i) = (0isize, 0isize);
        while i + 1 != j {
            if z > x[tmp as usize] {
                i = tmp;
            } else {
                j = tmp;
            }
            tmp = i + (j - i) / 2;
            if j == 0 {
                i -= 1;
            }
        }
        (i + 1) as usize
    }

    /// The spline at `z`, as TheFawkes's copy of SSJ evaluates it: clamped to `[0, 1]` (NaN and
    /// negative values give 0, infinite and larger ones 1).
    pub fn evaluate(&self, z: f64) -> f64 {
        let i = self.piece(z);
        let origin = if i == 0 { self.x[0] } else { self.x[i - 1] };
        let v = self.pieces[i].evaluate(z - origin);
        if v.is_nan() || v < 0.0 {
            0.0
        } else if v.is_infinite() || v > 1.0 {
            1.0
        } else {
            v
        }
    }
}

/// Pollock's quincunx elimination of the spline's pentadiagonal system (SSJ's `Quincunx`), in
/// place; `q` receives the solution.
fn quincunx(u: &mut [f64], v: &mut [f64], w: &mut [f64], q: &mut [f64]) {
    let n = u.len();
    u[0] = 0.0;
    v[1] /= u[1];
    w[1] /= u[1];
    for j in 2..n - 1 {
        u[j] = u[j] - (u[j - 2] * w[j - 2] * w[j - 2]) - (u[j - 1] * v[j - 1] * v[j - 1]);
        v[j] = (v[j] - (u[j - 1] * v[j - 1] * w[j - 1])) / u[j];
        w[j] /= u[j];
    }
    q[1] -= v[0] * q[0];
    for j in 2..n - 1 {
        q[j] = q[j] - (v[j - 1] * q[j - 1]) - (w[j - 2] * q[j - 2]);
    }
    for j in 1..n - 1 {
        q[j] /= u[j];
    }
    q[n - 1] = 0.0;
    for j in (1..n.saturating_sub(2)).rev() {
        q[j] = q[j] - (v[j] * q[j + 1]) - (w[j] * q[j + 2]);
    }
}

/// TheFawkes's smoothing parameter.
pub const RHO: f64 = 1e-16;

/// The forecast TheFawkes's model computes after each bid of the opponent (from its second).
#[derive(Debug, Clone)]
pub struct Forecast {
    /// The spline through the transform (`alpha`).
    pub alpha: SmoothingSpline,
    /// The spline over the utilities at each time index (`ratio`).
    pub ratio: Vec<f64>,
}

/// The largest gap between the times of consecutive received bids, at most 0.1 (GENIUS
/// `getMaxOpponentBidTimeDiff`; 0 before two bids).
pub fn max_gap(received: &[Bid]) -> f64 {
    let mut gap: f64 = 0.0;
    for pair in received.windows(2) {
        let d = pair[1].time - pair[0].time;
        if d > gap {
            gap = d;
        }
    }
    gap.min(0.1)
}

/// The forecast from the received bids (at least two), their times mapped to indices
/// `floor(time × factor)`: the utility at each index is that of the earliest bid mapped to it
/// (GENIUS fills a hash map from the newest bid to the oldest), 0 where none is; the spline
/// runs through the transform's points `(i, d_i)` and an extra point `(0, 0)` at the end, as
/// GENIUS's arrays of length `N + 1` leave it.
pub fn forecast(received: &[Bid], factor: f64) -> Forecast {
    let index = |b: &Bid| (b.time * factor).floor() as i64;
    let max = received.iter().map(index).max().unwrap_or(0).max(0) as usize;
    let mut chi = vec![0.0; max + 1];
    for b in received.iter().rev() {
        let i = index(b);
        if i >= 0 {
            chi[i as usize] = b.utility;
        }
    }
    let decomposition = daubechies_forward(&chi);
    let n = decomposition.len();
    let mut x = vec![0.0; n + 1];
    let mut y = vec![0.0; n + 1];
    for i in 0..n {
        x[i] = i as f64;
        y[i] = decomposition[i];
    }
    let alpha = SmoothingSpline::new(&x, &y, RHO);
    let ratio = (0..=max)
        .map(|i| {
            let r = alpha.evaluate(i as f64) / chi[i];
            if r.is_infinite() {
                0.0
            } else if r.is_nan() {
                1.0
            } else {
                r
            }
        })
        .collect();
    Forecast { alpha, ratio }
}

/// The population standard deviation (`Fawkews_Math.getStandardDeviation`: 0 for fewer than
/// two values).
pub fn standard_deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mut mean = 0.0;
    for v in values {
        mean += v;
    }
    mean /= values.len() as f64;
    let mut dev = 0.0;
    for v in values {
        let d = v - mean;
        dev += d * d;
    }
    (dev / values.len() as f64).sqrt()
}

#[cfg(test)]
mod tests;
