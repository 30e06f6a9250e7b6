//! AgentK (Kawaguchi, Fujita and Ito, ANAC 2010) and AgentK2 (ANAC 2011): the offering
//! strategy and the state it shares with its acceptance condition (GENIUS
//! `AgentK_Offering`, `AgentK2_Offering`, `AgentKSAS`, `AgentK2SAS`).
//!
//! On every turn after an offer was received, AgentK updates the mean and deviation of the
//! utilities offered to it, estimates the best the opponent may still concede
//! (`mean + (1 - mean) * deviation`), and derives two targets from it: `target` (for
//! re-offering a bid the opponent made) and a jittered `bid_target` (for new bids). It also
//! computes the probability with which its acceptance condition accepts the offer. It bids one
//! of the opponent's past offers above `target` when there is one (drawn at random, or the
//! one the opponent models rate highest), else a random outcome of utility at least
//! `bid_target` (lowering it by 0.01 after every 500 failed draws), or with a model the
//! opponent-model strategy's bid near `bid_target`.

use detente_core::registry::Params;
use detente_core::{NegotiatorError, OutcomeId};

use super::{Offering, OfferingEntry, OfferingStrategy};
use crate::boa::context::{Context, Setup};
use crate::boa::java_random::JavaRandom;
use crate::boa::oms::{OpponentModelStrategy, pick_among, pick_near};

/// Which of the two agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// AgentK (ANAC 2010).
    K,
    /// AgentK2 (ANAC 2011): its targets are also scaled by the discount of the last offer.
    K2,
}

/// What AgentK's offering strategy and acceptance condition share (GENIUS `AgentKSAS`): the
/// statistics of the offers received, the targets and the acceptance probability.
#[derive(Debug, Clone)]
pub struct AgentKState {
    version: Version,
    sum: f64,
    sum2: f64,
    rounds: u32,
    target: f64,
    bid_target: f64,
    tremor: f64,
    p: f64,
    rng: JavaRandom,
    /// The outcomes offered to it, in the order first offered, with their utility.
    offered: Vec<(OutcomeId, f64)>,
}

impl AgentKState {
    /// A fresh state drawing its jitter from `rng`.
    pub fn new(version: Version, rng: JavaRandom) -> Self {
        AgentKState {
            version,
            sum: 0.0,
            sum2: 0.0,
            rounds: 0,
            target: 1.0,
            bid_target: 1.0,
            tremor: 2.0,
            p: 0.0,
            rng,
            offered: Vec::new(),
        }
    }

    /// The target above which a past offer of the opponent is worth re-offering.
    pub fn target(&self) -> f64 {
        self.target
    }

    /// The target of a new bid.
    pub fn bid_target(&self) -> f64 {
        self.bid_target
    }

    /// The last computed probability of accepting.
    pub fn accept_probability(&self) -> f64 {
        self.p
    }

    /// Learns from the last offer received and returns the probability of accepting it
    /// (GENIUS `calculateAcceptProbability`). Called once per turn with an offer received.
    pub fn update(&mut self, cx: &Context<'_>) -> f64 {
        let Some(last) = cx.history.last_received() else {
            return self.p;
        };
        let mut offered = last.utility;
        if !self.offered.iter().any(|&(id, _)| id == last.id) {
            self.offered.push((last.id, offered));
        }
        self.sum += offered;
        self.sum2 += offered * offered;
        self.rounds += 1;
        let n = f64::from(self.rounds);
        let mean = self.sum / n;
        let variance = self.sum2 / n - mean * mean;
        let mut deviation = (variance * 12.0).sqrt();
        if deviation.is_nan() {
            deviation = 0.0;
        }
        let time = cx.time;
        let t = time * time * time;
        if offered > 1.0 {
            offered = 1.0;
        }
        let estimate_max = mean + (1.0 - mean) * deviation;
        let alpha = 1.0 + self.tremor + 10.0 * mean - 2.0 * self.tremor * mean;
        let beta = alpha + self.rng.next_double() * self.tremor - self.tremor / 2.0;
        let pre_target = 1.0 - time.powf(alpha) * (1.0 - estimate_max);
        let pre_target2 = 1.0 - time.powf(beta) * (1.0 - estimate_max);
        let ratio = |pre: f64| {
            let r = (deviation + 0.1) / (1.0 - pre);
            if r.is_nan() || r > 2.0 { 2.0 } else { r }
        };
        let (ratio1, ratio2) = (ratio(pre_target), ratio(pre_target2));
        let m = t * -300.0 + 400.0;
        let approach = |x: f64| {
            if x > estimate_max {
                let r = x - estimate_max;
                let mut f = 1.0 / (r * r);
                if f > m || f.is_nan() {
                    f = m;
                }
                x - r * f / m
            } else {
                estimate_max
            }
        };
        self.target = approach(ratio1 * pre_target + 1.0 - ratio1);
        self.bid_target = approach(ratio2 * pre_target2 + 1.0 - ratio2);
        if self.version == Version::K2 {
            let discounted = cx.space.discounted(offered, time);
            let scale = discounted / offered;
            if !discounted.is_nan() && !scale.is_nan() {
                self.target *= scale;
                self.bid_target *= scale;
            }
        }
        let evaluation = offered - estimate_max;
        let satisfy = offered - self.target;
        self.p = time.powf(alpha) / 5.0 + evaluation + satisfy;
        if self.p < 0.1 {
            self.p = 0.0;
        }
        self.p
    }
}

