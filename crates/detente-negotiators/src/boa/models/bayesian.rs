//! The Bayesian models of Hindriks and Tykhonov ("Opponent modelling in automated multi-issue
//! negotiation using Bayesian learning", AAMAS 2008), as GENIUS 10.4 implements them
//! (`agents.bayesianopponentmodel.BayesianOpponentModel` and
//! `BayesianOpponentModelScalable`).
//!
//! Both keep beliefs over hypotheses about the opponent's issue weights and value
//! evaluations, and update them with Bayes' rule on each new (not seen before) bid, assuming
//! the opponent concedes: a bid is likely under a hypothesis when the utility the hypothesis
//! gives it is near the utility the opponent is expected to be at, which starts at 1 and
//! falls by a fixed step per bid. The likelihood is a normal density (σ = 0.25) of the
//! relative gap. Estimates are the expected utility, normalised over the outcome space to
//! `[0, 1]`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use detente_core::registry::ParamInfo;
use detente_core::{NegotiatorError, OpponentEstimate};

use super::{ModelEntry, ModelSetup, OpponentModel, plain};

/// The spread of the likelihood, as GENIUS sets it.
const SIGMA: f64 = 0.25;

/// The likelihood of a bid of utility `u` when the opponent is expected at `expected`.
fn likelihood(u: f64, expected: f64) -> f64 {
    let x = (expected - u) / expected;
    1.0 / (SIGMA * (2.0 * std::f64::consts::PI).sqrt()) * (-(x * x) / (2.0 * SIGMA * SIGMA)).exp()
}

/// Raw evaluations divided by their largest (GENIUS's `EvaluatorDiscrete`).
fn normalised(raw: Vec<i64>) -> Vec<f64> {
    let max = raw.iter().copied().max().unwrap_or(0) as f64;
    raw.into_iter()
        .map(|x| if max < 1e-5 { 0.0 } else { x as f64 / max })
        .collect()
}

/// The three evaluation shapes of the full model for an issue of `m` values: rising,
/// falling, and rising to the middle then falling.
fn three_shapes(m: usize) -> Vec<Vec<f64>> {
    let m = m as i64;
    let half = m / 2;
    vec![
        normalised((0..m).map(|j| 1000 * j + 1).collect()),
        normalised((0..m).map(|j| 1000 * (m - j - 1) + 1).collect()),
        normalised(
            (0..m)
                .map(|j| {
                    if j < half {
                        1000 * j + 1
                    } else {
                        1000 * (m - j - 1) + 1
                    }
                })
                .collect(),
        ),
    ]
}

/// The evaluation shapes of the scalable model: rising, falling, and (with more than two
/// values) a peak at each inner value, in GENIUS's integer arithmetic.
fn scalable_shapes(m: usize) -> Vec<Vec<f64>> {
    let mi = m as i64;
    let mut shapes = vec![
        normalised((0..mi).map(|j| 1000 * j + 1).collect()),
        normalised((0..mi).map(|j| 1000 * (mi - j - 1) + 1).collect()),
    ];
    if m > 2 {
        for k in 1..mi - 1 {
            shapes.push(normalised(
                (0..mi)
                    .map(|j| {
                        if j < k {
                            1000 * j / k
                        } else {
                            1000 * (mi - j - 1) / (mi - k - 1) + 1
                        }
                    })
                    .collect(),
            ));
        }
    }
    shapes
}

/// `(u - min) / (max - min)`, 0 when undefined.
fn scaled(u: f64, min: f64, max: f64) -> f64 {
    let v = (u - min) / (max - min);
    if v.is_nan() { 0.0 } else { v }
}

