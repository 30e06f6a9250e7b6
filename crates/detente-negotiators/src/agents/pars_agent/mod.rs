//! ParsAgent (Zahra Khosravimehr, Faria Nassiri-Mofakham), ANAC 2015 (multilateral SAOP,
//! GENIUS `agents.anac.y2015.ParsAgent.ParsAgent`), a member of Caduceus (ANAC 2016).
//!
//! Split by phase: this file holds the negotiator (what it remembers of the others' actions,
//! its target and its decision); [`model`] the value counts and mutual issues; [`bids`] its
//! bids.

mod bids;
mod model;

use detente_core::{
    Action, IssueKind, Negotiator, NegotiatorError, Outcome, OutcomeSpace, SessionInfo, State,
    Utility,
};

use crate::boa::{JavaRandom, Seeds};
use crate::common::{NOT_INITIALISED, Own};
use crate::registry::{KindEntry, ParamInfo};

use model::OpponentCounts;
pub(crate) use model::java_string_hash;

/// The default number of draws of its best-bid search (the original's wall-clock budget).
pub(crate) const DEFAULT_DRAWS: u32 = 200;

/// ParsAgent: a time-dependent target `max(0.7, 1 - t^(1/e))` (`e = 0.15`, or `0.2` when it
/// sees that the offers it receives are discounted), accepting any offer worth more; bids
/// built from the bids other parties accepted, from the values its two first opponents both
/// offer most, or from its best bid with one issue redrawn.
///
/// - **accept** the last offer received when it is worth more than the target.
/// - **first bid** (no offer received yet): its best bid with the "worst issue" (drawn by
///   inverse weight) set to a random value.
/// - **bid**: (1) the bids the others accepted, each with an issue drawn by weight set to a
///   random value, `n` times (`n` issues): the best of those beating the target; else (2) per
///   issue the value both opponents offered most (GENIUS's counting order breaks ties), the
///   first value of the issue where they disagree, if that beats the target; else (3) its best
///   bid with the worst issue redrawn until it beats the target (at most `draws` times).
///   After an offer (not an accept), a bid (3) that missed the target is drawn again.
///
/// Its random choices come from two `java.util.Random`s ([`Seeds`] of the negotiator's seed):
/// the first is the party's `rand` (the values drawn), the second stands for `Math.random()`
/// (the issues drawn). It needs a linear additive utility (the original reads issue weights).
#[derive(Debug, Clone)]
pub struct ParsAgent {
    draws: u32,
    state: Option<ParsState>,
}

#[derive(Debug, Clone)]
struct ParsState {
    own: Own,
    space: OutcomeSpace,
    party: usize,
    discount: f64,
    /// `1 / (deadline + 1)`: GENIUS's `DiscreteTimeline` offset of its target.
    offset: f64,
    draws: u32,
    weights: Vec<f64>,
    cards: Vec<usize>,
    /// Java hash codes of every value (of its name).
    hashes: Vec<Vec<i32>>,
    /// GENIUS's `getMaxUtilityBid` (the first best outcome, the first issue varying fastest).
    best: Outcome,
    /// The original's `MyBestValue` per issue.
    my_best_value: Vec<u32>,
    rand: JavaRandom,
    math: JavaRandom,
    /// Whether the offers it receives are discounted; `None` before the first offer.
    with_discount: Option<bool>,
    last_bid: Option<Outcome>,
    last_was_accept: bool,
    /// The first two opponents to offer, and their counts.
    names: [Option<usize>; 2],
    opp_a: OpponentCounts,
    opp_b: OpponentCounts,
    /// The bids others accepted, with their utility, in the original's list order.
    accepted: Vec<(Outcome, f64)>,
    /// Whether that list holds the original's null entry: an accept seen before any offer.
    null_entry: bool,
}

impl Default for ParsAgent {
    fn default() -> Self {
        Self::new(DEFAULT_DRAWS)
    }
}

impl ParsAgent {
    /// A ParsAgent whose best-bid search draws at most `draws` times a turn (the original
    /// draws until its millisecond clock ticks); `ParsAgent::default()` draws at most 200
    /// times, the registry's default.
    pub fn new(draws: u32) -> Self {
        ParsAgent { draws, state: None }
    }

    /// Its registry entry, `pars-agent`.
    pub fn entry() -> KindEntry {
        KindEntry::new(
            "pars-agent",
            "ParsAgent (ANAC 2015, Caduceus member): Boulware target max(0.7, 1 - t^(1/e)); \
             bids from the bids others accepted, the values its opponents both offer most, or \
             its best bid with one issue redrawn",
            |p| Box::new(ParsAgent::new(p.get("draws") as u32)),
        )
        .param(ParamInfo::new(
            "draws",
            f64::from(DEFAULT_DRAWS),
            1.0,
            1e6,
            "draws of its best-bid search per call (the original's budget is wall-clock: until \
             its millisecond clock ticks)",
        ))
        .source(
            "Khosravimehr and Nassiri-Mofakham, ParsAgent, ANAC 2015 (GENIUS \
             agents.anac.y2015.ParsAgent)",
        )
    }
}

impl ParsState {
    /// The original's `getMyutility`: `None` while it cannot tell whether it is discounted
    /// (the original's `getE` throws then).
    fn target(&self, t: f64) -> Option<f64> {
        let e = if self.with_discount? { 0.20 } else { 0.15 };
        let target = 1.0 - (t - self.offset).max(0.0).powf(1.0 / e);
        Some(if target < 0.7 { 0.7 } else { target })
    }

