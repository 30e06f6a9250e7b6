//! BRAMAgent (ANAC 2011): the offering strategy and the threshold it shares with its
//! acceptance condition (GENIUS `BRAMAgent_Offering`, `BRAMAgentSAS`).
//!
//! BRAMAgent keeps the opponent's last 10 bids and counts, per issue, how often each value
//! occurs in them. Until it has 10, it bids its best outcome. Then, on every turn, it builds
//! 10 bids by drawing each issue's value from those counts (a value is drawn as often as it
//! occurs among the 10) and bids the best of them when it beats its threshold. Otherwise it
//! falls back on a list of its own bids, drawn at random once (its best outcome and the
//! distinct outcomes of a fixed number of random draws, sorted best first), from which it
//! bids a random step (of `-4..=3`, or `-1..=1` in lists of at most 50) away from its last
//! listed bid, or repeats its last when that step falls below the threshold. The threshold
//! lies between its best outcome and the lowest on its list, the nearer the best the earlier:
//! 7% of the way down before time 1/3, 15% before 5/6, 30% before 35/36, 80% after.
//!
//! GENIUS draws the list for 2 seconds of wall-clock time; detente draws a fixed number of
//! times (`draws`), stopping early once every outcome is listed (the generator it draws from
//! serves nothing else, so stopping then changes no bid).

use std::collections::VecDeque;

use detente_core::registry::{ParamInfo, Params};
use detente_core::{NegotiatorError, OutcomeId};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::java_random::JavaRandom;
use crate::boa::oms::{OpponentModelStrategy, pick_near};
use crate::boa::space::OwnSpace;

/// How many of the opponent's last bids it counts values in.
const WINDOW: usize = 10;

/// How many bids it builds from the opponent's values per turn.
const TRIES: usize = 10;

/// What BRAMAgent's offering strategy shares with its acceptance condition (GENIUS
/// `BRAMAgentSAS`): its threshold as last computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BramAgentState {
    /// The threshold (discounted utility) its bids must reach, set on each of its turns.
    pub threshold: f64,
}

/// BRAMAgent's threshold at time `t` between the utilities `low` and `high` (undiscounted;
/// GENIUS `BRAMAgentSAS.getNewThreshold` discounts both to `t`).
pub fn threshold(space: &OwnSpace, t: f64, low: f64, high: f64) -> f64 {
    let (low, high) = (space.discounted(low, t), space.discounted(high, t));
    let share = if t < 60.0 / 180.0 {
        0.07
    } else if t < 150.0 / 180.0 {
        0.15
    } else if t < 175.0 / 180.0 {
        0.3
    } else {
        0.8
    };
    high - (high - low) * share
}

/// BRAMAgent's offering strategy; see the module docs.
#[derive(Debug, Clone)]
pub struct BramAgentOffering {
    draws: u32,
    best: OutcomeId,
    /// Its own bids: its best outcome, then (once drawn) the list sorted best first.
    list: Vec<OutcomeId>,
    /// The opponent's last bids, oldest first.
    window: VecDeque<OutcomeId>,
    /// Per issue, how often each value occurs in the window.
    counts: Vec<Vec<u32>>,
    last_position: usize,
    previous: OutcomeId,
    interval: i32,
    offset: i32,
    state: BramAgentState,
    from_opponent: JavaRandom,
    for_list: JavaRandom,
    step: JavaRandom,
    values: Vec<u32>,
}

impl BramAgentOffering {
    /// The strategy, drawing its list `draws` times.
    pub fn new(draws: u32) -> Self {
        BramAgentOffering {
            draws,
            best: 0,
            list: Vec::new(),
            window: VecDeque::new(),
            counts: Vec::new(),
            last_position: 0,
            previous: 0,
            interval: 8,
            offset: 4,
            state: BramAgentState { threshold: 1.0 },
            from_opponent: JavaRandom::new(0),
            for_list: JavaRandom::new(0),
            step: JavaRandom::new(0),
            values: Vec::new(),
        }
    }

