//! Frequency models: how often the opponent offers each value, and how often it keeps an
//! issue unchanged, read as its preferences. Ports of GENIUS's BOA components (10.4,
//! `negotiator.boaframework.opponentmodel`); every value of every issue is a category, so
//! GENIUS's special treatment of integer and real issues (means and deviations) is not
//! reproduced. Each model keeps a table `score[issue][value]` (weight times value
//! evaluation), so an estimate is one sum over the issues, added in issue order as GENIUS
//! adds them.

use detente_core::{NegotiatorError, OpponentEstimate};

use super::{Additive, Cap, ModelEntry, ModelSetup, OpponentModel, Scores, plain};
use detente_core::registry::ParamInfo;

/// Per-issue tables of zeros, one slot per value.
fn zeros(setup: &ModelSetup<'_>) -> Vec<Vec<f64>> {
    setup
        .space
        .cardinalities()
        .iter()
        .map(|&c| vec![0.0; c as usize])
        .collect()
}

/// HardHeaded's frequency model (van Krimpen, Looije and Hajizadeh, ANAC 2011; GENIUS
/// `HardHeadedFrequencyModel`).
///
/// Issue weights start equal (`1/n`) and every value's count at 1. From the opponent's second
/// bid on, each issue it left unchanged since its previous bid gains `g = l / n`, and every
/// weight is divided by `1 + g * unchanged` (an unchanged issue already at
/// `1 - n g / (1 + g * unchanged)` or above gains nothing); the count of each value of the
/// new bid grows by 1. The estimate is `min(1, Σ w_i count_i(v) / max count_i)`.
///
/// Where the port chose: GENIUS sets each new weight through `AdditiveUtilitySpace.setWeight`,
/// which re-normalises the other weights of the issue tree after every single change (a
/// behaviour meant for the GUI's weight sliders, with a 0.05 correction term); the port
/// applies the model's own update rule, as HardHeaded and the BOA description state it. As in
/// GENIUS, the opponent's first bid changes nothing. NegMAS 0.16's `GHardHeadedFrequencyModel`
/// adds `l` (not `l / n`) per unchanged issue, has no cap, and counts the first bid.
#[derive(Debug, Clone)]
pub struct HardHeadedFrequency {
    learn: f64,
    weights: Vec<f64>,
    counts: Vec<Vec<f64>>,
    /// Each value's evaluation, `count / max count` of its issue (kept up to date value by
    /// value: only a new maximum re-evaluates a whole issue).
    evaluations: Vec<Vec<f64>>,
    /// Each issue's largest count.
    maxima: Vec<f64>,
    score: Scores,
    last: Option<Vec<u32>>,
    observed: usize,
}

impl HardHeadedFrequency {
    /// A model with learning coefficient `l`.
    pub fn new(l: f64) -> Self {
        HardHeadedFrequency {
            learn: l,
            weights: Vec::new(),
            counts: Vec::new(),
            evaluations: Vec::new(),
            maxima: Vec::new(),
            score: Scores::default(),
            last: None,
            observed: 0,
        }
    }

    /// Its registry entry, `hardheaded-frequency`, with the learning coefficient `l`.
    pub fn entry() -> ModelEntry {
        ModelEntry::new(
            "hardheaded-frequency",
            "frequency model of HardHeaded: unchanged issues gain weight, offered values gain \
             count",
            |p| Box::new(HardHeadedFrequency::new(p.get("l"))),
        )
        .param(ParamInfo::new(
            "l",
            0.2,
            0.0,
            1.0,
            "learning coefficient: the weight an unchanged issue gains, times the number of \
             issues",
        ))
        .source(
            "HardHeaded (ANAC 2011 winner), van Krimpen, Looije, Hajizadeh; GENIUS \
             HardHeadedFrequencyModel",
        )
    }

    /// Counts value `v` of issue `i` once more and keeps the issue's evaluations current.
    fn count(&mut self, i: usize, v: usize) {
        let c = &mut self.counts[i];
        c[v] += 1.0;
        if c[v] > self.maxima[i] {
            // Counts only grow: the new count is the issue's new maximum.
            self.maxima[i] = c[v];
            self.evaluate(i);
        } else {
            self.evaluations[i][v] = evaluation(c[v], self.maxima[i]);
        }
    }