    /// The original's `addBidToList`: inserted after the last entry worth at most as much
    /// (unless that part holds the bid already).
    fn add_accepted(&mut self, bid: Outcome) {
        let u = self.own.utility(&bid);
        let mut index = self.accepted.len();
        for (i, (b, v)) in self.accepted.iter().enumerate() {
            if *v <= u {
                if *b == bid {
                    return;
                }
                index = i;
            }
        }
        self.accepted.insert(index, (bid, u));
    }

    fn observe_offer(&mut self, party: usize, bid: &Outcome, t: f64) {
        let discount = self.discount;
        if self.with_discount.is_none() {
            let u = self.own.utility(bid);
            let discounted = if discount > 0.0 && discount < 1.0 {
                u * discount.powf(t.clamp(0.0, 1.0))
            } else {
                u
            };
            self.with_discount = Some(discounted != u);
        }
        if self.names[0].is_none() {
            self.names[0] = Some(party);
        } else if self.names[0] != Some(party) && self.names[1].is_none() {
            self.names[1] = Some(party);
        }
        let counts = if self.names[0] == Some(party) {
            &mut self.opp_a
        } else {
            &mut self.opp_b
        };
        counts.count(&bid.0, &self.hashes);
        self.last_bid = Some(bid.clone());
    }

    fn observe_accept(&mut self) {
        assert!(
            !self.null_entry,
            "ParsAgent fails as the original does: its list of accepted bids starts with a \
             null entry (an accept seen before any offer) and the next accept throws"
        );
        match self.last_bid.clone() {
            Some(b) => self.add_accepted(b),
            None if self.accepted.is_empty() => self.null_entry = true,
            None => unreachable!("bids are listed only after an offer"),
        }
    }

    fn decide(&mut self, t: f64) -> Action {
        let target = self.target(t);
        let (Some(last), Some(target)) = (self.last_bid.clone(), target) else {
            return Action::Offer(self.my_best_bid(target));
        };
        if self.own.utility(&last) > target {
            return Action::Accept;
        }
        match self.new_bid(target) {
            Err(bids::NullEntry) => Action::Offer(self.my_best_bid(Some(target))),
            Ok(b) if !self.last_was_accept && self.own.utility(&b) < target => {
                Action::Offer(self.my_best_bid(Some(target)))
            }
            Ok(b) => Action::Offer(b),
        }
    }
}

/// GENIUS's `getMaxUtilityBid`: the first outcome of greatest utility (above 0) in the order
/// of its `BidIterator` (the first issue varying fastest); detente's best outcome when none
/// is above 0.
pub(crate) fn genius_best(own: &mut Own, space: &OutcomeSpace) -> Outcome {
    let first = own.outcome_at(0);
    let top = own.utility(&first);
    let mut best = first;
    let mut pos = 1;
    while pos < own.table.sorted.len() && own.sorted_utility(pos) == top {
        let o = own.outcome_at(pos);
        if space.is_feasible(&o.0) && o.0.iter().rev().lt(best.0.iter().rev()) {
            best = o;
        }
        pos += 1;
    }
    best
}

impl Negotiator for ParsAgent {
    fn init(&mut self, info: &SessionInfo<'_>) -> Result<(), NegotiatorError> {
        let Utility::LinearAdditive(linear) = &info.preferences().utility else {
            return Err(NegotiatorError(
                "ParsAgent needs a linear additive utility (it reads the issue weights)".into(),
            ));
        };
        let weights = linear.weights().to_vec();
        let mut own = Own::new(info, "ParsAgent")?;
        let space = info.space().clone();
        let best = genius_best(&mut own, &space);
        let issues = space.issues();
        let hashes = issues
            .iter()
            .map(|i| {
                (0..i.cardinality() as u32)
                    .map(|v| java_string_hash(&i.value(v).expect("in range").to_string()))
                    .collect()
            })
            .collect();
        let my_best_value = issues
            .iter()
            .enumerate()
            .map(|(k, i)| match i.kind {
                IssueKind::Integer { .. } => best.0[k],
                _ => 0,
            })
            .collect();
        let seeds = Seeds::new(info.seed);
        self.state = Some(ParsState {
            party: info.party,
            discount: info.preferences().discount,
            offset: 1.0 / (f64::from(info.deadline) + 1.0),
            draws: self.draws,
            weights,
            cards: issues.iter().map(|i| i.cardinality() as usize).collect(),
            hashes,
            best,
            my_best_value,
            rand: seeds.next_random(),
            math: seeds.next_random(),
            with_discount: None,
            last_bid: None,
            last_was_accept: false,
            names: [None; 2],
            opp_a: OpponentCounts::new(issues.len()),
            opp_b: OpponentCounts::new(issues.len()),
            accepted: Vec::new(),
            null_entry: false,
            own,
            space,
        });
        Ok(())
    }

    fn act(&mut self, state: &State<'_>) -> Action {
        let s = self.state.as_mut().expect(NOT_INITIALISED);
        s.decide(state.time)
    }

    fn observe(&mut self, party: usize, action: &Action, state: &State<'_>) {
        let Some(s) = self.state.as_mut() else {
            return;
        };
        if party == s.party {
            return;
        }
        match action {
            Action::Offer(o) => s.observe_offer(party, o, state.time),
            Action::Accept => s.observe_accept(),
            Action::End => {}
        }
        s.last_was_accept = matches!(action, Action::Accept);
    }

    fn compare(&mut self, candidate: &Outcome, incumbent: &Outcome) -> Option<std::cmp::Ordering> {
        self.state
            .as_ref()
            .and_then(|s| s.own.compare(candidate, incumbent))
    }
}

#[cfg(test)]
mod tests;
