//! AgentLG (ANAC 2012): the offering strategy (GENIUS `AgentLG_Offering`,
//! `AgentLGSAS`, and the original agent's `OpponentBids`, `BidStatistic`).
//!
//! It counts the values the opponent offers (an opponent utility: the sum over issues of a
//! value's count over the most frequent count) and lists the outcomes worth at least
//! `best - 0.75 (best - u(opponent's first bid))` to itself (and its reservation value), best
//! first. Before time 0.6 it cycles through the first `n + 1` of them (starting with `n = 0`),
//! and after each 0.1 of time, while the next listed outcome is still above a quarter of the
//! gap to the opponent's first bid, it widens `n` (as GENIUS's BOA class does: to the whole
//! list, see the docs). From 0.6 it walks down the list; each time it runs past `n` it starts
//! again from the top, and every 0.05 of time, when the opponent has offered something better
//! for it (or the talks are discounted and 0.1 passed), widens `n` to the first outcome the
//! opponent is estimated to like at least as much as any of the first `n + 1`; from 0.9 it
//! stays near the end of the range while it is above the average of its best and the
//! opponent's first offer, else narrows `n` to the opponent's favourite in it. From 0.9995 it
//! offers the opponent's best offer (if above its reservation value). Once it has offered one
//! of the opponent's own bids, it repeats its last bid.

use detente_core::registry::Params;
use detente_core::{NegotiatorError, OutcomeId};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::oms::{OpponentModelStrategy, pick_near};

/// The shared state AgentLG's acceptance condition reads: the utility of the lowest outcome
/// it is prepared to offer now (GENIUS `getMyBidsMinUtility`, undiscounted).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgentLgState {
    /// The undiscounted utility of the last outcome of its current range.
    pub min_utility: Option<f64>,
}

/// AgentLG's offering strategy; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct AgentLgOffering {
    /// The opponent's bids, every one received (GENIUS `OpponentBids`).
    opponent: Vec<OutcomeId>,
    /// How often the opponent offered each value, by issue.
    counts: Vec<Vec<u32>>,
    /// The opponent's bid of highest utility for itself (the first among equals).
    best_for_me: Option<OutcomeId>,
    /// The listed outcomes, best first (once the opponent has bid).
    listed: Option<Vec<OutcomeId>>,
    range_end: usize,
    index: usize,
    last_time: f64,
    last_best_for_me: Option<OutcomeId>,
    repeat_last: bool,
    values: Vec<u32>,
    shared: Option<AgentLgState>,
}

