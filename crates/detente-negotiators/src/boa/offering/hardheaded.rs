//! HardHeaded (van Krimpen, Looije and Hajizadeh, winner of ANAC 2011): the offering strategy
//! (GENIUS `HardHeaded_Offering`, `hardheaded.BidSelector`, `HardHeadedSAS`).
//!
//! All outcomes are listed by utility, each keyed by its utility minus a tiny offset (`1e-8`
//! per outcome in the order the list is built, as GENIUS's `BidSelector` does, so that equal
//! utilities stay apart). The target `p(t)` falls from near the best utility towards 0.585
//! with a Boulware curve (`e = 0.05`), stepped when the talks are discounted. The opening bid
//! is the best outcome; then, whenever its queue is empty, it takes the next outcome below its
//! last bid (or, when that is under the target, one of its own past bids at random) and the
//! outcomes just below it (within 0.01, down to the target); of these it queues up to five,
//! the ones the opponent models rate highest first, and puts the opponent's best offer so far
//! in front when that is better for itself than the first queued.

use std::collections::{BTreeMap, VecDeque};

use detente_core::registry::{ParamInfo, Params};
use detente_core::{NegotiatorError, OutcomeId};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::java_random::JavaRandom;
use crate::boa::oms::{OpponentModelStrategy, pick_among};
use crate::boa::space::OwnSpace;

/// A key of GENIUS's sorted bid list (a `TreeMap<Double, Bid>`): a utility, possibly offset.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Keyed {
    key: f64,
    id: OutcomeId,
}

/// Maps a float to an integer of the same order (`f64::total_cmp`).
fn order(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b ^ (1 << 63) }
}

/// A sorted map from keys to outcomes, as Java's `TreeMap<Double, Bid>` (a key put twice
/// keeps the later outcome).
#[derive(Debug, Clone, Default)]
struct KeyedBids(BTreeMap<u64, Keyed>);

impl KeyedBids {
    fn put(&mut self, key: f64, id: OutcomeId) {
        self.0.insert(order(key), Keyed { key, id });
    }

    fn remove(&mut self, key: f64) {
        self.0.remove(&order(key));
    }

    fn last(&self) -> Option<Keyed> {
        self.0.values().next_back().copied()
    }

    /// The entry of the greatest key strictly below `key`.
    fn lower(&self, key: f64) -> Option<Keyed> {
        self.0.range(..order(key)).next_back().map(|(_, k)| *k)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn iter(&self) -> impl Iterator<Item = Keyed> + '_ {
        self.0.values().copied()
    }
}

/// GENIUS's `BidSelector`: starting from the outcome of every issue's first value, each issue
/// in turn is varied over its values, for every outcome listed so far in key order, and each
/// new outcome is keyed by its utility minus `1e-8` times its rank in that pass.
fn bid_list(space: &OwnSpace) -> KeyedBids {
    let cards = space.cardinalities();
    let mut strides = vec![1u64; cards.len()];
    for i in (0..cards.len().saturating_sub(1)).rev() {
        strides[i] = strides[i + 1] * u64::from(cards[i + 1]);
    }
    let mut list = KeyedBids::default();
    list.put(space.utility(0), 0);
    for (issue, &card) in cards.iter().enumerate() {
        let mut next = KeyedBids::default();
        let mut d = -0.000_000_01;
        for k in list.iter() {
            for v in 0..u64::from(card) {
                let id = k.id + v * strides[issue];
                next.put(space.utility(id) + d, id);
                d -= 0.000_000_01;
            }
        }
        list = next;
    }
    list.0.retain(|_, k| space.is_feasible(k.id));
    list
}

/// What HardHeaded's offering strategy shares with its acceptance condition (GENIUS
/// `HardHeadedSAS`, plus the key of the bid it is about to make, which GENIUS's acceptance
/// condition reads as that bid's utility).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HardHeadedState {
    /// The lowest utility it has offered so far.
    pub lowest_yet: f64,
    /// The listed key (utility, possibly offset) of the bid it is about to make.
    pub next_key: f64,
}

/// HardHeaded's offering strategy; see the module docs.
#[derive(Debug, Clone)]
pub struct HardHeadedOffering {
    ka: f64,
    e: f64,
    min_util: f64,
    max_util: f64,
    discount: f64,
    list: KeyedBids,
    /// The key under which each outcome is listed (NaN: not listed).
    key_of: Vec<f64>,
    queue: VecDeque<Keyed>,
    first_round: bool,
    opponent_best: Option<OutcomeId>,
    opponent_best_entry: Option<Keyed>,
    /// Its own bids with the keys they were offered under (GENIUS's own bid history).
    sent: Vec<Keyed>,
    pending: Option<Keyed>,
    shared: HardHeadedState,
    revisit: JavaRandom,
}

impl HardHeadedOffering {
    /// The strategy with concession offset `ka`, exponent `e` and lowest target `min_util`.
    pub fn new(ka: f64, e: f64, min_util: f64) -> Self {
        HardHeadedOffering {
            ka,
            e,
            min_util,
            max_util: 1.0,
            discount: 1.0,
            list: KeyedBids::default(),
            key_of: Vec::new(),
            queue: VecDeque::new(),
            first_round: true,
            opponent_best: None,
            opponent_best_entry: None,
            sent: Vec::new(),
            pending: None,
            shared: HardHeadedState {
                lowest_yet: 1.0,
                next_key: 1.0,
            },
            revisit: JavaRandom::new(0),
        }
    }

