//! Kawaii's bid search (the original's `bidSearch`): its best bid by simulated annealing at the
//! start; each turn a conceding search from it (linear spaces) or annealing towards the
//! threshold, else its best bid.

use super::KawaiiState;

/// Simulated annealing: temperature from 1 down to 0.0001, times 0.999 per step.
const START_TEMPERATURE: f64 = 1.0;
const END_TEMPERATURE: f64 = 0.0001;
const COOL: f64 = 0.999;

impl KawaiiState {
    fn feasible(&self, values: &[u32]) -> bool {
        self.space.is_feasible(values)
    }

    fn cardinality(&self, issue: usize) -> usize {
        self.space.issues()[issue].cardinality() as usize
    }

    /// A uniform outcome drawn value by value in issue order from `rng` (GENIUS's
    /// `getRandomBid` and `generateRandomBid`).
    fn draw(&self, rng: &mut crate::boa::java_random::JavaRandom) -> Vec<u32> {
        (0..self.space.issues().len())
            .map(|i| rng.index(self.cardinality(i)) as u32)
            .collect()
    }

    /// The original's `generateRandomBid`: a uniform outcome from the negotiation's generator.
    pub(super) fn random_bid(&mut self) -> Vec<u32> {
        let mut rng = self.rand.clone();
        let bid = self.draw(&mut rng);
        self.rand = rng;
        bid
    }

    /// The original's `initMaxBid`: from a random outcome, one annealing towards utility 1 per
    /// issue (repeated while the best bid is below the reservation value), stopping once the
    /// best bid is worth exactly 1.
    pub(super) fn init_max_bid(&mut self) {
        let mut rng = self.seeds.next_random();
        self.max_bid = self.draw(&mut rng);
        if !self.feasible(&self.max_bid) {
            // Constrained spaces (GENIUS's have none): start from its best feasible outcome.
            self.max_bid = self.own.outcome_at(0).0;
        }
        let best = self.own.pmax;
        for _ in 0..self.space.issues().len() {
            loop {
                let base = self.max_bid.clone();
                self.annealing(&base, 1.0);
                // The original loops for ever when no outcome reaches its reservation value.
                let u = self.utility(&self.max_bid);
                if u >= self.rv || u >= best {
                    break;
                }
            }
            if self.utility(&self.max_bid) == 1.0 {
                break;
            }
        }
    }

    /// `u(max bid with issue i set to v) - u(max bid)`.
    pub(super) fn relative_utilities(&self) -> Vec<Vec<f64>> {
        let top = self.utility(&self.max_bid);
        (0..self.space.issues().len())
            .map(|i| {
                (0..self.cardinality(i) as u32)
                    .map(|v| {
                        let mut o = self.max_bid.clone();
                        o[i] = v;
                        self.utility(&o) - top
                    })
                    .collect()
            })
            .collect()
    }

    /// The original's `getBid` (discrete issues): the search's outcome, or its best bid when
    /// that is below `threshold`.
    pub(super) fn bid(&mut self, base: Vec<u32>, threshold: f64) -> Vec<u32> {
        let bid = self.appropriate(base, threshold);
        if self.utility(&bid) < threshold || !self.feasible(&bid) {
            return self.max_bid.clone();
        }
        bid
    }

    /// The original's `getBidbyAppropriateSearch`.
    fn appropriate(&mut self, base: Vec<u32>, threshold: f64) -> Vec<u32> {
        let mut bid = base;
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

    /// From its best bid, issue by issue in a random order (its issue list shuffled in
    /// place), the first value (in a random order) whose loss keeps the total loss within
    /// `1 - threshold`.
    fn relative_search(&mut self, threshold: f64) -> Vec<u32> {
        let mut bid = self.max_bid.clone();
        let d = threshold - 1.0;
        let mut conceded = 0.0;
        self.shuffler.shuffle(&mut self.issues);
        for k in 0..self.issues.len() {
            let i = self.issues[k];
            let mut values: Vec<usize> = (0..self.relative[i].len()).collect();
            self.shuffler.shuffle(&mut values);
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

    /// The original's `SimulatedAnnealingSearch` (a new generator per call): moves one random
    /// issue to a random value, towards the utility `threshold`; keeps the lowest-utility
    /// outcomes at or above it and returns one of them at random (`base` when there is none).
    /// Every neighbour at least as good as its best bid becomes its best bid.
    fn annealing(&mut self, base: &[u32], threshold: f64) -> Vec<u32> {
        let mut rng = self.seeds.next_random();
        let mut current = base.to_vec();
        let mut current_u = self.utility(base);
        let mut targets: Vec<Vec<u32>> = Vec::new();
        let mut target_u = 0.0;
        let mut temperature = START_TEMPERATURE;
        let mut next = current.clone();
        while temperature > END_TEMPERATURE {
            next.copy_from_slice(&current);
            let issue = self.issues[rng.index(self.issues.len())];
            next[issue] = rng.index(self.cardinality(issue)) as u32;
            let next_u = self.utility(&next);
            // An infeasible neighbour is not a move (GENIUS's spaces have none).
            let feasible = self.feasible(&next);
            if feasible && next_u >= self.utility(&self.max_bid) {
                self.max_bid.copy_from_slice(&next);
            }
            let new_cost = (threshold - next_u).abs();
            let cost = (threshold - current_u).abs();
            let p = (-(new_cost - cost).abs() / temperature).exp();
            if feasible && (new_cost < cost || p > rng.next_double()) {
                std::mem::swap(&mut current, &mut next);
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
        let k = rng.index(targets.len());
        targets.swap_remove(k)
    }
}