/// The full Bayesian model (GENIUS `BayesianModel`): hypotheses are every assignment of the
/// weights `1, 2, ..., n` (normalised) to the `n` issues, times a rising, falling or peaked
/// evaluation per issue: `n! 3^n` joint hypotheses, uniform at first. After a new bid each
/// hypothesis is weighted by the likelihood of the bid's utility under it (0 when above the
/// expected utility), the expected utility then falling by 0.035.
///
/// Where the port chose: GENIUS 10.4 adds the bid to its history *before* checking whether
/// it was seen before, so its model never learns (every bid counts as seen); the port checks
/// first, as the paper describes. GENIUS normalises the expected utility by its range over
/// the outcomes computed once, at the first estimate; the port uses the range of the current
/// beliefs (the expected utility is additive over the issues, so the range is exact without
/// enumerating outcomes). When every hypothesis gets likelihood 0 (GENIUS divides by 0), the
/// beliefs stay as they were. The number of hypotheses grows as `n! 3^n` (524,880 for six
/// issues): above `max-hypotheses` the model refuses to start; `scalable-bayesian` is the
/// variant for larger domains. NegMAS 0.16's `GBayesianModel` is a different model (ten
/// random weight hypotheses).
#[derive(Debug, Clone)]
pub struct Bayesian {
    limit: f64,
    /// Weight of each issue under each weight hypothesis, `weights[h * n + k]`.
    weights: Vec<f64>,
    /// The evaluation shapes of each issue.
    shapes: Vec<Vec<Vec<f64>>>,
    /// The shape of each issue under each shape combination, `digits[c * n + k]`.
    digits: Vec<u8>,
    /// The joint hypotheses `(weight hypothesis, shape combination)` still possible (a belief
    /// that reached 0 stays there), and the belief in each. Empty while `uniform`.
    alive: Vec<(u32, u32)>,
    belief: Vec<f64>,
    /// Before the first update that changes the beliefs: every hypothesis is possible, with
    /// belief `1 / count` (not written out: most negotiations rule many out at once).
    uniform: bool,
    /// The smallest weight of any issue (the lower bound of a bid's utility uses it).
    min_weight: f64,
    /// `score[k][v]`: the expected contribution of value `v` of issue `k`.
    score: Vec<Vec<f64>>,
    min: f64,
    max: f64,
    expected: f64,
    seen: HashSet<Vec<u32>>,
    observed: usize,
}

impl Bayesian {
    /// A model that refuses domains needing more than `limit` hypotheses.
    pub fn new(limit: f64) -> Self {
        Bayesian {
            limit,
            weights: Vec::new(),
            shapes: Vec::new(),
            digits: Vec::new(),
            alive: Vec::new(),
            belief: Vec::new(),
            uniform: true,
            min_weight: 0.0,
            score: Vec::new(),
            min: 0.0,
            max: 0.0,
            expected: 1.0,
            seen: HashSet::new(),
            observed: 0,
        }
    }

    /// Its registry entry, `bayesian`.
    pub fn entry() -> ModelEntry {
        ModelEntry::new(
            "bayesian",
            "Bayesian learning over weight orders and evaluation shapes (n! 3^n hypotheses)",
            |p| Box::new(Bayesian::new(p.get("max-hypotheses"))),
        )
        .param(ParamInfo::new(
            "max-hypotheses",
            1e6,
            1.0,
            1e9,
            "largest number of joint hypotheses it accepts to hold (n! 3^n for n issues)",
        ))
        .source(
            "Hindriks and Tykhonov, Opponent modelling in automated multi-issue negotiation \
             using Bayesian learning, AAMAS 2008; GENIUS BayesianModel",
        )
    }

    fn n(&self) -> usize {
        self.shapes.len()
    }

    /// The number of joint hypotheses (weight orders times shape combinations).
    fn count(&self) -> usize {
        (self.weights.len() / self.n().max(1)) * (self.digits.len() / self.n().max(1))
    }

    /// Visits every possible hypothesis `(h, c)` with its belief, in the order the beliefs
    /// are kept (weight hypothesis first, then shape combination).
    fn each(&self, mut f: impl FnMut(u32, u32, f64)) {
        if self.uniform {
            let n = self.n().max(1);
            let (perms, combos) = (self.weights.len() / n, self.digits.len() / n);
            let p = 1.0 / self.count() as f64;
            for h in 0..perms as u32 {
                for c in 0..combos as u32 {
                    f(h, c, p);
                }
            }
        } else {
            for (&(h, c), &p) in self.alive.iter().zip(&self.belief) {
                f(h, c, p);
            }
        }
    }

    /// Adds hypothesis `(h, c)`'s share `p` to the weighted marginals `q` of (issue, shape).
    #[inline]
    fn accumulate(&self, q: &mut [[f64; 3]], h: u32, c: u32, p: f64) {
        let n = self.n();
        let (w, d) = (h as usize * n, c as usize * n);
        for (k, qk) in q.iter_mut().enumerate() {
            qk[self.digits[d + k] as usize] += p * self.weights[w + k];
        }
    }

