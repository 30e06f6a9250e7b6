//! Gahboninho (ANAC 2011): the offering strategy and the state it shares with its acceptance
//! condition (GENIUS `Gahboninho_Offering`, `GahboninhoSAS`, `IssueManager`).
//!
//! On the opponent's first bid Gahboninho lists the outcomes whose every value is worth to it
//! at least the value the opponent chose (each issue's values in a random order, the list
//! keyed by utility, equal utilities nudged apart at random). It opens with its best outcome,
//! then bids the listed outcome of lowest utility at or above a target: first a slow descent
//! from 1 to 0.925 over 40 bids (before time 0.15), then a recommendation that falls with time
//! and the discount from a ceiling set by the opponent's "noise" (how much its bids vary, as
//! seen every 20 bids) towards a floor set by the best offer it received, in phases that
//! concede more near the deadline, never by more than a set rate per call; in its last phase
//! it offers the opponent's best offer. It accepts an offer worth at least its recommendation
//! times a compromise factor. Before time 0.9 d (`d` the discount factor) it may filter its
//! list to the outcomes its model of the opponent ([`GahboninhoModel`]) rates at least 0.84 of
//! the best rated.
//!
//! GENIUS builds the list until 0.05 d^0.6 of the time has passed (wall-clock time), and filters
//! early when three times that build time would overrun the deadline; on detente's clock no
//! time passes within a turn, so the list is built whole and the filter waits for 0.9 d.

use std::collections::BTreeMap;

use detente_core::registry::Params;
use detente_core::{NegotiatorError, OutcomeId};

use super::gahboninho_model::GahboninhoModel;
use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::java_random::JavaRandom;
use crate::boa::oms::{OpponentModelStrategy, pick_near};
use crate::boa::space::OwnSpace;

/// What Gahboninho's offering strategy shares with its acceptance condition (GENIUS
/// `GahboninhoSAS`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GahboninhoState {
    /// The lowest utility it accepts, set on each of its turns after an offer.
    pub min_accept: f64,
    /// How many of its 40 opening bids are left.
    pub first_actions: i32,
}

/// A utility key of Gahboninho's list, ordered as Java's `Double`.
#[derive(Debug, Clone, Copy)]
struct Key(f64);

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0).is_eq()
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// How many bids of the opponent a noise estimate spans.
const COUNTDOWN: i32 = 20;

/// Gahboninho's offering strategy (GENIUS `IssueManager` with `Gahboninho_Offering`); see the
/// module docs.
#[derive(Debug, Clone)]
pub struct GahboninhoOffering {
    pub(crate) model: GahboninhoModel,
    pub(crate) state: GahboninhoState,
    max_bid: OutcomeId,
    bids: BTreeMap<Key, OutcomeId>,
    discount: f64,
    noise: f64,
    noise_rate: f64,
    first_offer_given: bool,
    in_frenzy: bool,
    filtered: bool,
    rounds: u32,
    /// Per issue, how often each value occurred in the opponent's bids of this countdown.
    incoming: Vec<Vec<u32>>,
    /// Per issue, how often each value occurred in its own bids.
    outgoing: Vec<Vec<u32>>,
    outgoing_count: u32,
    countdown: i32,
    previous_distance: f64,
    previous_best: f64,
    best_ever: f64,
    best_ever_bid: Option<OutcomeId>,
    worst_estimate: f64,
    previous_worst: f64,
    round_worst: f64,
    collisions_left: i32,
    compromise: f64,
    diff_start: f64,
    diff_end: f64,
    rounds_before_panic: f64,
    previous_recommendation: f64,
    max_decrease: f64,
    order: JavaRandom,
    nudge: JavaRandom,
    values: Vec<u32>,
}