    /// Every evaluation of issue `i` over its maximum count.
    fn evaluate(&mut self, i: usize) {
        let max = self.maxima[i];
        for (e, &n) in self.evaluations[i].iter_mut().zip(&self.counts[i]) {
            *e = evaluation(n, max);
        }
    }

    /// The scores, weight times evaluation.
    fn rescore(&mut self) {
        for ((s, e), &w) in self
            .score
            .issues_mut()
            .zip(&self.evaluations)
            .zip(&self.weights)
        {
            for (x, &e) in s.iter_mut().zip(e) {
                *x = w * e;
            }
        }
    }
}

/// GENIUS's `EvaluatorDiscrete`: a value's count over its issue's largest one (0 while every
/// count is below 1e-5).
#[inline]
fn evaluation(count: f64, max: f64) -> f64 {
    if max < 1e-5 { 0.0 } else { count / max }
}

impl Default for HardHeadedFrequency {
    fn default() -> Self {
        Self::new(0.2)
    }
}

impl OpponentEstimate for HardHeadedFrequency {
    fn estimate(&self, values: &[u32]) -> f64 {
        self.score.sum(values).min(1.0)
    }
}

impl OpponentModel for HardHeadedFrequency {
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        let n = setup.space.n_issues();
        self.weights = vec![1.0 / n as f64; n];
        self.counts = zeros(setup)
            .into_iter()
            .map(|v| vec![1.0; v.len()])
            .collect();
        self.evaluations = zeros(setup);
        // Every count starts at 1.
        self.maxima = vec![1.0; n];
        self.score = Scores::zeros(setup.space.cardinalities());
        self.last = None;
        self.observed = 0;
        for i in 0..n {
            self.evaluate(i);
        }
        self.rescore();
        Ok(())
    }

    fn update(&mut self, values: &[u32], _time: f64) {
        self.observed += 1;
        let Some(prev) = self.last.as_mut() else {
            self.last = Some(values.to_vec());
            return;
        };
        let n = self.weights.len() as f64;
        let golden = self.learn / n;
        let unchanged = prev.iter().zip(values).filter(|(a, b)| a == b).count() as f64;
        let total = 1.0 + golden * unchanged;
        let max_weight = 1.0 - n * golden / total;
        for (i, w) in self.weights.iter_mut().enumerate() {
            *w = if prev[i] == values[i] && *w < max_weight {
                (*w + golden) / total
            } else {
                *w / total
            };
        }
        prev.copy_from_slice(values);
        for (i, &v) in values.iter().enumerate() {
            self.count(i, v as usize);
        }
        self.rescore();
    }

    fn issue_weights(&self) -> Option<Vec<f64>> {
        Some(self.weights.clone())
    }

    fn observed(&self) -> usize {
        self.observed
    }

    fn additive(&self) -> Option<Additive<'_>> {
        Some(Additive {
            scores: &self.score,
            cap: Cap::AtMostOne,
        })
    }
}

/// AgentSmith's frequency model (van Galen Last, ANAC 2010; GENIUS `SmithFrequencyModel` and
/// `agentsmith.SmithModel`).
///
/// With `N` bids seen and `count_i(v)` the times value `v` of issue `i` was offered, an
/// issue's weight is `max_v count_i(v) / N`, normalised over the issues, and the value's
/// evaluation is `count_i(v) / N`; the estimate is `Σ w_i count_i(v) / N`, and 0 before the
/// first bid. NegMAS 0.16's `GSmithFrequencyModel` instead uses equal weights and
/// `(count + 1) / max (count + 1)`.
#[derive(Debug, Clone, Default)]
pub struct SmithFrequency {
    counts: Vec<Vec<f64>>,
    score: Scores,
    bids: usize,
}

impl SmithFrequency {
    /// Its registry entry, `smith-frequency`.
    pub fn entry() -> ModelEntry {
        ModelEntry::new(
            "smith-frequency",
            "frequency model of AgentSmith: issue weight from the most offered value's share, \
             value score its share of the bids",
            plain::<SmithFrequency>(),
        )
        .source("AgentSmith (ANAC 2010), van Galen Last; GENIUS SmithFrequencyModel")
    }
}

