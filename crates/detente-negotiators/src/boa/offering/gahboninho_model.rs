//! Gahboninho's own model of the opponent (GENIUS `GahboninhoOM`, discrete issues): per issue,
//! how often the opponent offered each value (its first value gets a bonus that grows with the
//! number of bids), the spread of those counts over the values' importance ranks, and issue
//! weights inversely proportional to that spread (an issue whose value never changed weighs 3
//! times the least spread one). The opponent's utility of an outcome is the weighted sum of its
//! values' importance over the issue's most important.

use std::collections::{BTreeMap, HashSet};

use detente_core::OutcomeId;

use crate::boa::space::OwnSpace;

/// What the model knows of one issue (GENIUS `IssuePrediction.DiscreteValues`).
#[derive(Debug, Clone)]
struct IssuePrediction {
    counts: Vec<i32>,
    updates: i32,
    first: Option<usize>,
    most: i32,
    variance: f64,
    weight: f64,
}

impl IssuePrediction {
    fn new(values: usize) -> Self {
        IssuePrediction {
            counts: vec![0; values],
            updates: 0,
            first: None,
            most: 1,
            variance: 0.0,
            weight: 0.0,
        }
    }

    /// A value's importance: its count, plus for the first value offered the number of bids
    /// over the number of values (integer division).
    fn importance(&self, v: usize) -> i32 {
        let bonus = self.updates / self.counts.len() as i32;
        if self.first == Some(v) {
            self.counts[v] + bonus
        } else {
            self.counts[v]
        }
    }

    fn update(&mut self, v: usize) {
        self.updates += 1;
        self.first.get_or_insert(v);
        self.counts[v] += 1;
        // The values by importance, one per importance (the last of equals, as a Java TreeMap
        // keyed by importance keeps).
        let mut by_importance = BTreeMap::new();
        self.most = 0;
        let mut total = 0;
        for o in 0..self.counts.len() {
            let i = self.importance(o);
            self.most = self.most.max(i);
            by_importance.insert(i, o);
            total += i;
        }
        let mut average = 0.0;
        for (rank, &o) in by_importance.values().enumerate() {
            average += rank as f64 * f64::from(self.importance(o));
        }
        average /= f64::from(total);
        let n = self.counts.len() as f64;
        self.variance = 0.0;
        for (rank, &o) in by_importance.values().enumerate() {
            let distance = (average - rank as f64) / n;
            self.variance += f64::from(self.counts[o]) * (distance * distance);
        }
        self.variance /= f64::from(total);
    }

    fn expected(&self, v: usize) -> f64 {
        f64::from(self.importance(v)) / f64::from(self.most)
    }
}

/// Gahboninho's opponent model; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct GahboninhoModel {
    issues: Vec<IssuePrediction>,
    seen: HashSet<OutcomeId>,
    values: Vec<u32>,
}

impl GahboninhoModel {
    /// A model knowing nothing (every estimate 0).
    pub fn new(space: &OwnSpace) -> Self {
        GahboninhoModel {
            issues: space
                .cardinalities()
                .iter()
                .map(|&c| IssuePrediction::new(c as usize))
                .collect(),
            seen: HashSet::new(),
            values: Vec::new(),
        }
    }

    /// Learns from a bid of the opponent (bids seen before are ignored; GENIUS
    /// `UpdateImportance`).
    pub fn update(&mut self, space: &OwnSpace, id: OutcomeId) {
        if !self.seen.insert(id) {
            return;
        }
        const ZERO_TO_MINIMAL: f64 = 3.0;
        self.values.resize(space.n_issues(), 0);
        space.decode(id, &mut self.values);
        let mut total = 0.0;
        let mut minimal = f64::MAX;
        let mut zeros = 0;
        for (issue, &v) in self.issues.iter_mut().zip(&self.values) {
            issue.update(v as usize);
            total += issue.variance;
            if issue.variance == 0.0 {
                zeros += 1;
            } else {
                minimal = minimal.min(issue.variance);
            }
        }
        total /= minimal * (1.0 / ZERO_TO_MINIMAL);
        total += f64::from(zeros);
        let uniform = total == f64::from(zeros);
        let mut sum = 0.0;
        if !uniform {
            let unit = minimal / ZERO_TO_MINIMAL;
            for issue in self.issues.iter_mut().rev() {
                issue.weight = if issue.variance == 0.0 {
                    1.0
                } else {
                    unit / issue.variance
                };
                sum += issue.weight;
            }
        }
        let n = self.issues.len() as f64;
        for issue in self.issues.iter_mut().rev() {
            if uniform {
                issue.weight = 1.0 / n;
            } else {
                issue.weight /= sum;
            }
        }
    }

    /// The opponent's estimated utility of an outcome (GENIUS `EvaluateOpponentUtility`).
    pub fn evaluate(&mut self, space: &OwnSpace, id: OutcomeId) -> f64 {
        self.values.resize(space.n_issues(), 0);
        space.decode(id, &mut self.values);
        let mut sum = 0.0;
        for (issue, &v) in self.issues.iter().zip(&self.values) {
            sum += issue.weight * issue.expected(v as usize);
        }
        sum
    }
}