impl Default for GahboninhoOffering {
    fn default() -> Self {
        GahboninhoOffering {
            model: GahboninhoModel::default(),
            state: GahboninhoState {
                min_accept: 0.0,
                first_actions: 40,
            },
            max_bid: 0,
            bids: BTreeMap::new(),
            discount: 1.0,
            noise: 0.4,
            noise_rate: 0.01,
            first_offer_given: false,
            in_frenzy: false,
            filtered: false,
            rounds: 0,
            incoming: Vec::new(),
            outgoing: Vec::new(),
            outgoing_count: 0,
            countdown: COUNTDOWN,
            previous_distance: 0.2,
            previous_best: 1.0,
            best_ever: 0.0,
            best_ever_bid: None,
            worst_estimate: 1.0,
            previous_worst: 1.0,
            round_worst: 1.0,
            collisions_left: 200_000,
            compromise: 0.95,
            diff_start: -1.0,
            diff_end: -1.0,
            rounds_before_panic: 1.0,
            previous_recommendation: 1.0,
            max_decrease: 0.0009,
            order: JavaRandom::new(0),
            nudge: JavaRandom::new(0),
            values: Vec::new(),
        }
    }
}

/// Outcome `reference` with issue `issue` set to value `v`.
fn with_value(
    space: &OwnSpace,
    values: &mut [u32],
    reference: OutcomeId,
    issue: usize,
    v: u32,
) -> OutcomeId {
    space.decode(reference, values);
    values[issue] = v;
    space.id(values)
}

