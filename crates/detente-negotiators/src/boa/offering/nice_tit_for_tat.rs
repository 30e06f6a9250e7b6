//! Nice Tit for Tat (Baarslag, Hindriks and Jonker, ANAC 2011): the offering strategy (GENIUS
//! `NiceTitForTat_Offering`, `NiceTitForTatSAS`).
//!
//! It reciprocates the opponent's concessions, measured in its own utility, towards the Nash
//! point its opponent model predicts. Each turn: the opponent's concession is the best utility
//! it has offered less the worst of its first bids (those before time 0.01; its first bid when
//! there are none); divided by the distance from those first bids to its own Nash utility, it
//! is the share of the way to the Nash point the opponent has come (at most 1), and its target
//! concedes that share of `1 - nash`. Near the deadline (from 0.91, or 0.85 in spaces of more
//! than 3,000 outcomes) or when the talks are discounted, a bonus takes part of the remaining
//! gap to the Nash utility away as well. Its own Nash utility is the Nash point of the Pareto
//! frontier of its utility against the model's estimate (spaces under 200,000 outcomes; 0.7
//! otherwise), scaled by `1.4 - 0.6 gap` (`gap`: one less the worst of the opponent's first
//! bids) and kept in `[0.5, 1]`. It bids, among the outcomes of utility in
//! `[0.98 target, target + 0.05]` (widened by 0.01 until it holds two), the one the
//! opponent-model strategy picks (without a model, its best), or the opponent's best offer
//! when that is at least as good for itself.

use detente_core::registry::Params;
use detente_core::{NegotiatorError, OutcomeId};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::oms::{OpponentModelStrategy, pick_among};
use crate::boa::space::OwnSpace;

/// The time before which the opponent's bids are its starting point.
const FIRST_BIDS: f64 = 0.01;

/// Nice Tit for Tat's offering strategy; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct NiceTitForTatOffering {
    nash: f64,
    initial_gap: f64,
    /// Each outcome's place in GENIUS's enumeration (`BidIterator`: the first issue fastest).
    rank: Vec<u64>,
}

impl NiceTitForTatOffering {
    /// Its registry entry, `nice-tit-for-tat`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "nice-tit-for-tat",
            "Nice Tit for Tat's offering (ANAC 2011): reciprocates the opponent's concessions \
             towards the Nash point its opponent model predicts",
            |_: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(NiceTitForTatOffering::default())
            },
        )
        .source(
            "Baarslag, Hindriks and Jonker, A tit for tat negotiation strategy for real-time \
             bilateral negotiations, ANAC 2011; GENIUS NiceTitForTat_Offering",
        )
    }

    /// The Nash utility it aims at (for tests).
    #[cfg(test)]
    pub(crate) fn nash_utility(&self) -> f64 {
        self.nash
    }

    /// GENIUS `updateMyNashUtility`: the own utility of the Nash point of the frontier of
    /// own utility against the models' estimate, scaled by the gap and kept in `[0.5, 1]`.
    fn update_nash(&mut self, cx: &Context<'_>) {
        let mut nash = 0.7;
        if cx.space.table().utilities.len() < 200_000
            && let Some(u) = nash_point(cx)
        {
            nash = u;
        }
        nash *= (1.4 - 0.6 * self.initial_gap).max(0.0);
        self.nash = nash.clamp(0.5, 1.0);
    }

    /// GENIUS `getBonus`: how much of the gap to the Nash utility it gives away now.
    fn bonus(cx: &Context<'_>) -> f64 {
        let d = cx.space.discount();
        let d = if d <= 0.0 || d >= 1.0 { 1.0 } else { d };
        let discount_bonus = 0.5 - 0.4 * d;
        let min_time = if cx.space.table().utilities.len() > 3000 {
            0.85
        } else {
            0.91
        };
        let time_bonus = if cx.time > min_time {
            (20.0 * (cx.time - min_time)).min(1.0)
        } else {
            0.0
        };
        discount_bonus.max(time_bonus).clamp(0.0, 1.0)
    }

    /// GENIUS `getBidsOfUtility`: the outcomes of utility in `[0.98 target, max]`, `max`
    /// starting at `target + 0.05` and raised by 0.01 until at least two (or, once `max`
    /// reaches 1, one) lie in it; in enumeration order (only the first two in spaces of more
    /// than 10,000 outcomes); the best outcome when none do.
    fn bids_of_utility(&self, space: &OwnSpace, target: f64) -> Vec<OutcomeId> {
        let target = if target > 1.0 { 1.0 } else { target };
        let min = target * 0.98;
        let mut max = target + 0.04;
        let big = space.table().utilities.len() > 10_000;
        loop {
            max += 0.01;
            let mut ids: Vec<OutcomeId> = space.band(min, max).map(|p| space.id_at(p)).collect();
            ids.sort_unstable_by_key(|&id| self.rank[id as usize]);
            if big {
                ids.truncate(2);
            }
            if ids.len() > 1 || (max >= 1.0 && !ids.is_empty()) {
                return ids;
            }
            // Java's `while (max <= 1)`: false for NaN, too.
            if max.partial_cmp(&1.0).is_none_or(|o| o.is_gt()) {
                return vec![space.id_at(0)];
            }
        }
    }
}

