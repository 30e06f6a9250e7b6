//! The acceptance conditions of the ported ANAC agents (GENIUS
//! `negotiator.boaframework.acceptanceconditions.anac2010`, `anac2011`, `anac2012`). Each reads
//! what its own offering strategy shares ([`Context::shared`]) when it is paired with it, and
//! keeps its own copy of that state otherwise, as GENIUS's do.

use detente_core::NegotiatorError;
use detente_core::registry::Params;

use super::{AcceptanceEntry, AcceptanceStrategy, Decision};
use crate::boa::context::{Bid, Context, Setup};
use crate::boa::java_random::JavaRandom;
use crate::boa::offering::agent_k::{AgentKState, Version};
use crate::boa::offering::agent_lg::AgentLgState;
use crate::boa::offering::bram_agent::{self, BramAgentState};
use crate::boa::offering::gahboninho::GahboninhoState;
use crate::boa::offering::hardheaded::HardHeadedState;

/// AgentK's acceptance condition (GENIUS `AC_AgentK`, `AC_AgentK2`): accepts with the
/// probability the shared state computes for the offer (`p > U[0, 1)`, drawn from its own
/// generator).
#[derive(Debug, Clone)]
pub struct AgentKAcceptance {
    version: Version,
    rng: JavaRandom,
    own: AgentKState,
}

impl AgentKAcceptance {
    /// The condition of AgentK or AgentK2.
    pub fn new(version: Version) -> Self {
        AgentKAcceptance {
            version,
            rng: JavaRandom::new(0),
            own: AgentKState::new(version, JavaRandom::new(0)),
        }
    }
}