impl GahboninhoOffering {
    /// Its registry entry, `gahboninho`.
    pub fn entry() -> OfferingEntry {
        OfferingEntry::new(
            "gahboninho",
            "Gahboninho's offering (ANAC 2011): outcomes whose every value it likes at least as \
             much as the opponent's first bid's, from a target that falls with time and with \
             the opponent's measured noise, phased towards the deadline",
            |_: &Params<'_>| -> Box<dyn OfferingStrategy> {
                Box::new(GahboninhoOffering::default())
            },
        )
        .source(
            "Ben Adar, Sofy and Elimelech, Gahboninho, ANAC 2011; GENIUS Gahboninho_Offering, \
             GahboninhoSAS, IssueManager and GahboninhoOM",
        )
    }

    /// The shared state (for tests).
    pub fn state(&self) -> GahboninhoState {
        self.state
    }

    /// The best outcome, each issue's first value of highest utility with the others fixed
    /// (GENIUS `GetMaxBidWithNoCost`; it assumes additive utilities, as GENIUS's does).
    fn max_bid(&mut self, space: &OwnSpace) -> OutcomeId {
        let reference = space.id_at(0);
        let mut best = vec![0; space.n_issues()];
        for (issue, &c) in space.cardinalities().iter().enumerate() {
            // GENIUS starts from 0: a value must be worth more to be taken.
            let mut top = 0.0;
            for v in 0..c {
                let u = space.utility(with_value(space, &mut self.values, reference, issue, v));
                if u > top {
                    top = u;
                    best[issue] = v;
                }
            }
        }
        let id = space.id(&best);
        // GENIUS falls back on its best outcome when this one is worth 0.
        if space.utility(id) == 0.0 || !space.is_feasible(id) {
            return space.id_at(0);
        }
        id
    }

    /// Each issue's values worth at least the opponent's, in a random order (GENIUS
    /// `buildIssueValues`, `addPossibleValue`): each is inserted at `|nextInt()| % len`.
    fn relevant_values(&mut self, space: &OwnSpace, first: OutcomeId) -> Vec<Vec<u32>> {
        let mut theirs = vec![0; space.n_issues()];
        space.decode(first, &mut theirs);
        let mut relevant = Vec::new();
        let mut effective = 1.0;
        for (issue, &c) in space.cardinalities().iter().enumerate() {
            let at = |me: &mut Self, v| {
                space.utility(with_value(space, &mut me.values, first, issue, v))
            };
            let opponent = at(self, theirs[issue]);
            let mut list: Vec<u32> = Vec::new();
            for v in 0..c {
                if at(self, v) >= opponent {
                    let place = if list.is_empty() {
                        0
                    } else {
                        (self.order.next_i32().wrapping_abs() % list.len() as i32).max(0) as usize
                    };
                    list.insert(place, v);
                }
            }
            effective *= list.len() as f64;
            relevant.push(list);
        }
        self.noise_rate = (0.01 * effective / 400.0).clamp(0.003, 0.015);
        relevant
    }

    /// Lists every outcome of relevant values (GENIUS `learnBids`, `BuildBid`, built whole):
    /// keyed by utility, a key taken already lowered by `0.002 / (nextInt() % 9999999)` until
    /// free (at most 200,000 times in all).
    fn learn_bids(&mut self, space: &OwnSpace, first: OutcomeId) {
        let relevant = self.relevant_values(space, first);
        if relevant.iter().any(Vec::is_empty) {
            return;
        }
        let n = relevant.len();
        let mut at = vec![0usize; n];
        let mut values = vec![0u32; n];
        loop {
            for (slot, (list, &k)) in values.iter_mut().zip(relevant.iter().zip(&at)) {
                *slot = list[k];
            }
            let id = space.id(&values);
            if space.is_feasible(id) {
                let mut key = space.utility(id);
                while self.collisions_left > 0 && self.bids.contains_key(&Key(key)) {
                    self.collisions_left -= 1;
                    key -= 0.002 / f64::from(self.nudge.next_i32() % 9_999_999);
                }
                self.bids.insert(Key(key), id);
            }
            // The next combination, the last issue fastest (the recursion's order).
            let mut issue = n;
            loop {
                if issue == 0 {
                    return;
                }
                issue -= 1;
                at[issue] += 1;
                if at[issue] < relevant[issue].len() {
                    break;
                }
                at[issue] = 0;
            }
        }
    }

    /// The utility to offer next (GENIUS `GetNextRecommendedOfferUtility`); every call moves it.
    fn recommend(&mut self, t: f64) -> f64 {
        if !self.first_offer_given {
            self.first_offer_given = true;
            return 1.0;
        }
        let d = self.discount;
        let players = 1.0 / 8.0;
        let best = self.best_ever;
        let mut min = d.powf(2.0 * t);
        let mut max = min * (1.0 + 6.0 * self.noise * d.powf(5.0));
        let before_panic = |me: &Self| {
            best <= 2.0 * players
                || t <= 1.0 - 3.0 * (me.diff_end - me.diff_start) / me.rounds_before_panic
        };
        if t < 0.85 * d {
            min *= best.max(0.9125);
        } else if t <= 0.92 * d {
            self.compromise = 0.94;
            min *= best.max(0.84);
            max /= min;
        } else if t <= 0.94 * d {
            self.compromise = 0.93;
            min *= best.max(0.775);
            max /= min;
        } else if t <= 0.985 * min && before_panic(self) {
            self.compromise = 0.91;
            self.max_decrease = 0.001;
            min *= best.max(0.7);
            max /= min;
            self.diff_end = t;
            self.diff_start = t;
        } else if t <= 0.9996 && before_panic(self) {
            self.diff_end = t;
            self.rounds_before_panic += 1.0;
            self.max_decrease = 0.001 + 0.01 * (t - 0.985) / 0.015;
            if 3.0 * players > best {
                min *= 3.5 * players;
                self.compromise = 0.8;
            } else {
                min *= best;
                self.compromise = 0.95;
            }
            max /= min;
        } else {
            self.compromise = 0.92;
            if best < 2.0 * players {
                min = 2.0 * players;
                max = 1.0;
            } else {
                max = best;
                min = best;
                self.in_frenzy = true;
            }
            self.max_decrease = 1.0;
        }
        max = max.max(min);
        let mut next = (max - (max - min) * t).min(1.0);
        if next + self.max_decrease < self.previous_recommendation {
            next = self.previous_recommendation - self.max_decrease;
        } else if next - 0.005 > self.previous_recommendation {
            next = self.previous_recommendation + 0.005;
        }
        self.previous_recommendation = next;
        next
    }

    /// Counts a bid's values into `counts`.
    fn tally(space: &OwnSpace, values: &mut Vec<u32>, counts: &mut [Vec<u32>], id: OutcomeId) {
        values.resize(space.n_issues(), 0);
        space.decode(id, values);
        for (c, &v) in counts.iter_mut().zip(values.iter()) {
            c[v as usize] += 1;
        }
    }

    /// Learns from a bid of the opponent (GENIUS `ProcessOpponentBid`): for 20 bids, its best
    /// and the model's worst estimate and the values' counts; on the next, compares the value
    /// frequencies of both sides (single precision, as GENIUS) and moves the noise.
    fn process(&mut self, space: &OwnSpace, id: OutcomeId) {
        if self.countdown > 0 {
            let u = space.utility(id);
            if u > self.best_ever {
                self.best_ever = u;
                self.best_ever_bid = Some(id);
                self.bids.insert(Key(u), id);
            }
            let estimate = self.model.evaluate(space, id);
            if self.round_worst < estimate {
                self.round_worst = estimate;
            }
            if self.worst_estimate > estimate {
                self.worst_estimate = estimate;
            }
            self.countdown -= 1;
            Self::tally(space, &mut self.values, &mut self.incoming, id);
            return;
        }
        let n = space.n_issues() as f64;
        let mut similarity = 0.0;
        for (out, inc) in self.outgoing.iter().zip(&self.incoming) {
            for (&o, &i) in out.iter().zip(inc) {
                if o == 0 || i == 0 {
                    continue;
                }
                let mine = o as f32 / self.outgoing_count as f32;
                let theirs = i as f32 / COUNTDOWN as f32;
                let diff = mine - theirs;
                let square = diff * diff;
                similarity += (1.0 / n) * (1.0 / out.len() as f64) * f64::from(1.0f32 - square);
            }
        }
        if similarity > self.previous_distance {
            self.noise += 0.05;
        } else if self.best_ever < self.previous_best || self.worst_estimate < self.previous_worst {
            self.noise += self.noise_rate;
        } else {
            self.noise -= self.noise_rate;
            if self.round_worst > self.worst_estimate * 1.2 {
                self.noise -= self.noise_rate;
            }
            if similarity * 1.1 < self.previous_distance {
                self.noise -= self.noise_rate;
            }
        }
        self.noise = self.noise.clamp(0.0, 1.0);
        self.previous_distance = similarity;
        self.countdown = COUNTDOWN;
        self.previous_best = self.best_ever;
        self.round_worst = 1.0;
        self.previous_worst = self.worst_estimate;
        for c in &mut self.incoming {
            c.fill(0);
        }
    }

    /// The listed outcome of lowest key at or above `min` (its best outcome when none).
    fn at_least(&self, min: f64) -> OutcomeId {
        self.bids
            .range(Key(min)..)
            .next()
            .map_or(self.max_bid, |(_, &id)| id)
    }

    /// Keeps the listed outcomes the model rates at least 0.84 of the best rated so far,
    /// walked from the top, keyed by utility (GENIUS `FilterBids`, before time 0.94); the list
    /// stays when fewer than 20 (or a tenth of `desired`) are kept.
    fn filter(&mut self, space: &OwnSpace, desired: i32, t: f64) {
        let mut kept = BTreeMap::new();
        let mut walk = self.bids.iter().rev();
        let Some((&top, &top_id)) = walk.next() else {
            return;
        };
        let mut best = self.model.evaluate(space, top_id);
        kept.insert(top, top_id);
        if t < 0.94 {
            for (_, &id) in walk {
                let estimate = self.model.evaluate(space, id);
                if estimate >= best * 0.84 {
                    kept.insert(Key(space.utility(id)), id);
                    if estimate > best {
                        best = estimate;
                    }
                }
            }
        }
        if !(kept.len() < (desired / 10) as usize || kept.len() < 20) {
            self.bids = kept;
        }
    }

    /// The bid for this turn, before an opponent model picks near it.
    fn choose(&mut self, t: f64) -> OutcomeId {
        if self.state.first_actions >= 0 && t < 0.15 {
            let step = (1.0 - 0.925) / 40.0;
            let id = self.at_least(0.925 + step * f64::from(self.state.first_actions));
            self.state.first_actions -= 1;
            return id;
        }
        let target = self.recommend(t);
        let id = self.at_least(target);
        match self.best_ever_bid {
            Some(best) if self.in_frenzy => best,
            _ => id,
        }
    }
}