/// Java's `Math.min(1, x)`: NaN stays NaN (Rust's `f64::min` would give 1).
fn java_min_one(x: f64) -> f64 {
    if x.is_nan() { x } else { x.min(1.0) }
}

/// The Pareto frontier of (own utility, combined model estimate) over the feasible outcomes,
/// as GENIUS's `BidSpace` builds it against an opponent model's utility space: the points no
/// other point dominates strictly, one per distinct pair, by own utility from the best down.
pub(crate) fn estimated_frontier(cx: &Context<'_>) -> Vec<(f64, f64)> {
    let space = cx.space;
    let combined = cx.models.combined();
    let mut values = vec![0; space.n_issues()];
    let mut best_above = f64::NEG_INFINITY;
    let mut frontier = Vec::new();
    let mut pos = 0;
    // The table lists outcomes by own utility, best first: a group of equal own utility has
    // a frontier point when its best estimate beats every better group's.
    while pos < space.len() {
        let level = space.utility(space.id_at(pos));
        let mut group_max = f64::NEG_INFINITY;
        while pos < space.len() && space.utility(space.id_at(pos)) == level {
            space.decode(space.id_at(pos), &mut values);
            group_max = group_max.max(combined.estimate(&values));
            pos += 1;
        }
        if group_max > best_above {
            frontier.push((level, group_max));
            best_above = group_max;
        }
    }
    frontier
}

/// The own utility of the Nash point (GENIUS `BidSpace.getNash`): on the estimated frontier,
/// the point maximising `(u - reservation) * estimate` (the model's space has no reservation
/// value), the product above -1; among equal products, the lowest own utility (GENIUS's
/// frontier is sorted by it).
fn nash_point(cx: &Context<'_>) -> Option<f64> {
    let reservation = cx.space.reservation();
    let (mut best, mut best_product) = (None, -1.0);
    for (u, e) in estimated_frontier(cx) {
        let product = (u - reservation) * e;
        if product >= best_product && product > -1.0 {
            best_product = product;
            best = Some(u);
        }
    }
    best
}

impl OfferingStrategy for NiceTitForTatOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let space = setup.space;
        let cards = space.cardinalities();
        let n = space.table().utilities.len();
        let mut rank = vec![0u64; n];
        let mut values = vec![0; cards.len()];
        for (id, r) in rank.iter_mut().enumerate() {
            space.decode(id as OutcomeId, &mut values);
            let mut place = 0u64;
            for (&v, &c) in values.iter().zip(cards).rev() {
                place = place * u64::from(c) + u64::from(v);
            }
            *r = place;
        }
        // GENIUS creates a generator here (`random100`), drawn from only in its
        // equivalence-test mode: taken, to keep the order of the others.
        let _unused = setup.random();
        *self = NiceTitForTatOffering {
            nash: 0.0,
            initial_gap: 0.0,
            rank,
        };
        Ok(())
    }

    fn opening_bid(&mut self, cx: &Context<'_>, _: &mut dyn OpponentModelStrategy) -> Offering {
        Offering::Bid(cx.space.id_at(0))
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        let (Some(best), Some(first)) = (cx.history.best_received(), cx.history.received().first())
        else {
            return Offering::Bid(cx.space.id_at(0));
        };
        if cx.models.any() && oms.can_update(cx.time) {
            self.update_nash(cx);
        }
        let first_min = cx
            .history
            .received()
            .iter()
            .filter(|b| 0.0 < b.utility && b.utility <= 1.0 && 0.0 < b.time && b.time <= FIRST_BIDS)
            .map(|b| b.utility)
            .reduce(f64::min)
            .unwrap_or(first.utility);
        let concession = best.utility - first_min;
        let factor = java_min_one(concession / (self.nash - first_min));
        let mut target = 1.0 - factor * (1.0 - self.nash);
        self.initial_gap = 1.0 - first_min;
        let gap_to_nash = (target - self.nash).max(0.0);
        target -= Self::bonus(cx) * gap_to_nash;
        let bids = self.bids_of_utility(cx.space, target);
        let id = if cx.models.any() {
            let planned = pick_among(cx, oms, &bids);
            // Never offer less than the opponent already did (discounted alike, as GENIUS).
            let u = |id| cx.space.discounted(cx.space.utility(id), cx.time);
            if u(best.id) >= u(planned) {
                best.id
            } else {
                planned
            }
        } else {
            let mut top = bids[0];
            for &id in &bids {
                if cx.space.utility(id) > cx.space.utility(top) {
                    top = id;
                }
            }
            top
        };
        Offering::Bid(id)
    }
}
