//! ParsAgent's bids: its best bid with one issue redrawn, the "nearest neighbour" of the bids
//! the others accepted, and the bid of the mutual issues.

use detente_core::Outcome;

use super::ParsState;
use super::model::mutual_issues;

/// The original's `getNNBid` fails on a null entry of its accepted-bid list (module docs of
/// `mod.rs`): the caller falls back to its best bid.
pub(super) struct NullEntry;

impl ParsState {
    /// The original's `chooseWorstIssue`: an issue number (from 1) drawn by inverse weight,
    /// summed from the last issue; the lowest-weight issue when the draw passes the sum.
    fn choose_worst_issue(&mut self) -> usize {
        let random = self.math.next_double() * 100.0;
        let (mut sum, mut min_at, mut min) = (0.0, 1, 1.0);
        for i in (1..=self.weights.len()).rev() {
            let w = self.weights[i - 1];
            sum += 1.0 / w;
            if w < min {
                min = w;
                min_at = i;
            }
            if sum > random {
                return i;
            }
        }
        min_at
    }

    /// The original's `chooseBestIssue`: an issue number (from 1) drawn by weight, summed from
    /// the last issue; 0 (no issue) when the draw passes the sum.
    fn choose_best_issue(&mut self) -> usize {
        let random = self.math.next_double();
        let mut sum = 0.0;
        for i in (1..=self.weights.len()).rev() {
            sum += self.weights[i - 1];
            if sum > random {
                return i;
            }
        }
        0
    }

    /// `bid` with issue `issue` (from 0) set to a value drawn from the party's generator (the
    /// original's `getRandomValue`).
    fn redraw(&mut self, bid: &Outcome, issue: usize) -> Outcome {
        let mut o = bid.clone();
        o.0[issue] = self.rand.index(self.cards[issue]) as u32;
        o
    }

    /// Whether `o` is feasible and worth more than `target` to it.
    fn beats(&self, o: &Outcome, target: f64) -> bool {
        self.space.is_feasible(&o.0) && self.own.utility(o) > target
    }

    /// The original's `getMybestBid(max bid)`: its best bid with the "worst issue" redrawn,
    /// until the bid beats the target, at most `draws` times (the original: until its
    /// millisecond clock ticks); else the last draw. Without a target (no offer received yet:
    /// the original's target throws) the first draw.
    pub(super) fn my_best_bid(&mut self, target: Option<f64>) -> Outcome {
        let index = self.choose_worst_issue();
        let best = self.best.clone();
        let mut bid = best.clone();
        for _ in 0..self.draws.max(1) {
            bid = self.redraw(&best, index - 1);
            match target {
                None => return bid,
                Some(t) if self.beats(&bid, t) => return bid,
                Some(_) => {}
            }
        }
        bid
    }

    /// The original's `getNNBid`: `n` times (`n` issues) an issue drawn by weight is redrawn
    /// in each bid the others accepted, in list order; the best such bid beating the target.
    fn nn_bid(&mut self, target: f64) -> Result<Option<Outcome>, NullEntry> {
        let (mut max_bid, mut max_u) = (None, 0.0);
        for _ in 0..self.weights.len() {
            let bi = self.choose_best_issue();
            if self.null_entry {
                return Err(NullEntry);
            }
            for k in 0..self.accepted.len() {
                if bi == 0 {
                    continue; // the original's issues.get(-1) throws, caught per bid
                }
                let bid = self.redraw(&self.accepted[k].0.clone(), bi - 1);
                let u = self.own.utility(&bid);
                if self.space.is_feasible(&bid.0) && u > target && u > max_u {
                    max_u = u;
                    max_bid = Some(bid);
                }
            }
        }
        Ok(max_bid)
    }

    /// The original's `offerMyNewBid`.
    pub(super) fn new_bid(&mut self, target: f64) -> Result<Outcome, NullEntry> {
        let nn = if self.accepted.is_empty() && !self.null_entry {
            None
        } else {
            self.nn_bid(target)?
        };
        if let Some(b) = nn
            && self.own.utility(&b) >= target
        {
            return Ok(b);
        }
        let listed = self.accepted.len();
        let mutual = mutual_issues(&mut self.opp_a, &mut self.opp_b, listed);
        let values = mutual
            .iter()
            .enumerate()
            .map(|(i, m)| m.unwrap_or(self.my_best_value[i]))
            .collect();
        let bid = Outcome(values);
        if self.beats(&bid, target) {
            return Ok(bid);
        }
        Ok(self.my_best_bid(Some(target)))
    }
}