impl OfferingStrategy for GahboninhoOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        let space = setup.space;
        *self = GahboninhoOffering::default();
        let d = space.discount();
        self.discount = if d <= 0.001 || d > 1.0 { 1.0 } else { d };
        self.noise = 0.4 * self.discount;
        self.model = GahboninhoModel::new(space);
        let zeros = |c: &u32| vec![0; *c as usize];
        self.incoming = space.cardinalities().iter().map(zeros).collect();
        self.outgoing = space.cardinalities().iter().map(zeros).collect();
        self.values = vec![0; space.n_issues()];
        self.max_bid = self.max_bid(space);
        // GENIUS's order: the model's random500 and random600, then the issue manager's
        // random100 (its best bid's draws), random200 (value order), random300 (a draw whose
        // values it overwrites), random400 (the nudges).
        for _ in 0..3 {
            setup.random();
        }
        self.order = setup.random();
        setup.random();
        self.nudge = setup.random();
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        let (space, t) = (cx.space, cx.time);
        let received = cx.history.received();
        if let Some(last) = received.last() {
            if received.len() >= 2 {
                self.process(space, last.id);
                self.model.update(space, last.id);
            } else {
                self.learn_bids(space, last.id);
            }
            // GENIUS reads the compromise factor before the recommendation moves it.
            let compromise = self.compromise;
            self.state.min_accept = compromise * self.recommend(t);
        }
        self.rounds += 1;
        if !self.filtered && t > self.discount * 0.9 {
            self.filtered = true;
            let desired = (f64::from(self.rounds) * (1.0 - t)) as i32;
            if self.bids.len() > 200 {
                self.filter(space, desired, t);
            }
        }
        let id = if received.len() < 2 {
            self.max_bid
        } else {
            self.choose(t)
        };
        let id = if received.len() >= 2 && cx.models.any() {
            pick_near(cx, oms, space.utility(id))
        } else {
            id
        };
        Self::tally(space, &mut self.values, &mut self.outgoing, id);
        self.outgoing_count += 1;
        Offering::Bid(id)
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        Some(&self.state)
    }
}

