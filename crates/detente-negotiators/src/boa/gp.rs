//! Gaussian process regression with Bayesian Monte Carlo over its hyperparameters, as
//! IAMhaggler2011 uses it to predict the opponent's concession (Williams, Robu, Gerding and
//! Jennings, "Using Gaussian processes to optimise concession in complex negotiations against
//! unknown opponents", IJCAI 2011; the `gp4j` library GENIUS bundles: `GaussianProcessRegression`,
//! `GaussianProcessRegressionBMC`, `BasicPrior`, `Matern3CovarianceFunction`,
//! `NoiseCovarianceFunction`).
//!
//! One input dimension. The covariance is a Matérn 3/2 kernel plus noise:
//! `k(x, x') = s² e^{-r} (1 + r) + n² [x = x']`, `r = √3 |x - x'| / ℓ`. Every combination of
//! hyperparameter samples (a grid in log space per hyperparameter, [`Prior`]) gives an exact
//! GP regression (Rasmussen and Williams 2006, algorithm 2.1, by Cholesky factors); the
//! mixture weights them by Bayesian Monte Carlo (Osborne et al. 2008): `w ∝ K_S⁻¹ N_S K_S⁻¹ r`,
//! `r` the likelihoods (relative to the largest), `K_S` the Gaussian kernel between the samples
//! and `N_S` its integral against the prior, per hyperparameter, combined by Kronecker
//! products. The prediction at a point is the mixture's mean and variance.

// Index loops, written as the textbook algorithms (Cholesky, triangular solves) are.
#![allow(clippy::needless_range_loop)]

/// A dense row-major square matrix (the GP's systems are small: one row per training point).
#[derive(Debug, Clone, PartialEq)]
struct Square {
    n: usize,
    a: Vec<f64>,
}

impl Square {
    fn zeros(n: usize) -> Self {
        Square {
            n,
            a: vec![0.0; n * n],
        }
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.n + j]
    }

    fn set(&mut self, i: usize, j: usize, x: f64) {
        self.a[i * self.n + j] = x;
    }

    /// The lower Cholesky factor `L` (`A = L Lᵀ`), as Jama computes it; `None` when `A` is not
    /// positive definite.
    fn cholesky(&self) -> Option<Square> {
        let n = self.n;
        let mut l = Square::zeros(n);
        for j in 0..n {
            let mut d = 0.0;
            for k in 0..j {
                let mut s = 0.0;
                for i in 0..k {
                    s += l.at(k, i) * l.at(j, i);
                }
                let v = (self.at(j, k) - s) / l.at(k, k);
                l.set(j, k, v);
                d += v * v;
            }
            let d = self.at(j, j) - d;
            if d <= 0.0 {
                return None;
            }
            l.set(j, j, d.sqrt());
        }
        Some(l)
    }

    /// `L⁻¹ b` for this lower-triangular `L`.
    fn forward(&self, b: &mut [f64]) {
        for i in 0..self.n {
            let row = &self.a[i * self.n..(i + 1) * self.n];
            let (done, rest) = b.split_at_mut(i);
            let mut s = rest[0];
            for (l, x) in row[..i].iter().zip(done.iter()) {
                s -= l * x;
            }
            rest[0] = s / row[i];
        }
    }

    /// `L⁻ᵀ b` for this lower-triangular `L`.
    fn backward(&self, b: &mut [f64]) {
        for i in (0..self.n).rev() {
            let mut s = b[i];
            for k in i + 1..self.n {
                s -= self.at(k, i) * b[k];
            }
            b[i] = s / self.at(i, i);
        }
    }

    /// `(L Lᵀ)⁻¹ b` for this Cholesky factor `L`.
    fn solve_chol(&self, b: &mut [f64]) {
        self.forward(b);
        self.backward(b);
    }
}