impl AcceptanceStrategy for AgentKAcceptance {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        // Its own generator first, then the one of the state it keeps when its offering
        // strategy shares none.
        self.rng = setup.random();
        self.own = AgentKState::new(self.version, setup.random());
        Ok(())
    }

    fn decide(&mut self, cx: &Context<'_>, _: &Bid, _: &Bid) -> Decision {
        let shared = cx.shared.and_then(|s| s.downcast_ref::<AgentKState>());
        let p = match shared {
            Some(state) => state.accept_probability(),
            None => self.own.update(cx),
        };
        if p > self.rng.next_double() {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

/// HardHeaded's acceptance condition (GENIUS `AC_HardHeaded`): accepts an offer better than
/// the lowest utility it has offered before this turn, or at least as good as the bid it is
/// about to make.
///
/// Paired with HardHeaded's offering strategy it reads that strategy's lowest offered utility
/// one turn late, as GENIUS's does, and the listed key of its next bid (its utility less the
/// list's tiny offset); otherwise the lowest utility of its own bids so far (1 before any)
/// and the next bid's utility.
#[derive(Debug, Clone)]
pub struct HardHeadedAcceptance {
    prev: f64,
    lowest: f64,
}

impl Default for HardHeadedAcceptance {
    fn default() -> Self {
        HardHeadedAcceptance {
            prev: 1.0,
            lowest: 1.0,
        }
    }
}

impl AcceptanceStrategy for HardHeadedAcceptance {
    fn init(&mut self, _: &Setup<'_>) -> Result<(), NegotiatorError> {
        *self = Self::default();
        Ok(())
    }

    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        let shared = cx.shared.and_then(|s| s.downcast_ref::<HardHeadedState>());
        let next_utility = match shared {
            Some(state) => {
                if self.lowest != self.prev {
                    self.prev = self.lowest;
                }
                self.lowest = state.lowest_yet;
                state.next_key
            }
            None => {
                self.prev = cx
                    .history
                    .sent()
                    .iter()
                    .map(|b| b.utility)
                    .reduce(f64::min)
                    .unwrap_or(1.0);
                next.utility
            }
        };
        if offered.utility > self.prev || next_utility <= offered.utility {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

/// Nice Tit for Tat's acceptance condition (GENIUS `AC_NiceTitForTat`): AC_next; and from
/// time 0.98, an offer better than the average of the better offers received in the time
/// left before now (of which it expects another), when few enough offers came in that time
/// (at most 10; 40 in spaces of more than 10,000 outcomes). An acceptable offer is still
/// turned down when the opponent made more than one offer in that time and one better than
/// this one.
#[derive(Debug, Clone, Default)]
pub struct NiceTitForTatAcceptance;

impl NiceTitForTatAcceptance {
    /// GENIUS `isAcceptable`.
    fn acceptable(cx: &Context<'_>, offered: f64, next: f64) -> bool {
        if offered >= next {
            return true;
        }
        if cx.time < 0.98 {
            return false;
        }
        let now = cx.time;
        let left = 1.0 - now;
        let within = |b: &&Bid| now - left < b.time && b.time <= now;
        let recent = cx.history.received().iter().filter(within);
        let recent = recent
            .filter(|b| 0.0 < b.utility && b.utility <= 1.0)
            .count();
        let enough = if cx.space.table().utilities.len() > 10_000 {
            40
        } else {
            10
        };
        if recent > enough {
            return false;
        }
        let better: Vec<f64> = cx
            .history
            .received()
            .iter()
            .filter(within)
            .filter(|b| offered < b.utility && b.utility <= 1.0)
            .map(|b| b.utility)
            .collect();
        let n = better.len();
        // The chance that one of them comes again in the time left (`left / window`, with
        // the window the time left: 1, or NaN at the deadline).
        let p = if left > 0.0 { 1.0 } else { f64::NAN };
        let all_miss = if n == 0 {
            1.0
        } else {
            (1.0 - p).powi(n as i32)
        };
        let average = if n == 0 {
            0.0
        } else {
            better.iter().sum::<f64>() / n as f64
        };
        offered > (1.0 - all_miss) * average
    }
}

impl AcceptanceStrategy for NiceTitForTatAcceptance {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        if !Self::acceptable(cx, offered.utility, next.utility) {
            return Decision::Reject;
        }
        let now = cx.time;
        let left = 1.0 - now;
        let expected = cx
            .history
            .received()
            .iter()
            .filter(|b| now - left < b.time && b.time <= now)
            .filter(|b| 0.0 < b.utility && b.utility <= 1.1)
            .count();
        let best = cx
            .history
            .best_received()
            .map_or(f64::NEG_INFINITY, |b| b.utility);
        if expected > 1 && best > offered.utility {
            Decision::Reject
        } else {
            Decision::Accept
        }
    }
}

/// IAMhaggler2011's acceptance condition (GENIUS `AC_IAMHaggler2011`): accepts an offer
/// whose utility, times 1.02, exceeds that of its last bid, or of its next bid, or 0.9
/// (never before its first bid).
#[derive(Debug, Clone, Default)]
pub struct IamHagglerAcceptance;

impl AcceptanceStrategy for IamHagglerAcceptance {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        let Some(last) = cx.history.last_sent() else {
            return Decision::Reject;
        };
        let u = offered.utility * 1.02;
        if u > last.utility || u > next.utility || u > 0.9 {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

/// AgentLG's acceptance condition (GENIUS `AC_AgentLG`): accepts an offer worth (discounted)
/// at least 0.99 of its last bid, or 0.9 of it after time 0.999, or at least the lowest
/// outcome it is prepared to offer now. Paired with AgentLG's offering strategy it reads
/// that range; otherwise its own, which holds only its best outcome (GENIUS's own copy never
/// widens it).
#[derive(Debug, Clone, Default)]
pub struct AgentLgAcceptance;

impl AcceptanceStrategy for AgentLgAcceptance {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, _: &Bid) -> Decision {
        let Some(last) = cx.history.last_sent() else {
            return Decision::Reject;
        };
        let t = cx.time;
        let d = |u: f64| cx.space.discounted(u, t);
        let (mine, theirs) = (d(last.utility), d(offered.utility));
        let shared = cx.shared.and_then(|s| s.downcast_ref::<AgentLgState>());
        let lowest = shared
            .and_then(|s| s.min_utility)
            .unwrap_or_else(|| cx.space.best());
        if theirs >= mine * 0.99 || (t > 0.999 && theirs >= mine * 0.9) || d(lowest) <= theirs {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

/// BRAMAgent's acceptance condition (GENIUS `AC_BRAMAgent`): accepts an offer whose
/// discounted utility reaches BRAMAgent's threshold, or that of the bid it is about to make.
///
/// Paired with BRAMAgent's offering strategy it reads the threshold that strategy computed on
/// this turn; otherwise it computes the threshold between its worst and best outcomes.
#[derive(Debug, Clone, Default)]
pub struct BramAgentAcceptance;

impl AcceptanceStrategy for BramAgentAcceptance {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        let t = cx.time;
        let space = cx.space;
        let shared = cx.shared.and_then(|s| s.downcast_ref::<BramAgentState>());
        let threshold = match shared {
            Some(state) => state.threshold,
            None => bram_agent::threshold(space, t, space.worst(), space.best()),
        };
        let theirs = space.discounted(offered.utility, t);
        if theirs >= threshold || theirs >= space.discounted(next.utility, t) {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

/// Gahboninho's acceptance condition (GENIUS `AC_Gahboninho`): during its 40 opening bids,
/// an offer worth more than 0.95; and an offer worth at least the minimum its offering
/// strategy set on this turn.
///
/// Alone, GENIUS's copy of the state never sets that minimum, which stays 0: it accepts any
/// offer worth at least 0; so does detente's.
#[derive(Debug, Clone, Default)]
pub struct GahboninhoAcceptance;

impl AcceptanceStrategy for GahboninhoAcceptance {
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, _: &Bid) -> Decision {
        let shared = cx.shared.and_then(|s| s.downcast_ref::<GahboninhoState>());
        let (first_actions, min) = shared.map_or((40, 0.0), |s| (s.first_actions, s.min_accept));
        let u = offered.utility;
        if (first_actions > 0 && u > 0.95) || u >= min {
            Decision::Accept
        } else {
            Decision::Reject
        }
    }
}

pub(super) fn entries() -> Vec<AcceptanceEntry> {
    let agent_k = |v: Version| {
        move |_: &Params<'_>| -> Box<dyn AcceptanceStrategy> { Box::new(AgentKAcceptance::new(v)) }
    };
    vec![
        AcceptanceEntry::new(
            "ac-agent-k",
            "AgentK's: accepts at random with a probability that grows with time and with the \
             offer's utility against the estimated best the opponent will concede",
            agent_k(Version::K),
        )
        .source("AgentK, ANAC 2010; GENIUS AC_AgentK"),
        AcceptanceEntry::new(
            "ac-agent-k2",
            "AgentK2's: AgentK's, its targets scaled by the discount",
            agent_k(Version::K2),
        )
        .source("AgentK2, ANAC 2011; GENIUS AC_AgentK2"),
        AcceptanceEntry::new(
            "ac-hardheaded",
            "HardHeaded's: accepts an offer better than its lowest bid so far, or at least as \
             good as its next bid",
            |_| Box::new(HardHeadedAcceptance::default()),
        )
        .source("HardHeaded, ANAC 2011; GENIUS AC_HardHeaded"),
        AcceptanceEntry::new(
            "ac-nice-tit-for-tat",
            "Nice Tit for Tat's: AC_next; near the deadline, an offer better than what waiting \
             is expected to bring",
            |_| Box::new(NiceTitForTatAcceptance),
        )
        .source("Nice Tit for Tat, ANAC 2011; GENIUS AC_NiceTitForTat"),
        AcceptanceEntry::new(
            "ac-iam-haggler2011",
            "IAMhaggler2011's: accepts an offer that, times 1.02, beats its last bid, its next \
             bid or 0.9",
            |_| Box::new(IamHagglerAcceptance),
        )
        .source("IAMhaggler2011, ANAC 2011; GENIUS AC_IAMHaggler2011"),
        AcceptanceEntry::new(
            "ac-agent-lg",
            "AgentLG's: accepts an offer near its last bid, or at least the lowest it is \
             prepared to offer",
            |_| Box::new(AgentLgAcceptance),
        )
        .source("AgentLG, ANAC 2012; GENIUS AC_AgentLG"),
        AcceptanceEntry::new(
            "ac-bram-agent",
            "BRAMAgent's: accepts an offer at or above its threshold, or at least as good as its \
             next bid (discounted)",
            |_| Box::new(BramAgentAcceptance),
        )
        .source("BRAMAgent, ANAC 2011; GENIUS AC_BRAMAgent"),
        AcceptanceEntry::new(
            "ac-gahboninho",
            "Gahboninho's: an offer above 0.95 during its opening bids, or at least its \
             recommended utility times its compromise factor",
            |_| Box::new(GahboninhoAcceptance),
        )
        .source("Gahboninho, ANAC 2011; GENIUS AC_Gahboninho"),
    ]
}