#[cfg(test)]
mod tests {
    use detente_core::ScenarioTables;

    use super::super::gahboninho_model::GahboninhoModel;
    use super::{GahboninhoOffering, GahboninhoState};
    use crate::boa::acceptance::{AcceptanceStrategy, Decision, GahboninhoAcceptance};
    use crate::boa::context::{Bid, Context, History};
    use crate::boa::models::Models;
    use crate::boa::space::OwnSpace;
    use crate::testutil::{info, one_issue};

    fn with_space<R>(f: impl FnOnce(&OwnSpace) -> R) -> R {
        let s = one_issue(&[1.0, 0.5, 0.0], 3);
        let tables = ScenarioTables::for_scenario(&s);
        f(&OwnSpace::new(&info(0, &s, &tables, 10, 3)).unwrap())
    }

    /// Bids (0, 0), (1, 0), (2, 0) (and (0, 0) again, ignored). Issue 1: counts 1, 1, 1, the
    /// first value's bonus 3 / 3 = 1, so importances 2, 1, 1; one value per importance (the
    /// last of equals): ranks 0 (value 2) and 1 (value 0); average rank (0 + 1 * 2) / 4 = 0.5;
    /// spread ((0.5 / 3)^2 + (0.5 / 3)^2) / 4 = 1/72. Issue 2: importances 4, 0, 0, spread 0.
    /// Weights: issue 2 (constant) 1, issue 1 (1/72 / 3) / (1/72) = 1/3, normalised 1/4 and
    /// 3/4. Estimates: (0, 0): 1/4 * 2/2 + 3/4 * 4/4 = 1; (1, 1): 1/4 * 1/2 + 0 = 1/8.
    #[test]
    fn model_by_hand() {
        with_space(|space| {
            let mut m = GahboninhoModel::new(space);
            let id = |a: u32, b: u32| space.id(&[a, b]);
            for bid in [id(0, 0), id(1, 0), id(2, 0), id(0, 0)] {
                m.update(space, bid);
            }
            assert!((m.evaluate(space, id(0, 0)) - 1.0).abs() < 1e-12);
            assert!((m.evaluate(space, id(1, 1)) - 0.125).abs() < 1e-12);
            assert!((m.evaluate(space, id(2, 2)) - 0.125).abs() < 1e-12);
        });
    }