    /// Its registry entry, `hardheaded`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "hardheaded",
            "HardHeaded's offering (ANAC 2011 winner): a Boulware target, bids queued in small \
             groups below its last one, the opponent's best offer first when better",
            |p: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(HardHeadedOffering::new(
                    p.get("ka"),
                    p.get("e"),
                    p.get("min"),
                ))
            },
        )
        .param(ParamInfo::new(
            "ka",
            0.05,
            0.0,
            1.0,
            "share conceded at once",
        ))
        .param(ParamInfo::new("e", 0.05, 1e-6, 1e6, "concession exponent"))
        .param(ParamInfo::new("min", 0.585, -1e6, 1e6, "the lowest target"))
        .source(
            "van Krimpen, Looije and Hajizadeh, HardHeaded, ANAC 2011 (winner); GENIUS \
             HardHeaded_Offering",
        )
    }

    /// The bid list as (key, outcome id), in key order (for tests).
    #[cfg(test)]
    pub(crate) fn listed(&self) -> Vec<(f64, OutcomeId)> {
        self.list.iter().map(|k| (k.key, k.id)).collect()
    }

    /// The target at time `t` (GENIUS `get_p`).
    pub fn target(&self, t: f64) -> f64 {
        let (ka, e, min, max) = (self.ka, self.e, self.min_util, self.max_util);
        let step = self.discount;
        if step >= 0.9 {
            let fa = ka + (1.0 - ka) * (t / step).powf(1.0 / e);
            min + (1.0 - fa) * (max - min)
        } else if t <= step {
            let fa = ka + (1.0 - ka) * (t / step).powf(1.0 / (e / step));
            let low = min + (max - min).abs() * step;
            low + (1.0 - fa) * (max - low)
        } else {
            let fa = ka + (1.0 - ka) * ((t - step) / (1.0 - step)).powf(1.0 / 30.0);
            let high = min + (max - min).abs() * step;
            min + (1.0 - fa) * (high - min)
        }
    }

    /// Follows the opponent's best offer so far (for itself) and where it is listed.
    fn track_opponent_best(&mut self, cx: &Context<'_>) {
        let Some(last) = cx.history.last_received() else {
            return;
        };
        match self.opponent_best {
            Some(best) if cx.space.utility(last.id) <= cx.space.utility(best) => {}
            _ => self.opponent_best = Some(last.id),
        }
        let best = self.opponent_best.expect("set above");
        let key = self.key_of[best as usize];
        if !key.is_nan() {
            self.opponent_best_entry = Some(Keyed { key, id: best });
        }
    }

    /// Fills the empty queue with the next group of bids.
    fn refill(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy, p: f64) {
        let last_key = self.sent.last().map_or(self.max_util, |k| k.key);
        let lowest = self.list.iter().next().expect("a non-empty space");
        let potential = self.list.lower(last_key).unwrap_or(lowest);
        let mut group = KeyedBids::default();
        group.put(potential.key, potential.id);
        if potential.key < p && !self.sent.is_empty() {
            let k = (self.sent.len() as f64 * self.revisit.next_double()).floor() as usize;
            group.remove(potential.key);
            let chosen = self.sent[k];
            group.put(chosen.key, chosen.id);
        }
        let mut add = self.list.lower(potential.key);
        while let Some(a) = add {
            if potential.key - a.key >= 0.01 || a.key < p {
                break;
            }
            group.put(a.key, a.id);
            add = self.list.lower(a.key);
        }
        if group.len() <= 4 {
            self.queue.extend(group.iter());
        } else {
            for _ in 0..5 {
                let chosen = if cx.models.any() {
                    let entries: Vec<Keyed> = group.iter().collect();
                    let ids: Vec<OutcomeId> = entries.iter().map(|k| k.id).collect();
                    let id = pick_among(cx, oms, &ids);
                    *entries.iter().find(|k| k.id == id).expect("one of them")
                } else {
                    group.last().expect("five or more")
                };
                self.queue.push_back(chosen);
                group.remove(chosen.key);
            }
        }
        if let (Some(first), Some(best)) = (self.queue.front(), self.opponent_best_entry)
            && first.key < best.key
        {
            self.queue.push_front(best);
        }
    }
}

impl OfferingStrategy for HardHeadedOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let space = setup.space;
        *self = HardHeadedOffering::new(self.ka, self.e, self.min_util);
        self.list = bid_list(space);
        let mut key_of = vec![f64::NAN; space.table().utilities.len()];
        for k in self.list.iter() {
            key_of[k.id as usize] = k.key;
        }
        self.key_of = key_of;
        let top = self.list.last().ok_or_else(|| {
            NegotiatorError("HardHeaded needs at least one feasible outcome".into())
        })?;
        self.max_util = space.utility(top.id);
        let d = space.discount();
        self.discount = if d > 0.0 && d <= 1.0 { d } else { 1.0 };
        // GENIUS's order: random100 (own past bids), then random200 (a random bid when the
        // queue is empty, which never happens: every refill queues at least one bid).
        self.revisit = setup.random();
        let _unused = setup.random();
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        if let (Some(p), Some(last)) = (self.pending.take(), cx.history.last_sent())
            && p.id == last.id
        {
            self.sent.push(p);
        }
        let p = self.target(cx.time);
        self.track_opponent_best(cx);
        if self.first_round {
            self.first_round = false;
            self.queue
                .push_back(self.list.last().expect("checked at init"));
        } else if self.queue.is_empty() {
            self.refill(cx, oms, p);
        }
        let offer = self.queue.pop_front().expect("a refilled queue");
        if offer.key < self.shared.lowest_yet {
            self.shared.lowest_yet = cx.space.utility(offer.id);
        }
        self.shared.next_key = offer.key;
        self.pending = Some(offer);
        Offering::Bid(offer.id)
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        Some(&self.shared)
    }
}