impl OpponentEstimate for SmithFrequency {
    fn estimate(&self, values: &[u32]) -> f64 {
        if self.bids == 0 {
            return 0.0;
        }
        self.score.sum(values)
    }
}

impl OpponentModel for SmithFrequency {
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        self.counts = zeros(setup);
        self.score = Scores::zeros(setup.space.cardinalities());
        self.bids = 0;
        Ok(())
    }

    fn update(&mut self, values: &[u32], _time: f64) {
        self.bids += 1;
        for (c, &v) in self.counts.iter_mut().zip(values) {
            c[v as usize] += 1.0;
        }
        let n = self.bids as f64;
        let raw: Vec<f64> = self
            .counts
            .iter()
            .map(|c| c.iter().copied().fold(0.0, f64::max) / n)
            .collect();
        let total: f64 = raw.iter().sum();
        for ((s, c), r) in self.score.issues_mut().zip(&self.counts).zip(&raw) {
            let w = r / total;
            for (x, &k) in s.iter_mut().zip(c) {
                *x = w * (k / n);
            }
        }
    }

    fn issue_weights(&self) -> Option<Vec<f64>> {
        let n = self.bids as f64;
        let raw: Vec<f64> = self
            .counts
            .iter()
            .map(|c| c.iter().copied().fold(0.0, f64::max) / n)
            .collect();
        let total: f64 = raw.iter().sum();
        (self.bids > 0).then(|| raw.iter().map(|r| r / total).collect())
    }

    fn observed(&self) -> usize {
        self.bids
    }

    fn additive(&self) -> Option<Additive<'_>> {
        // Before the first bid every score is 0, as the estimate.
        Some(Additive {
            scores: &self.score,
            cap: Cap::None,
        })
    }
}

/// CUHKAgent's frequency model (Hao and Leung, ANAC 2012 winner; GENIUS
/// `CUHKFrequencyModelV2`).
///
/// Counts how often each value is offered, over the opponent's bids while it has made at most
/// `n` distinct bids (100 in GENIUS); the estimate of an outcome is the sum of its values'
/// counts over the sum of the issues' largest counts (0 when the sum is 0). NegMAS 0.16's
/// `GCUHKFrequencyModel` implements `update` instead of `on_partner_proposal`, which its BOA
/// negotiator never calls, so it keeps estimating its "no information" 0.5.
#[derive(Debug, Clone)]
pub struct CuhkFrequency {
    limit: usize,
    counts: Vec<Vec<u64>>,
    /// The counts as scores of an additive estimate (integers, so their sums are exact).
    scores: Scores,
    max_total: u64,
    seen: Vec<Vec<u32>>,
    observed: usize,
}

impl CuhkFrequency {
    /// A model that learns from bids while the opponent has made at most `limit` distinct
    /// ones.
    pub fn new(limit: usize) -> Self {
        CuhkFrequency {
            limit,
            counts: Vec::new(),
            scores: Scores::default(),
            max_total: 0,
            seen: Vec::new(),
            observed: 0,
        }
    }

    /// Its registry entry, `cuhk-frequency`, with the number of distinct bids `n` it learns
    /// from.
    pub fn entry() -> ModelEntry {
        ModelEntry::new(
            "cuhk-frequency",
            "frequency model of CUHKAgent: summed value counts over the summed largest counts",
            |p| Box::new(CuhkFrequency::new(p.get("n") as usize)),
        )
        .param(ParamInfo::new(
            "n",
            100.0,
            1.0,
            1e9,
            "it learns while the opponent has made at most this many distinct bids",
        ))
        .source("CUHKAgent (ANAC 2012 winner), Hao and Leung; GENIUS CUHKFrequencyModelV2")
    }
}

impl Default for CuhkFrequency {
    fn default() -> Self {
        Self::new(100)
    }
}

impl OpponentEstimate for CuhkFrequency {
    fn estimate(&self, values: &[u32]) -> f64 {
        let total: u64 = self
            .counts
            .iter()
            .zip(values)
            .map(|(c, &v)| c[v as usize])
            .sum();
        if total == 0 {
            0.0
        } else {
            total as f64 / self.max_total as f64
        }
    }
}