    /// The first recommendation is 1. Undiscounted, with no noise and no offer received, the
    /// next at time 0.5 is `1 - (1 - 0.9125) 0.5 = 0.95625`, but it may fall by at most 0.0009
    /// per call: 0.9991. With noise 0.4 its ceiling is 3.4, and it stays at 1.
    #[test]
    fn recommendation_by_hand() {
        let mut g = GahboninhoOffering {
            noise: 0.0,
            ..GahboninhoOffering::default()
        };
        assert_eq!(g.recommend(0.2), 1.0);
        assert!((g.recommend(0.5) - 0.9991).abs() < 1e-12);
        let mut g = GahboninhoOffering::default();
        g.recommend(0.0);
        assert_eq!(g.recommend(0.5), 1.0);
        // Past 0.9996 with a best offer of 0.6: that offer is the target, and it gives it.
        g.best_ever = 0.6;
        g.best_ever_bid = Some(7);
        g.recommend(0.9999);
        assert!(g.in_frenzy);
        assert_eq!(g.compromise, 0.92);
    }

    /// During its opening bids it accepts more than 0.95; otherwise at least the minimum its
    /// offering strategy set; alone, anything worth at least 0.
    #[test]
    fn acceptance_by_hand() {
        with_space(|space| {
            let history = History::default();
            let models = Models::default();
            let mut cx = Context {
                time: 0.5,
                space,
                history: &history,
                models: &models,
                party: 0,
                round: 0,
                deadline: 10,
                shared: None,
            };
            let bid = |u: f64| Bid {
                id: 0,
                utility: u,
                time: 0.5,
                party: 1,
            };
            let mut ac = GahboninhoAcceptance;
            let opening = GahboninhoState {
                min_accept: 0.97,
                first_actions: 5,
            };
            cx.shared = Some(&opening);
            assert_eq!(ac.decide(&cx, &bid(0.96), &bid(1.0)), Decision::Accept);
            assert_eq!(ac.decide(&cx, &bid(0.95), &bid(1.0)), Decision::Reject);
            let later = GahboninhoState {
                min_accept: 0.97,
                first_actions: 0,
            };
            cx.shared = Some(&later);
            assert_eq!(ac.decide(&cx, &bid(0.96), &bid(1.0)), Decision::Reject);
            assert_eq!(ac.decide(&cx, &bid(0.97), &bid(1.0)), Decision::Accept);
            cx.shared = None;
            assert_eq!(ac.decide(&cx, &bid(0.1), &bid(1.0)), Decision::Accept);
        });
    }
}
