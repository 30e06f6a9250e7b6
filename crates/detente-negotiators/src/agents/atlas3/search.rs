//! Atlas3's bid search (the original's `bidSearch`): a neighbourhood search from a random
//! outcome, then a conceding search from its best outcome (linear spaces) or simulated
//! annealing, then its best outcome; finally the opponents' most frequent values.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Atlas3State;

/// Simulated annealing: temperature from 1 down to 0.0001, times 0.999 per step.
const START_TEMPERATURE: f64 = 1.0;
const END_TEMPERATURE: f64 = 0.0001;
const COOL: f64 = 0.999;

impl Atlas3State {
    fn feasible(&self, values: &[u32]) -> bool {
        self.space.is_feasible(values)
    }

    fn random_outcome(&mut self) -> Vec<u32> {
        let order = &self.own.table.order;
        let id = order[self.rng.random_range(0..order.len())];
        let mut values = vec![0u32; self.relative.len()];
        self.space.decode_into(id, &mut values);
        values
    }

    fn best_outcome(&mut self) -> Vec<u32> {
        self.own.outcome_at(0).0
    }

    /// The original's `getBid` for discrete issues: the outcome to offer at `threshold`.
    pub(super) fn search(&mut self, threshold: f64) -> Vec<u32> {
        let base = self.random_outcome();
        let mut bid = self.neighbourhood(&base, threshold);
        if self.utility(&bid) < threshold {
            bid = self.appropriate(&base, threshold);
        }
        if self.utility(&bid) < threshold {
            bid = self.best_outcome();
        }
        self.by_frequency(bid)
    }

    /// The feasible outcomes one issue away from `base` at or above `threshold`, and of them
    /// those of the lowest utility; one of them at random (`base` when there is none).
    fn neighbourhood(&mut self, base: &[u32], threshold: f64) -> Vec<u32> {
        let mut targets: Vec<Vec<u32>> = Vec::new();
        let mut target_u = 0.0;
        for (i, values) in self.relative.iter().enumerate() {
            for v in 0..values.len() as u32 {
                let mut o = base.to_vec();
                o[i] = v;
                if !self.feasible(&o) {
                    continue;
                }
                let u = self.utility(&o);
                if u < threshold {
                    continue;
                }
                if targets.is_empty() || u < target_u {
                    targets.clear();
                    target_u = u;
                    targets.push(o);
                } else if u == target_u {
                    targets.push(o);
                }
            }
        }
        if targets.is_empty() {
            return base.to_vec();
        }
        let k = self.rng.random_range(0..targets.len());
        targets.swap_remove(k)
    }

    /// The original's `getBidbyAppropriateSearch`.
    fn appropriate(&mut self, base: &[u32], threshold: f64) -> Vec<u32> {
        let mut bid = base.to_vec();
        if self.linear {
            bid = self.relative_search(threshold);
            if self.utility(&bid) < threshold {
                self.linear = false;
            }
        }
        if !self.linear {
            let found = self.annealing(&bid, threshold);
            let u = self.utility(&found);
            if u <= 1.0 && u >= threshold {
                bid = found;
            }
        }
        bid
    }

    /// From its best outcome, issue by issue in random order, the first value (in random
    /// order) whose loss keeps the total loss within `threshold - 1`.
    fn relative_search(&mut self, threshold: f64) -> Vec<u32> {
        let mut bid = self.best_outcome();
        let d = threshold - 1.0;
        let mut conceded = 0.0;
        let mut issues: Vec<usize> = (0..self.relative.len()).collect();
        issues.shuffle(&mut self.rng);
        for i in issues {
            let mut values: Vec<usize> = (0..self.relative[i].len()).collect();
            values.shuffle(&mut self.rng);
            for v in values {
                let r = self.relative[i][v];
                if d <= conceded + r {
                    bid[i] = v as u32;
                    conceded += r;
                    break;
                }
            }
        }
        bid
    }

    /// Simulated annealing towards the utility `threshold`, keeping the lowest-utility
    /// outcomes at or above it; one of them at random (`base` when there is none).
    fn annealing(&mut self, base: &[u32], threshold: f64) -> Vec<u32> {
        let mut current = base.to_vec();
        let mut current_u = self.utility(base);
        let mut targets: Vec<Vec<u32>> = Vec::new();
        let mut target_u = 0.0;
        let mut temperature = START_TEMPERATURE;
        while temperature > END_TEMPERATURE {
            let mut next = current.clone();
            let i = self.rng.random_range(0..next.len());
            next[i] = self.rng.random_range(0..self.relative[i].len()) as u32;
            // An infeasible neighbour is not a move (the original's domains have none).
            let next_u = if self.feasible(&next) {
                self.utility(&next)
            } else {
                current_u
            };
            let new_cost = (threshold - next_u).abs();
            let cost = (threshold - current_u).abs();
            let p = (-(new_cost - cost).abs() / temperature).exp();
            if self.feasible(&next) && (new_cost < cost || p > self.rng.random::<f64>()) {
                current = next;
                current_u = next_u;
            }
            if current_u >= threshold {
                if targets.is_empty() || current_u < target_u {
                    targets.clear();
                    target_u = current_u;
                    targets.push(current.clone());
                } else if current_u == target_u {
                    targets.push(current.clone());
                }
            }
            temperature *= COOL;
        }
        if targets.is_empty() {
            return base.to_vec();
        }
        let k = self.rng.random_range(0..targets.len());
        targets.swap_remove(k)
    }

    /// Issue by issue in random order, the value the other parties offered most (ties and
    /// an issue nobody offered yet: the first in a random order of its values) replaces the
    /// bid's when that keeps its utility.
    fn by_frequency(&mut self, mut bid: Vec<u32>) -> Vec<u32> {
        let mut issues: Vec<usize> = (0..bid.len()).collect();
        issues.shuffle(&mut self.rng);
        for i in issues {
            let mut values: Vec<usize> = (0..self.frequency[i].len()).collect();
            values.shuffle(&mut self.rng);
            let mut best: Option<(usize, u32)> = None;
            for v in values {
                let f = self.frequency[i][v];
                if best.is_none_or(|(_, top)| f > top) {
                    best = Some((v, f));
                }
            }
            let Some((v, _)) = best else { continue };
            let mut next = bid.clone();
            next[i] = v as u32;
            if self.feasible(&next) && self.utility(&next) >= self.utility(&bid) {
                bid = next;
            }
        }
        bid
    }
}