impl OpponentModel for CuhkFrequency {
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        self.counts = setup
            .space
            .cardinalities()
            .iter()
            .map(|&c| vec![0; c as usize])
            .collect();
        self.scores = Scores::zeros(setup.space.cardinalities());
        self.max_total = 0;
        self.seen.clear();
        self.observed = 0;
        Ok(())
    }

    fn update(&mut self, values: &[u32], _time: f64) {
        self.observed += 1;
        if self.seen.len() > self.limit {
            return;
        }
        if !self.seen.iter().any(|b| b == values) {
            self.seen.push(values.to_vec());
        }
        if self.seen.len() <= self.limit {
            for (i, (c, &v)) in self.counts.iter_mut().zip(values).enumerate() {
                let k = c[v as usize] + 1;
                if k > c.iter().copied().max().unwrap_or(0) {
                    self.max_total += 1;
                }
                c[v as usize] = k;
                self.scores.issue_mut(i)[v as usize] = k as f64;
            }
        }
    }

    fn observed(&self) -> usize {
        self.observed
    }

    fn additive(&self) -> Option<Additive<'_>> {
        Some(Additive {
            scores: &self.scores,
            cap: Cap::Share(self.max_total),
        })
    }
}

/// The Nash frequency model (GENIUS `NashFrequencyModel`, from TheNegotiator's authors).
///
/// With `N` bids seen, a value's evaluation is its count over the issue's largest count, and
/// an issue's weight is the largest count's share `max_v count_i(v) / N`, normalised over the
/// issues (equal weights if they sum to 0); the estimate is `Σ w_i eval_i(v)`, kept in
/// `[0, 1]`, and 0 before the first bid. NegMAS 0.16's `GNashFrequencyModel` is instead a
/// variant of the HardHeaded model (unchanged issues gain 0.1).
#[derive(Debug, Clone, Default)]
pub struct NashFrequency {
    counts: Vec<Vec<f64>>,
    score: Scores,
    weights: Vec<f64>,
    bids: usize,
}

impl NashFrequency {
    /// Its registry entry, `nash-frequency`.
    pub fn entry() -> ModelEntry {
        ModelEntry::new(
            "nash-frequency",
            "Nash frequency model: value score its count over the largest count, issue weight \
             the largest count's share",
            plain::<NashFrequency>(),
        )
        .source("GENIUS NashFrequencyModel (BOA framework, Baarslag et al.)")
    }
}

impl OpponentEstimate for NashFrequency {
    fn estimate(&self, values: &[u32]) -> f64 {
        if self.bids == 0 {
            return 0.0;
        }
        self.score.sum(values).clamp(0.0, 1.0)
    }
}

impl OpponentModel for NashFrequency {
    fn init(&mut self, setup: &ModelSetup<'_>) -> Result<(), NegotiatorError> {
        self.counts = zeros(setup);
        self.score = Scores::zeros(setup.space.cardinalities());
        self.weights = vec![0.0; setup.space.n_issues()];
        self.bids = 0;
        Ok(())
    }

    fn update(&mut self, values: &[u32], _time: f64) {
        self.bids += 1;
        for (c, &v) in self.counts.iter_mut().zip(values) {
            c[v as usize] += 1.0;
        }
        let raw: Vec<f64> = self
            .counts
            .iter()
            .map(|c| {
                let max = c.iter().copied().fold(0.0, f64::max);
                max / c.iter().sum::<f64>()
            })
            .collect();
        let total: f64 = raw.iter().sum();
        let n = raw.len() as f64;
        for (w, r) in self.weights.iter_mut().zip(&raw) {
            *w = if total <= 0.0 { 1.0 / n } else { r / total };
        }
        for ((s, c), &w) in self.score.issues_mut().zip(&self.counts).zip(&self.weights) {
            let max = c.iter().copied().fold(0.0, f64::max);
            for (x, &k) in s.iter_mut().zip(c) {
                *x = w * (k / max);
            }
        }
    }

    fn issue_weights(&self) -> Option<Vec<f64>> {
        (self.bids > 0).then(|| self.weights.clone())
    }

    fn observed(&self) -> usize {
        self.bids
    }

    fn additive(&self) -> Option<Additive<'_>> {
        // Before the first bid every score is 0, as the estimate.
        Some(Additive {
            scores: &self.score,
            cap: Cap::Unit,
        })
    }
}