impl AgentLgOffering {
    /// Its registry entry, `agent-lg`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "agent-lg",
            "AgentLG's offering (ANAC 2012): cycles through its best outcomes, widening the \
             range by the opponent's value frequencies as time passes",
            |_: &Params<'_>| -> Box<dyn OfferingStrategy> { Box::new(AgentLgOffering::default()) },
        )
        .source("AgentLG, ANAC 2012; GENIUS AgentLG_Offering and AgentLGSAS")
    }

    /// Records a bid of the opponent (GENIUS `OpponentBids.addBid`).
    fn learn(&mut self, cx: &Context<'_>, id: OutcomeId) {
        self.opponent.push(id);
        cx.space.decode(id, &mut self.values);
        for (c, &v) in self.counts.iter_mut().zip(&self.values) {
            c[v as usize] += 1;
        }
        match self.best_for_me {
            Some(b) if cx.space.utility(b) >= cx.space.utility(id) => {}
            _ => self.best_for_me = Some(id),
        }
    }

    /// The opponent's estimated utility of an outcome (GENIUS `getOpponentBidUtility`).
    fn opponent_utility(&mut self, cx: &Context<'_>, id: OutcomeId) -> f64 {
        cx.space.decode(id, &mut self.values);
        let mut u = 0.0;
        for (c, &v) in self.counts.iter().zip(&self.values) {
            let n = c[v as usize];
            if n > 0 {
                let most = *c.iter().max().expect("an issue has values");
                u += f64::from(n) / f64::from(most);
            }
        }
        u
    }

    /// GENIUS `initBids`: the outcomes above the bound (the fraction of the gap to the
    /// opponent's first bid shrinking by 0.85 while 160,000 or more remain) and the
    /// reservation value, best first (in enumeration order among equals).
    fn list(&mut self, cx: &Context<'_>) -> &Vec<OutcomeId> {
        if self.listed.is_none() {
            let space = cx.space;
            let best = space.best();
            let first = space.utility(self.opponent[0]);
            let reservation = space.reservation();
            let mut ids: Vec<OutcomeId> = (0..space.len()).map(|p| space.id_at(p)).collect();
            let mut fraction = 0.75;
            loop {
                let bound = best - (best - first) * fraction;
                ids.retain(|&id| {
                    let u = space.utility(id);
                    !(u < bound || u < reservation)
                });
                if ids.len() < 160_000 {
                    break;
                }
                fraction *= 0.85;
            }
            // The table lists ties by id already; keep that order (a stable sort).
            ids.sort_by(|&a, &b| space.utility(b).total_cmp(&space.utility(a)));
            self.listed = Some(ids);
        }
        self.listed.as_ref().expect("set above")
    }

    /// GENIUS `getNextOptimicalBid` (before time 0.6).
    fn early_bid(&mut self, cx: &Context<'_>) -> Option<OutcomeId> {
        let t = cx.time;
        let d = |u: f64, t: f64| cx.space.discounted(u, t);
        let listed = self.list(cx).clone();
        let current = *listed.get(self.index)?;
        self.index += 1;
        let my_best = d(cx.space.best(), t);
        let opp_best = d(cx.space.utility(self.opponent[0]), t);
        let bound = my_best - (my_best - opp_best) / 4.0;
        let end = self.range_end;
        if t - self.last_time > 0.1
            && end + 1 < listed.len()
            && bound <= d(cx.space.utility(listed[end + 1]), t)
        {
            let future = d(cx.space.utility(listed[end]), t + 0.1);
            while d(cx.space.utility(listed[self.range_end]), t) >= future
                && self.range_end + 1 < listed.len()
            {
                self.range_end += 1;
            }
            self.last_time = t;
        }
        if self.index > self.range_end {
            self.index = 0;
        }
        self.last_best_for_me = self.best_for_me;
        Some(current)
    }

    /// GENIUS `getNextBid` (from time 0.6); `None` when the list was never built (GENIUS
    /// then fails and accepts).
    fn late_bid(&mut self, cx: &Context<'_>) -> Option<OutcomeId> {
        let t = cx.time;
        let listed = self.listed.clone()?;
        let current = *listed.get(self.index)?;
        self.index += 1;
        if self.index <= self.range_end {
            return Some(current);
        }
        let u = |id: OutcomeId| cx.space.utility(id);
        if t >= 0.9 {
            if t - self.last_time <= 0.008 {
                self.index = 0;
            } else if self.index >= listed.len() {
                self.index = listed.len() - 1;
            } else if u(listed[self.index]) < (cx.space.best() + u(self.opponent[0])) / 2.0 {
                self.index -= 1;
                let (mut top, mut top_at) = (0.0, self.range_end);
                for (i, &id) in listed
                    .iter()
                    .enumerate()
                    .take(self.index + 1)
                    .skip(self.range_end)
                {
                    let o = self.opponent_utility(cx, id);
                    if o > top {
                        (top, top_at) = (o, i);
                    }
                }
                self.range_end = top_at;
            } else {
                self.index -= 1;
            }
            return Some(current);
        }
        self.index = 0;
        let discount = cx.space.discount();
        let discounted = discount > 0.0 && discount < 1.0;
        // Without a previous best (never, once it has bid before 0.6) GENIUS fails here and
        // keeps its range.
        if let (Some(b), Some(l)) = (self.best_for_me, self.last_best_for_me)
            && t - self.last_time > 0.05
            && (u(b) > u(l) || (discounted && t - self.last_time > 0.1))
        {
            let mut top = 0.0;
            for &id in &listed[..=self.range_end] {
                top = f64::max(top, self.opponent_utility(cx, id));
            }
            for (i, &id) in listed.iter().enumerate().skip(self.range_end + 1) {
                if self.opponent_utility(cx, id) >= top {
                    self.range_end = i;
                    break;
                }
            }
            self.last_best_for_me = self.best_for_me;
            self.last_time = t;
        }
        Some(current)
    }
}

impl OfferingStrategy for AgentLgOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let cards = setup.space.cardinalities();
        *self = AgentLgOffering {
            counts: cards.iter().map(|&c| vec![0; c as usize]).collect(),
            values: vec![0; cards.len()],
            ..AgentLgOffering::default()
        };
        Ok(())
    }

    fn opening_bid(&mut self, cx: &Context<'_>, _: &mut dyn OpponentModelStrategy) -> Offering {
        if let Some(last) = cx.history.last_received() {
            self.learn(cx, last.id);
        }
        Offering::Bid(cx.space.id_at(0))
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        let Some(last) = cx.history.last_received() else {
            return Offering::Accept;
        };
        self.learn(cx, last.id);
        let t = cx.time;
        let chosen = if self.repeat_last {
            cx.history.last_sent().map(|b| b.id)
        } else if t < 0.6 {
            self.early_bid(cx)
        } else if t >= 0.9995 {
            let best = cx.history.best_received().expect("one received").id;
            let d = |u: f64| cx.space.discounted(u, t);
            if d(cx.space.utility(best)) < d(cx.space.reservation()) {
                let end = self.range_end;
                self.list(cx).get(end).copied()
            } else {
                Some(best)
            }
        } else {
            self.late_bid(cx)
        };
        let Some(mut id) = chosen else {
            return Offering::Accept;
        };
        if cx.models.any() && !self.repeat_last && t < 0.9995 {
            id = pick_near(cx, oms, cx.space.utility(id));
        }
        if self.opponent.contains(&id) {
            self.repeat_last = true;
        }
        self.shared = Some(AgentLgState {
            min_utility: self
                .listed
                .as_ref()
                .and_then(|l| l.get(self.range_end))
                .map(|&x| cx.space.utility(x)),
        });
        Offering::Bid(id)
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        self.shared.as_ref().map(|s| s as &dyn std::any::Any)
    }
}
