//! RandomDance's weights, target and bid search.

use detente_core::{Outcome, OutcomeSpace};

use super::{DanceState, TARGET_CHECKS};
use crate::common::Own;

impl DanceState {
    /// The original's `getWeights`: the opponents' weights, by `players` index.
    pub(super) fn weights(&mut self) -> Vec<f64> {
        let mut w = vec![1.0; self.players.len()];
        match (self.math.next_double() * 3.0) as i32 {
            0 => {
                w.fill(0.0001);
                for &k in &self.nash {
                    w[k] += 1.0;
                }
            }
            2 => {
                let mut flag = self.math.next_double() < 0.5;
                for &k in &self.order {
                    w[k] = if flag { 1.0 } else { 0.01 };
                    flag = !flag;
                }
            }
            _ => {}
        }
        w
    }

    /// The original's `GetTarget`.
    pub(super) fn target(&mut self, t: f64) -> f64 {
        let mut max: f64 = 0.0;
        for _ in 0..TARGET_CHECKS {
            let pick = self.draw_models();
            let bid = self.search_with_weights(&pick, |_| 1.0);
            max = max.max(self.own.utility(&bid));
        }
        if self.df > 0.99 {
            1.0 - (1.0 - max) * t.powf(3.0)
        } else {
            1.0 - (1.0 - max) * t.powf(self.df)
        }
    }

    /// The original's `SearchBidWithWeights`: a random bid (whose draws are the only trace
    /// it leaves), every issue then set to the value of greatest weighted score summed over
    /// the parties in the original's key order (the first of equals).
    fn search_with_weights(
        &mut self,
        pick: &[usize],
        weight: impl Fn(Option<usize>) -> f64,
    ) -> Outcome {
        let mut bid: Vec<u32> = (0..self.cards.len())
            .map(|i| self.rand.index(self.cards[i]) as u32)
            .collect();
        for (i, slot) in bid.iter_mut().enumerate() {
            let mut max = -1.0;
            for v in 0..self.cards[i] {
                let mut sum = 0.0;
                for &p in &self.order_my {
                    sum += self.model(pick, p).value(i, v) * weight(p);
                }
                if sum > max {
                    max = sum;
                    *slot = v as u32;
                }
            }
        }
        Outcome(bid)
    }

    /// The original's `SearchBid`: its own weight `w / (1 - w)` for `w = 0, 0.01, ...` below
    /// 9.999 (past `w = 1` the weight turns negative), the opponents' weights scaled to sum
    /// to 1, until the bid is worth more than the target; else its best outcome.
    pub(super) fn search_bid(&mut self, target: f64, pick: &[usize], weights: &[f64]) -> Outcome {
        let sum = self.order.iter().fold(0.0, |acc, &k| acc + weights[k]);
        let scaled: Vec<f64> = weights.iter().map(|w| w / sum).collect();
        let mut w = 0.0;
        while w < 9.999 {
            let mine = w / (1.0 - w);
            let bid = self.search_with_weights(pick, |p| p.map_or(mine, |k| scaled[k]));
            if self.space.is_feasible(&bid.0) && self.own.utility(&bid) > target {
                return bid;
            }
            w += 0.01;
        }
        self.best.clone()
    }
}

/// GENIUS's `getMinUtilityBid`: the first outcome of least utility in the order of its
/// `BidIterator` (the first issue varying fastest).
pub(super) fn genius_worst(own: &Own, space: &OutcomeSpace, cards: &[usize]) -> Outcome {
    let n = own.table.sorted.len();
    let low = own.sorted_utility(n - 1);
    let mut worst: Option<Vec<u32>> = None;
    let mut pos = n;
    while pos > 0 && own.sorted_utility(pos - 1) == low {
        pos -= 1;
        let mut id = own.table.order[pos];
        let mut o = vec![0u32; cards.len()];
        for (slot, &c) in o.iter_mut().zip(cards).rev() {
            *slot = (id % c as u64) as u32;
            id /= c as u64;
        }
        if space.is_feasible(&o)
            && worst
                .as_ref()
                .is_none_or(|w| o.iter().rev().lt(w.iter().rev()))
        {
            worst = Some(o);
        }
    }
    Outcome(worst.expect("a feasible outcome"))
}