/// A prior over one hyperparameter, by samples evenly spaced in log space (gp4j `BasicPrior`):
/// `count` samples over the log mean ± 2 standard deviations (the log mean alone for one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    /// Number of samples.
    pub count: usize,
    /// The mean (not its log).
    pub mean: f64,
    /// The standard deviation in log space.
    pub deviation: f64,
}

impl Prior {
    /// The log samples, spaced as gp4j's `linspace` spaces them (by repeated addition).
    fn log_samples(&self) -> Vec<f64> {
        let log_mean = self.mean.ln();
        if self.count == 1 {
            return vec![log_mean];
        }
        let (min, max) = (
            log_mean - 2.0 * self.deviation,
            log_mean + 2.0 * self.deviation,
        );
        let step = (max - min) / (self.count - 1) as f64;
        let mut s = vec![min; self.count];
        for i in 1..self.count - 1 {
            s[i] = s[i - 1] + step;
        }
        s[self.count - 1] = max;
        s
    }

    /// The width of the Gaussian kernel between samples: a quarter of their spacing (0.25 for
    /// one sample).
    fn width(&self, samples: &[f64]) -> f64 {
        if self.count == 1 {
            return 0.25;
        }
        let max = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
        0.25 * (max - min) / (self.count - 1) as f64
    }

    /// `K_S⁻¹ N_S K_S⁻¹` for this prior (gp4j `calculateKSinv_NS_KSinv`).
    fn bmc_matrix(&self) -> Square {
        let s = self.log_samples();
        let w = self.width(&s);
        let m = s.len();
        let norm_pdf = |x: f64, mean: f64, sd: f64| {
            (-((x - mean) / sd).powi(2) / 2.0).exp() / ((2.0 * std::f64::consts::PI).sqrt() * sd)
        };
        let mut ks = Square::zeros(m);
        let mut ns = Square::zeros(m);
        let log_mean = self.mean.ln();
        let var = self.deviation * self.deviation;
        let lambda = var + w * w;
        let prec_x = lambda - var * var / lambda;
        let prec_y = 1.0 / (var - lambda * lambda / var);
        let c = 1.0 / ((2.0 * std::f64::consts::PI).powi(2) * lambda * prec_x).sqrt();
        for i in 0..m {
            for j in 0..m {
                ks.set(i, j, norm_pdf(s[i], s[j], w));
                let (dx, dy) = (s[i] - log_mean, s[j] - log_mean);
                ns.set(
                    i,
                    j,
                    c * (-0.5 / prec_x * (dx * dx + dy * dy) - prec_y * dx * dy).exp(),
                );
            }
        }
        let l = ks
            .cholesky()
            .expect("the samples' kernel is positive definite");
        // K⁻¹ N K⁻¹: solve column by column, transpose (N and K are symmetric), solve again.
        let mut half = Square::zeros(m);
        let mut col = vec![0.0; m];
        for j in 0..m {
            for i in 0..m {
                col[i] = ns.at(i, j);
            }
            l.solve_chol(&mut col);
            for i in 0..m {
                half.set(j, i, col[i]);
            }
        }
        let mut out = Square::zeros(m);
        for j in 0..m {
            for i in 0..m {
                col[i] = half.at(i, j);
            }
            l.solve_chol(&mut col);
            for i in 0..m {
                out.set(i, j, col[i]);
            }
        }
        out
    }
}

/// The Kronecker product of two square matrices.
fn kronecker(a: &Square, b: &Square) -> Square {
    let n = a.n * b.n;
    let mut out = Square::zeros(n);
    for i in 0..a.n {
        for j in 0..a.n {
            for k in 0..b.n {
                for l in 0..b.n {
                    out.set(i * b.n + k, j * b.n + l, a.at(i, j) * b.at(k, l));
                }
            }
        }
    }
    out
}

/// Hyperparameters of one GP: log length scale, log signal deviation, log noise deviation.
type Hyper = [f64; 3];