    /// The expected contributions under the uniform prior: they depend only on the issues'
    /// cardinalities, and take a pass over every hypothesis, so they are computed once per
    /// process for each list of cardinalities (the same sums in the same order: identical).
    fn initial_score(&mut self, cards: &[u32]) {
        type Scores = (Vec<Vec<f64>>, f64, f64);
        static CACHE: Mutex<Vec<(Vec<u32>, Arc<Scores>)>> = Mutex::new(Vec::new());
        let cached = CACHE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(k, _)| k == cards)
            .map(|(_, v)| Arc::clone(v));
        if let Some(v) = cached {
            (self.score, self.min, self.max) = (v.0.clone(), v.1, v.2);
            return;
        }
        self.rescore();
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= 64 {
            cache.remove(0);
        }
        let v = (self.score.clone(), self.min, self.max);
        cache.push((cards.to_vec(), Arc::new(v)));
    }

    /// Recomputes the expected contributions and their range from the beliefs.
    fn rescore(&mut self) {
        let mut q = vec![[0.0; 3]; self.n()];
        self.each(|h, c, p| self.accumulate(&mut q, h, c, p));
        self.score_from(&q);
    }

    /// The expected contributions and their range from the weighted marginals `q[k][shape]`.
    fn score_from(&mut self, q: &[[f64; 3]]) {
        for (k, s) in self.score.iter_mut().enumerate() {
            for (v, x) in s.iter_mut().enumerate() {
                *x = (0..q[k].len())
                    .map(|j| q[k][j] * self.shapes[k][j][v])
                    .sum();
            }
        }
        let (mut lo, mut hi) = (0.0, 0.0);
        for s in &self.score {
            lo += s.iter().copied().fold(f64::INFINITY, f64::min);
            hi += s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        }
        self.min = lo;
        self.max = hi;
    }
}

/// Every permutation of `0..n`, as Heap's algorithm visits them.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut out = vec![a.clone()];
    let mut c = vec![0usize; n];
    let mut i = 0;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                a.swap(0, i);
            } else {
                a.swap(c[i], i);
            }
            out.push(a.clone());
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    out
}

impl Default for Bayesian {
    fn default() -> Self {
        Self::new(1e6)
    }
}

impl OpponentEstimate for Bayesian {
    fn estimate(&self, values: &[u32]) -> f64 {
        let u: f64 = self
            .score
            .iter()
            .zip(values)
            .map(|(s, &v)| s[v as usize])
            .sum();
        scaled(u, self.min, self.max)
    }
}

