//! CUHKAgent (Jianye Hao and Ho-fung Leung, ANAC 2012 winner): the offering strategy (GENIUS
//! `CUHKAgent_Offering` with its `OpponentBidHistory`).
//!
//! It sorts its outcomes into 100 bins of 0.01 utility once. It bids its best outcome until
//! it has made a bid after one of the opponent's. Then, while more than 10 rounds are left,
//! it sets a threshold ([`Tracker::lowest_bid`]) and bids the opponent's best bid when that
//! reaches it, else one of the outcomes in the bins from the threshold's up to its best: the
//! one whose values the opponent offered most often (ties broken by a coin, and 5% of the
//! time any of them; at most 200 of them, drawn at random, are compared), or with an opponent
//! model the opponent-model strategy's pick. In its last rounds (after time 0.9985, fewer than
//! 5 rounds left) it bids the opponent's best bid, or, when that is worth less than 0.85 to
//! it and more than one round is left, such a pick among its outcomes worth 0.02 to 0.15
//! less than its best.
//!
//! GENIUS estimates the rounds left from the wall-clock time its turns and the opponent's
//! took; detente counts rounds ([`RoundClock`]), as GENIUS does on a round-based timeline.

use detente_core::registry::Params;
use detente_core::{NegotiatorError, OutcomeId};

use super::cuhk_state::{RoundClock, Tracker};
use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::java_random::{JavaRandom, Seeds};
use crate::boa::oms::{OpponentModelStrategy, pick_among};
use crate::boa::space::OwnSpace;

pub use super::cuhk_state::CuhkAgentState;

/// The width of its bins of utility.
const BIN: f64 = 0.01;

/// Above this many outcomes it fills its bins with random draws (`RANDOM_DRAWS + 1` of them).
const ENUMERATED: usize = 20_000;
const RANDOM_DRAWS: usize = 20_000;

/// The most candidates it compares (drawn at random from more).
const COMPARED: usize = 200;

/// CUHKAgent's offering strategy; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct CuhkAgentOffering {
    best: OutcomeId,
    bins: Vec<Vec<OutcomeId>>,
    tracker: Option<Tracker>,
    clock: RoundClock,
    seeds: Option<Seeds>,
}