/// The Matérn 3/2 part of the covariance between two inputs already divided by the length
/// scale (as gp4j scales them), for signal variance `signal`.
fn matern(signal: f64, x: f64, y: f64) -> f64 {
    let d = x - y;
    let r = (3.0 * (d * d)).sqrt();
    signal * (-r).exp() * (1.0 + r)
}

/// A GP regression of IAMhaggler2011's kind: Matérn 3/2 plus noise, its hyperparameters
/// marginalised by Bayesian Monte Carlo over three priors (length scale, signal deviation,
/// noise deviation).
#[derive(Debug, Clone)]
pub struct GpMixture {
    hypers: Vec<Hyper>,
    bmc: Square,
}

/// A mixture's prediction at test points: means and variances.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The predicted mean at each test point.
    pub mean: Vec<f64>,
    /// The predicted variance at each test point (noise included).
    pub variance: Vec<f64>,
}

impl GpMixture {
    /// The mixture over every combination of samples of the three priors (the first varies
    /// slowest).
    pub fn new(priors: [Prior; 3]) -> Self {
        let samples: Vec<Vec<f64>> = priors.iter().map(Prior::log_samples).collect();
        let mut hypers = Vec::new();
        for &a in &samples[0] {
            for &b in &samples[1] {
                for &c in &samples[2] {
                    hypers.push([a, b, c]);
                }
            }
        }
        let mut bmc = Square { n: 1, a: vec![1.0] };
        for p in &priors {
            bmc = kronecker(&bmc, &p.bmc_matrix());
        }
        GpMixture { hypers, bmc }
    }

    /// IAMhaggler2011's mixture: length scale 0.252 and signal deviation 0.166 (11 samples
    /// each, log deviation 0.5), noise deviation 0.01.
    pub fn iam_haggler() -> Self {
        GpMixture::new([
            Prior {
                count: 11,
                mean: 0.252,
                deviation: 0.5,
            },
            Prior {
                count: 11,
                mean: 0.166,
                deviation: 0.5,
            },
            Prior {
                count: 1,
                mean: 0.01,
                deviation: 1.0,
            },
        ])
    }