    /// Its registry entry, `bram-agent`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "bram-agent",
            "BRAMAgent's offering (ANAC 2011): bids built from the values of the opponent's last \
             10 bids when they beat a stepped threshold, else random steps along a random list \
             of its own bids",
            |p: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(BramAgentOffering::new(p.get("draws") as u32))
            },
        )
        .param(ParamInfo::new(
            "draws",
            10_000.0,
            1.0,
            1e9,
            "random draws for its list of bids (GENIUS: as many as 2 seconds allow)",
        ))
        .source(
            "BRAMAgent (Ben-Gurion University), ANAC 2011; GENIUS BRAMAgent_Offering and \
             BRAMAgentSAS",
        )
    }

    /// Its list of bids (its best outcome alone before it is drawn), for tests.
    #[cfg(test)]
    pub(crate) fn listed(&self) -> &[OutcomeId] {
        &self.list
    }

    /// A bid drawn from value counts `counts` with generator `rng`, for tests.
    #[cfg(test)]
    pub(crate) fn drawn_from(
        counts: Vec<Vec<u32>>,
        rng: JavaRandom,
        space: &OwnSpace,
    ) -> OutcomeId {
        let mut b = BramAgentOffering::new(1);
        b.counts = counts;
        b.from_opponent = rng;
        b.window_bid(space)
    }

    /// Adds (or removes) a bid's values to (from) the counts.
    fn count(&mut self, space: &OwnSpace, id: OutcomeId, add: bool) {
        self.values.resize(space.n_issues(), 0);
        space.decode(id, &mut self.values);
        for (issue, &v) in self.values.iter().enumerate() {
            let c = &mut self.counts[issue][v as usize];
            if add {
                *c += 1;
            } else {
                *c -= 1;
            }
        }
    }

    /// A bid whose every value is drawn as often as it occurs in the window (GENIUS
    /// `createBidByOpponentModeling`; each issue's values in their order).
    fn window_bid(&mut self, space: &OwnSpace) -> OutcomeId {
        self.values.resize(space.n_issues(), 0);
        for (issue, slot) in self.values.iter_mut().enumerate() {
            let draw = self.from_opponent.next_int(WINDOW as i32) as u32;
            let mut upto = 0;
            for (v, &c) in self.counts[issue].iter().enumerate() {
                upto += c;
                if draw < upto {
                    *slot = v as u32;
                    break;
                }
            }
        }
        space.id(&self.values)
    }

    /// The best of 10 bids from the window when one beats the threshold, else a bid from its
    /// list (GENIUS `getBidToOffer`).
    fn bid_to_offer(&mut self, cx: &Context<'_>) -> OutcomeId {
        let mut best = self.state.threshold;
        let mut chosen = None;
        for _ in 0..TRIES {
            let id = self.window_bid(cx.space);
            if !cx.space.is_feasible(id) {
                continue;
            }
            let u = cx.space.discounted(cx.space.utility(id), cx.time);
            if u > best {
                best = u;
                chosen = Some(id);
            }
        }
        chosen.unwrap_or_else(|| self.list_bid(cx))
    }

    /// Draws the list: its best outcome and the distinct feasible outcomes of `draws` random
    /// draws (one value index per issue), sorted best first, equals in the order drawn
    /// (GENIUS `fillBidsArray` and its stable sort).
    fn draw_list(&mut self, space: &OwnSpace) {
        let mut seen = vec![false; space.table().utilities.len()];
        seen[self.best as usize] = true;
        let all = space.len();
        self.values.resize(space.n_issues(), 0);
        for _ in 0..self.draws {
            if self.list.len() >= all {
                break;
            }
            for (slot, &c) in self.values.iter_mut().zip(space.cardinalities()) {
                *slot = self.for_list.index(c as usize) as u32;
            }
            let id = space.id(&self.values);
            if space.is_feasible(id) && !seen[id as usize] {
                seen[id as usize] = true;
                self.list.push(id);
            }
        }
        self.list
            .sort_by(|&a, &b| space.utility(b).total_cmp(&space.utility(a)));
        if self.list.len() <= 50 {
            self.interval = 3;
            self.offset = 1;
        }
    }

    /// A random step along the list from its last listed bid; its previous bid when the step
    /// lands below the threshold (GENIUS `getBidFromBidsArray`,
    /// `selectCurrentBidFromOurBidsArray`). GENIUS also skips bids offered in more than a fifth
    /// of these choices, but compares integer quotients, which never exceed 0 there: no bid is
    /// ever skipped, so detente keeps no counts.
    fn list_bid(&mut self, cx: &Context<'_>) -> OutcomeId {
        if self.list.len() == 1 {
            self.draw_list(cx.space);
        }
        let step = i64::from(self.step.next_int(self.interval) - self.offset);
        let last = self.list.len() as i64 - 1;
        let pos = (self.last_position as i64 + step).clamp(0, last) as usize;
        let id = self.list[pos];
        if cx.space.discounted(cx.space.utility(id), cx.time) < self.state.threshold {
            return self.previous;
        }
        self.previous = id;
        self.last_position = pos;
        id
    }

    /// The lowest utility on its list (its best before the list is drawn).
    fn lowest_listed(&self, space: &OwnSpace) -> f64 {
        space.utility(*self.list.last().unwrap_or(&self.best))
    }
}

impl OfferingStrategy for BramAgentOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let space = setup.space;
        *self = BramAgentOffering::new(self.draws);
        self.best = space.id_at(0);
        self.list.push(self.best);
        self.previous = self.best;
        self.state.threshold = space.best();
        self.counts = space
            .cardinalities()
            .iter()
            .map(|&c| vec![0; c as usize])
            .collect();
        // GENIUS's order: random100, random200, random300.
        self.from_opponent = setup.random();
        self.for_list = setup.random();
        self.step = setup.random();
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        let space = cx.space;
        let best = space.utility(self.best);
        let lowest = self.lowest_listed(space);
        self.state.threshold = threshold(space, cx.time, lowest, best);
        let Some(last) = cx.history.last_received() else {
            return Offering::Bid(self.best);
        };
        if self.window.len() < WINDOW {
            self.window.push_back(last.id);
            self.count(space, last.id, true);
            return Offering::Bid(self.best);
        }
        if let Some(oldest) = self.window.pop_front() {
            self.count(space, oldest, false);
        }
        self.window.push_back(last.id);
        self.count(space, last.id, true);
        if !cx.models.any() {
            return Offering::Bid(self.bid_to_offer(cx));
        }
        // GENIUS reads the list's lowest before the bid is chosen (which may draw the list).
        let chosen = self.bid_to_offer(cx);
        self.state.threshold = threshold(space, cx.time, lowest, space.utility(chosen));
        Offering::Bid(pick_near(cx, oms, self.state.threshold))
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        Some(&self.state)
    }
}