impl CuhkAgentOffering {
    /// Its registry entry, `cuhk-agent`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "cuhk-agent",
            "CUHKAgent's offering (ANAC 2012 winner): a threshold that concedes towards the \
             discount, later against a tough opponent; bids in 0.01 bins above it, the one whose \
             values the opponent offered most",
            |_: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(CuhkAgentOffering::default())
            },
        )
        .source(
            "Hao and Leung, CUHKAgent: an adaptive negotiation strategy for bilateral \
             negotiations over multiple items, ANAC 2012 (winner); GENIUS CUHKAgent_Offering \
             and its OpponentBidHistory",
        )
    }

    /// The outcomes of its bins `i` with `i` from `lower / 0.01` up to (not including)
    /// `upper / 0.01`, in order; its best outcome when they hold none (GENIUS
    /// `getBidsBetweenUtility`).
    pub(crate) fn between(&self, lower: f64, upper: f64) -> Vec<OutcomeId> {
        let to = ((upper / BIN) as i32).clamp(0, self.bins.len() as i32) as usize;
        let from = ((lower / BIN) as i32).max(0) as usize;
        let mut out: Vec<OutcomeId> = self.bins[from.min(to)..to].concat();
        if out.is_empty() {
            out.push(self.best);
        }
        out
    }

    fn tracker(&mut self) -> &mut Tracker {
        self.tracker.as_mut().expect(crate::common::NOT_INITIALISED)
    }

    /// The bid while rounds are left (GENIUS `BidToOffer`).
    fn bid_to_offer(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> OutcomeId {
        let space = cx.space;
        let tracker = self.tracker();
        let lowest = tracker.lowest_bid(cx.time);
        let (threshold, max) = (tracker.state.threshold, tracker.state.max_utility);
        let best_offered = tracker.history.best().expect("an offer was received");
        let u = space.utility(best_offered);
        if u >= threshold || u >= lowest {
            return best_offered;
        }
        let candidates = self.between(lowest, max);
        self.choose(cx, oms, candidates)
    }

    /// The bid of its last rounds (after time 0.9985, fewer than 5 rounds left).
    fn last_chance(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> OutcomeId {
        let tracker = self.tracker();
        let best_offered = tracker.history.best().expect("an offer was received");
        let max = tracker.state.max_utility;
        if cx.space.utility(best_offered) >= 0.85 {
            return best_offered;
        }
        let candidates = self.between(max - 0.15, max - 0.02);
        if self.clock.rounds_left(cx, true) < 2 {
            return best_offered;
        }
        self.choose(cx, oms, candidates)
    }

    /// GENIUS `ChooseBid`: among the candidates (200 drawn at random when there are that
    /// many), the opponent-model strategy's pick with a model; without, the one whose values
    /// the opponent offered most (a coin decides each tie as it comes, the first included),
    /// and with chance 5% (or when the coins dropped them all) a random one. Its generator is
    /// new on every call, as in GENIUS.
    fn choose(
        &mut self,
        cx: &Context<'_>,
        oms: &mut dyn OpponentModelStrategy,
        mut candidates: Vec<OutcomeId>,
    ) -> OutcomeId {
        let seeds = self.seeds.as_ref().expect(crate::common::NOT_INITIALISED);
        let mut rng = seeds.next_random();
        if candidates.len() >= COMPARED {
            candidates = (0..COMPARED)
                .map(|_| candidates[rng.index(candidates.len())])
                .collect();
        }
        if cx.models.any() {
            return pick_among(cx, oms, &candidates);
        }
        let history = &mut self.tracker().history;
        let (mut most, mut chosen) = (0.0, None);
        for (i, &id) in candidates.iter().enumerate() {
            let f = history.frequency(cx.space, id);
            if f > most || (f == most && rng.next_double() < 0.5) {
                most = f;
                chosen = Some(i);
            }
        }
        match chosen {
            Some(i) if rng.next_double() < 0.95 => candidates[i],
            _ => candidates[rng.index(candidates.len())],
        }
    }

    /// Its bid after the opponent's bids began (the three cases of GENIUS
    /// `determineNextBid`).
    fn respond(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> OutcomeId {
        if self.clock.rounds_left(cx, true) > 10 {
            return self.bid_to_offer(cx, oms);
        }
        if cx.time > 0.9985 && self.clock.rounds_left(cx, true) < 5 {
            return self.last_chance(cx, oms);
        }
        self.bid_to_offer(cx, oms)
    }
}

/// GENIUS `calculateBidsBetweenUtility`: bin `i` (of `best / 0.01`) holds the outcomes of
/// utility in `[0.01 i, 0.01 (i + 1)]` (the lower bin on a boundary), in GENIUS's
/// enumeration order (the first issue fastest), or, above 20,000 outcomes, the feasible ones
/// of 20,001 random draws (repeats kept); the best outcome is put in the top bin first.
fn fill_bins(space: &OwnSpace, best: OutcomeId, random: &mut JavaRandom) -> Vec<Vec<OutcomeId>> {
    let n = (space.best() / BIN) as i32;
    if n <= 0 {
        return Vec::new();
    }
    let mut bins = vec![Vec::new(); n as usize];
    bins[n as usize - 1].push(best);
    let mut put = |id: OutcomeId| {
        let u = space.utility(id);
        let start = ((u / BIN) as i64 - 2).max(0) as usize;
        let bin = (start..n as usize).find(|&i| u <= (i + 1) as f64 * BIN && u >= i as f64 * BIN);
        if let Some(i) = bin {
            bins[i].push(id);
        }
    };
    let cards = space.cardinalities();
    let mut values = vec![0u32; cards.len()];
    if space.table().utilities.len() < ENUMERATED {
        for _ in 0..space.table().utilities.len() {
            let id = space.id(&values);
            if space.is_feasible(id) {
                put(id);
            }
            for (v, &c) in values.iter_mut().zip(cards) {
                *v += 1;
                if *v < c {
                    break;
                }
                *v = 0;
            }
        }
    } else {
        for _ in 0..=RANDOM_DRAWS {
            for (v, &c) in values.iter_mut().zip(cards) {
                *v = random.index(c as usize) as u32;
            }
            let id = space.id(&values);
            if space.is_feasible(id) {
                put(id);
            }
        }
    }
    bins
}

impl OfferingStrategy for CuhkAgentOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let space = setup.space;
        // GENIUS's order: the agent's generator (for its bins), then one per `ChooseBid`.
        let mut random = setup.random();
        let best = space.id_at(0);
        *self = CuhkAgentOffering {
            best,
            bins: fill_bins(space, best, &mut random),
            tracker: Some(Tracker::new(setup)),
            clock: RoundClock::new(setup.info.deadline),
            seeds: Some(setup.seeds.clone()),
        };
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        self.clock.start(cx);
        let id = match cx.history.last_received() {
            None => self.best,
            Some(last) => {
                self.tracker().observe(cx.space, last.id);
                if cx.history.sent().is_empty() {
                    self.best
                } else {
                    self.respond(cx, oms)
                }
            }
        };
        self.clock.end(cx);
        Offering::Bid(id)
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        self.tracker
            .as_ref()
            .map(|t| &t.state as &dyn std::any::Any)
    }
}

#[cfg(test)]
#[path = "cuhk_tests.rs"]
mod tests;