    /// Regresses `y` on `x` and predicts at `test`; `None` when a covariance matrix is not
    /// positive definite (never for distinct inputs and positive noise).
    pub fn predict(&self, x: &[f64], y: &[f64], test: &[f64]) -> Option<Prediction> {
        let n = x.len();
        let mut log_likelihoods = Vec::with_capacity(self.hypers.len());
        let mut predictions = Vec::with_capacity(self.hypers.len());
        let mut xs = vec![0.0; n];
        let mut ts = vec![0.0; test.len()];
        for h in &self.hypers {
            let noise = (2.0 * h[2]).exp();
            let signal = (2.0 * h[1]).exp();
            let scale = h[0].exp();
            for (s, &v) in xs.iter_mut().zip(x) {
                *s = v / scale;
            }
            for (s, &v) in ts.iter_mut().zip(test) {
                *s = v / scale;
            }
            let mut k = Square::zeros(n);
            for i in 0..n {
                for j in 0..n {
                    let d = if i == j { noise } else { 0.0 };
                    k.set(i, j, matern(signal, xs[i], xs[j]) + d);
                }
            }
            let l = k.cholesky()?;
            let mut alpha = y.to_vec();
            l.solve_chol(&mut alpha);
            let fit: f64 = -0.5 * y.iter().zip(&alpha).map(|(a, b)| a * b).sum::<f64>();
            let log_det: f64 = (0..n).map(|i| 2.0 * l.at(i, i).ln()).sum();
            let constant = -0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln();
            log_likelihoods.push(fit - 0.5 * log_det + constant);
            let prior_var = signal + noise;
            let mut mean = Vec::with_capacity(test.len());
            let mut var = Vec::with_capacity(test.len());
            let mut v = vec![0.0; n];
            for &t in &ts {
                for (vi, &xi) in v.iter_mut().zip(&xs) {
                    *vi = matern(signal, xi, t);
                }
                mean.push(v.iter().zip(&alpha).map(|(a, b)| a * b).sum::<f64>());
                l.forward(&mut v);
                var.push(prior_var - v.iter().map(|a| a * a).sum::<f64>());
            }
            predictions.push((mean, var));
        }
        let top = log_likelihoods
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let r: Vec<f64> = log_likelihoods.iter().map(|l| (l - top).exp()).collect();
        let m = self.hypers.len();
        let numerator: Vec<f64> = (0..m)
            .map(|i| (0..m).map(|j| self.bmc.at(i, j) * r[j]).sum())
            .collect();
        let total: f64 = numerator.iter().sum();
        let mut mean = vec![0.0; test.len()];
        let mut variance = vec![0.0; test.len()];
        for ((mu, var), w) in predictions.iter().zip(numerator.iter().map(|x| x / total)) {
            for k in 0..test.len() {
                mean[k] += mu[k] * w;
                variance[k] += (var[k] + mu[k] * mu[k]) * w;
            }
        }
        for k in 0..test.len() {
            variance[k] -= mean[k] * mean[k];
        }
        Some(Prediction { mean, variance })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One hyperparameter sample and one training point: the posterior of a GP by hand.
    /// With `k(0, 0) = s² + n²` and `k(0, t) = s² e^{-r}(1 + r)`, the mean at `t` is
    /// `k(0, t) y / k(0, 0)` and the variance `s² + n² - k(0, t)² / k(0, 0)`.
    #[test]
    fn one_point_posterior_by_hand() {
        let one = |mean| Prior {
            count: 1,
            mean,
            deviation: 1.0,
        };
        let gp = GpMixture::new([one(0.5), one(0.2), one(0.1)]);
        let p = gp.predict(&[0.0], &[0.3], &[0.0, 0.25]).unwrap();
        let (s2, n2) = (0.04, 0.01);
        let r = 3f64.sqrt() * 0.25 / 0.5;
        let k = s2 * (-r).exp() * (1.0 + r);
        let want_mean = [s2 * 0.3 / (s2 + n2), k * 0.3 / (s2 + n2)];
        let want_var = [s2 + n2 - s2 * s2 / (s2 + n2), s2 + n2 - k * k / (s2 + n2)];
        for i in 0..2 {
            assert!((p.mean[i] - want_mean[i]).abs() < 1e-12, "{p:?}");
            assert!((p.variance[i] - want_var[i]).abs() < 1e-12, "{p:?}");
        }
    }

    /// IAMhaggler2011's mixture on a smooth trend: at a training point the prediction stays
    /// within the noise (deviation 0.01) of the data, and is surer there than far from the
    /// data.
    #[test]
    fn mixture_interpolates_its_data() {
        let x: Vec<f64> = (0..8).map(|i| i as f64 / 10.0).collect();
        let y: Vec<f64> = x.iter().map(|t| 0.1 * t).collect();
        let gp = GpMixture::iam_haggler();
        let p = gp.predict(&x, &y, &[0.3, 1.0]).unwrap();
        assert!((p.mean[0] - 0.03).abs() < 0.01, "{p:?}");
        assert!(
            p.variance[0] > 0.0 && p.variance[0] < p.variance[1],
            "{p:?}"
        );
        assert_eq!(gp.bmc.n, 121);
        assert_eq!(gp.hypers.len(), 121);
    }

    #[test]
    fn cholesky_solves() {
        let mut a = Square::zeros(3);
        let rows = [[4.0, 2.0, 0.6], [2.0, 3.0, 0.4], [0.6, 0.4, 2.0]];
        for (i, r) in rows.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                a.set(i, j, v);
            }
        }
        let l = a.cholesky().unwrap();
        let mut b = vec![1.0, 2.0, 3.0];
        l.solve_chol(&mut b);
        for (i, r) in rows.iter().enumerate() {
            let back: f64 = r.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((back - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
    }
}