/// AgentK's (or AgentK2's) offering strategy; see the module docs.
#[derive(Debug, Clone)]
pub struct AgentKOffering {
    version: Version,
    state: AgentKState,
    choose: JavaRandom,
    search: JavaRandom,
    values: Vec<u32>,
}

impl AgentKOffering {
    /// The strategy of AgentK or AgentK2.
    pub fn new(version: Version) -> Self {
        AgentKOffering {
            version,
            state: AgentKState::new(version, JavaRandom::new(0)),
            choose: JavaRandom::new(0),
            search: JavaRandom::new(0),
            values: Vec::new(),
        }
    }

    /// Its registry entries, `agent-k` and `agent-k2`.
    pub fn entries() -> Vec<OfferingEntry> {
        let make = |v: Version| {
            move |_: &Params<'_>| -> Box<dyn OfferingStrategy> { Box::new(AgentKOffering::new(v)) }
        };
        vec![
            OfferingEntry::new(
                "agent-k",
                "AgentK's offering (ANAC 2010): re-offers the opponent's past offers above a \
                 target learnt from their mean and spread, else random bids above a jittered \
                 target",
                make(Version::K),
            )
            .source(
                "Kawaguchi, Fujita and Ito, AgentK: compromising strategy based on estimated \
                 maximum utility, ANAC 2010; GENIUS AgentK_Offering",
            ),
            OfferingEntry::new(
                "agent-k2",
                "AgentK2's offering (ANAC 2011): AgentK's, its targets scaled by the discount",
                make(Version::K2),
            )
            .source("Kawaguchi, Fujita and Ito, AgentK2, ANAC 2011; GENIUS AgentK2_Offering"),
        ]
    }

    /// A random outcome (one value per issue from the search generator), GENIUS `searchBid`.
    fn random_outcome(&mut self, cx: &Context<'_>) -> OutcomeId {
        self.values.resize(cx.space.n_issues(), 0);
        for (slot, &c) in self.values.iter_mut().zip(cx.space.cardinalities()) {
            *slot = self.search.index(c as usize) as u32;
        }
        cx.space.id(&self.values)
    }
}

impl OfferingStrategy for AgentKOffering {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        // GENIUS's order: the shared state's generator, then random200, then random300.
        self.state = AgentKState::new(self.version, setup.random());
        self.choose = setup.random();
        self.search = setup.random();
        Ok(())
    }

    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        if !cx.history.received().is_empty() {
            self.state.update(cx);
        }
        let target = self.state.target;
        let above: Vec<OutcomeId> = self
            .state
            .offered
            .iter()
            .filter(|&&(_, u)| u > target)
            .map(|&(id, _)| id)
            .collect();
        if !above.is_empty() {
            if !cx.models.any() {
                let k = (self.choose.next_double() * above.len() as f64).floor() as usize;
                return Offering::Bid(above[k]);
            }
            return Offering::Bid(pick_among(cx, oms, &above));
        }
        if cx.models.any() {
            return Offering::Bid(pick_near(cx, oms, self.state.bid_target));
        }
        if self.state.bid_target <= 0.0 {
            // GENIUS's search loop does not run: its previous bid stays.
            let last = cx.history.last_sent().map(|b| b.id);
            return Offering::Bid(last.unwrap_or_else(|| cx.space.id_at(0)));
        }
        let mut loops = 0;
        loop {
            if loops > 500 {
                self.state.bid_target -= 0.01;
                loops = 0;
            }
            let id = self.random_outcome(cx);
            loops += 1;
            if cx.space.is_feasible(id) && cx.space.utility(id) >= self.state.bid_target {
                return Offering::Bid(id);
            }
        }
    }

    fn shared(&self) -> Option<&dyn std::any::Any> {
        Some(&self.state)
    }
}