impl OpponentModel for Bayesian {
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        let cards = setup.space.cardinalities();
        let n = cards.len();
        let hyps = (1..=n).map(|k| k as f64).product::<f64>() * 3f64.powi(n as i32);
        if hyps > self.limit {
            return Err(NegotiatorError(format!(
                "the Bayesian model needs n! 3^n = {hyps} hypotheses for {n} issues, more than \
                 its max-hypotheses = {}; use `scalable-bayesian` for domains this large",
                self.limit
            )));
        }
        let total = (n * (n + 1)) as f64 / 2.0;
        self.weights = permutations(n)
            .into_iter()
            .flat_map(|p| p.into_iter().map(move |r| (r + 1) as f64 / total))
            .collect();
        self.shapes = cards.iter().map(|&m| three_shapes(m as usize)).collect();
        let combos = 3usize.pow(n as u32);
        self.digits = (0..combos)
            .flat_map(|c| {
                (0..n)
                    .rev()
                    .map(move |k| (c / 3usize.pow(k as u32) % 3) as u8)
            })
            .collect();
        self.alive.clear();
        self.belief.clear();
        self.uniform = true;
        self.min_weight = 1.0 / total;
        self.score = cards.iter().map(|&m| vec![0.0; m as usize]).collect();
        self.expected = 1.0;
        self.seen.clear();
        self.observed = 0;
        self.initial_score(cards);
        Ok(())
    }

    fn update(&mut self, values: &[u32], _time: f64) {
        self.observed += 1;
        if !self.seen.insert(values.to_vec()) {
            return;
        }
        let n = self.n();
        let expected = self.expected;
        self.expected -= 0.035;
        // Each issue's evaluation of the bid under each of its shapes.
        let at: Vec<[f64; 3]> = (0..n)
            .map(|k| std::array::from_fn(|j| self.shapes[k][j][values[k] as usize]))
            .collect();
        // Every hypothesis gives the bid at least `bound` (the same products and sums, each
        // no larger, and rounding is monotone): below it, every likelihood is 0 and the
        // beliefs stay as they are.
        let mut bound = 0.0;
        for a in &at {
            bound += self.min_weight * a.iter().copied().fold(f64::INFINITY, f64::min);
        }
        if expected < bound {
            return;
        }
        // Bayes' rule; the hypotheses whose belief becomes 0 are dropped.
        let (mut alive, mut belief) = (Vec::new(), Vec::new());
        let mut total = 0.0;
        self.each(|h, c, p| {
            let (w, d) = (h as usize * n, c as usize * n);
            let mut u = 0.0;
            for k in 0..n {
                u += self.weights[w + k] * at[k][self.digits[d + k] as usize];
            }
            let l = if expected < u {
                0.0
            } else {
                likelihood(u, expected)
            };
            let x = p * l;
            total += x;
            if x > 0.0 {
                alive.push((h, c));
                belief.push(x);
            }
        });
        if !(total > 0.0 && total.is_finite()) {
            return;
        }
        let mut q = vec![[0.0; 3]; n];
        for (&(h, c), x) in alive.iter().zip(belief.iter_mut()) {
            *x /= total;
            self.accumulate(&mut q, h, c, *x);
        }
        self.alive = alive;
        self.belief = belief;
        self.uniform = false;
        self.score_from(&q);
    }

    fn observed(&self) -> usize {
        self.observed
    }
}

/// The scalable Bayesian model (GENIUS `ScalableBayesianModel`): independent beliefs per
/// issue, over 11 weights `0, 0.1, ..., 1` (prior falling as `(1 - (j + 1) / 11)^3`) and over
/// evaluation shapes (rising, falling, and a peak at each inner value), uniform at first.
/// Each new bid updates the weight beliefs (from the second bid on) and then the shape
/// beliefs, each issue given the others' expected contribution, with the expected utility
/// falling by 0.003 per bid. Estimates are normalised by the expected utility's range over the
/// outcomes, taken within `[0, 1]` as GENIUS starts its search there.
///
/// Where the port chose: an issue whose likelihoods all vanish keeps its beliefs (GENIUS
/// produces NaN and marks the model crashed). NegMAS 0.16's `GScalableBayesianModel` is a
/// different, non-Bayesian update.
#[derive(Debug, Clone, Default)]
pub struct ScalableBayesian {
    weight_belief: Vec<Vec<f64>>,
    shapes: Vec<Vec<Vec<f64>>>,
    shape_belief: Vec<Vec<f64>>,
    expected_weight: Vec<f64>,
    /// `score[i][v]`: the expected weight of issue `i` times the expected evaluation of its
    /// value `v`, tabulated when the beliefs change (an estimate is then one sum of lookups).
    score: Vec<Vec<f64>>,
    min: f64,
    max: f64,
    expected: f64,
    seen: HashSet<Vec<u32>>,
    observed: usize,
}

/// The weight hypotheses of the scalable model: `j / 10` for `j = 0..=10`.
const WEIGHTS: usize = 11;

impl ScalableBayesian {
    /// Its registry entry, `scalable-bayesian`.
    pub fn entry() -> ModelEntry {
        ModelEntry::new(
            "scalable-bayesian",
            "Bayesian learning with independent beliefs per issue (scales to large domains)",
            plain::<ScalableBayesian>(),
        )
        .source(
            "Hindriks and Tykhonov, AAMAS 2008 (scalable variant); GENIUS \
             ScalableBayesianModel",
        )
    }

    fn weight(j: usize) -> f64 {
        j as f64 / (WEIGHTS - 1) as f64
    }

    /// The expected evaluation of value `v` of issue `i`.
    fn expected_eval(&self, i: usize, v: usize) -> f64 {
        let mut e = 0.0;
        for (p, s) in self.shape_belief[i].iter().zip(&self.shapes[i]) {
            e += p * s[v];
        }
        e
    }

    fn mean_weight(&self, i: usize) -> f64 {
        let mut w = 0.0;
        for (j, p) in self.weight_belief[i].iter().enumerate() {
            w += p * Self::weight(j);
        }
        w
    }

    /// `Σ_{j != i} E[w_j] E[eval_j(b_j)]`.
    fn partial(&self, values: &[u32], i: usize) -> f64 {
        let mut u = 0.0;
        for (j, &v) in values.iter().enumerate() {
            if j != i {
                u += self.mean_weight(j) * self.expected_eval(j, v as usize);
            }
        }
        u
    }

    fn update_weights(&mut self, values: &[u32]) {
        let mut next = self.weight_belief.clone();
        for i in 0..values.len() {
            let e = self.expected_eval(i, values[i] as usize);
            let rest = self.partial(values, i);
            let l: Vec<f64> = (0..WEIGHTS)
                .map(|j| likelihood(Self::weight(j) * e + rest, self.expected))
                .collect();
            let total: f64 = (0..WEIGHTS).map(|j| self.weight_belief[i][j] * l[j]).sum();
            if total > 0.0 && total.is_finite() {
                for j in 0..WEIGHTS {
                    next[i][j] = self.weight_belief[i][j] * l[j] / total;
                }
            }
        }
        self.weight_belief = next;
    }

    fn update_shapes(&mut self, values: &[u32]) {
        let mut next = self.shape_belief.clone();
        for i in 0..values.len() {
            let rest = self.partial(values, i);
            let w = self.mean_weight(i);
            let l: Vec<f64> = self.shapes[i]
                .iter()
                .map(|s| likelihood(rest + w * s[values[i] as usize], self.expected))
                .collect();
            let total: f64 = self.shape_belief[i]
                .iter()
                .zip(&l)
                .map(|(p, l)| p * l)
                .sum();
            if total > 0.0 && total.is_finite() {
                for (j, x) in next[i].iter_mut().enumerate() {
                    *x = self.shape_belief[i][j] * l[j] / total;
                }
            }
        }
        self.shape_belief = next;
    }

    fn rescore(&mut self) {
        self.expected_weight = (0..self.shapes.len())
            .map(|i| self.mean_weight(i))
            .collect();
        self.score = (0..self.shapes.len())
            .map(|i| {
                let w = self.expected_weight[i];
                (0..self.shapes[i][0].len())
                    .map(|v| w * self.expected_eval(i, v))
                    .collect()
            })
            .collect();
        let (mut lo, mut hi) = (0.0, 0.0);
        for terms in &self.score {
            let (a, b) = terms
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            lo += a;
            hi += b;
        }
        self.min = lo.min(1.0);
        self.max = hi.max(0.0);
    }
}

impl OpponentEstimate for ScalableBayesian {
    fn estimate(&self, values: &[u32]) -> f64 {
        let mut u = 0.0;
        for (s, &v) in self.score.iter().zip(values) {
            u += s[v as usize];
        }
        scaled(u, self.min, self.max)
    }
}

impl OpponentModel for ScalableBayesian {
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        let cards = setup.space.cardinalities();
        let prior: Vec<f64> = (0..WEIGHTS)
            .map(|j| (1.0 - (j as f64 + 1.0) / WEIGHTS as f64).powi(3))
            .collect();
        let sum: f64 = prior.iter().sum();
        self.weight_belief = vec![prior.iter().map(|p| p / sum).collect(); cards.len()];
        self.shapes = cards.iter().map(|&m| scalable_shapes(m as usize)).collect();
        self.shape_belief = self
            .shapes
            .iter()
            .map(|s| vec![1.0 / s.len() as f64; s.len()])
            .collect();
        self.expected = 1.0;
        self.seen.clear();
        self.observed = 0;
        self.rescore();
        Ok(())
    }

    fn update(&mut self, values: &[u32], _time: f64) {
        self.observed += 1;
        if !self.seen.insert(values.to_vec()) {
            return;
        }
        if self.seen.len() > 1 {
            self.update_weights(values);
        }
        self.update_shapes(values);
        self.expected -= 0.003;
        self.rescore();
    }

    fn issue_weights(&self) -> Option<Vec<f64>> {
        let sum: f64 = self.expected_weight.iter().sum();
        Some(self.expected_weight.iter().map(|w| w / sum).collect())
    }

    fn observed(&self) -> usize {
        self.observed
    }
}
