//! CUHKAgent's acceptance condition: the original agent's `AcceptOpponentOffer` and
//! `TerminateCurrentNegotiation` (ANAC 2012; GENIUS `agents.anac.y2012.CUHKAgent`), which
//! GENIUS's decoupled `AC_CUHKAgent` meant to reproduce.
//!
//! GENIUS's `AC_CUHKAgent` reads the state of `CUHKAgentSAS`, which `CUHKAgent_Offering`
//! never creates; so it always takes its "active helper" path, in which it accepts only a
//! "tough" opponent near the deadline, a flag that is set only when more than 10 rounds are
//! left, and its `estimateTheRoundsLeft` always returns 0: paired with CUHKAgent's offering
//! strategy it never accepts. detente follows the original agent instead.

use detente_core::NegotiatorError;
use detente_core::registry::Params;

use super::{AcceptanceEntry, AcceptanceStrategy, Decision};
use crate::boa::context::{Bid, Context, Setup};
use crate::boa::offering::cuhk_agent::CuhkAgentState;
use crate::boa::offering::cuhk_state::Tracker;

/// CUHKAgent's acceptance condition. It accepts an offer worth at least its threshold or its
/// next bid; or, when the opponent's best offer, discounted, beats its best discounted by the
/// whole factor (after its concession time) or its threshold discounted to now, an offer
/// within 0.01 of that best offer. It ends the talks when its reservation value reaches its
/// threshold or its next bid, or (after its concession time) beats its best times the
/// discount factor; when both hold it accepts an offer worth more than its reservation value.
/// It does neither before its first bid made after one of the opponent's.
///
/// Paired with CUHKAgent's offering strategy it reads the threshold, concession time and best
/// offer that strategy set on this turn; otherwise it keeps them itself, updated with the
/// offer it decides on, its threshold as the offering strategy would set it now.
#[derive(Debug, Clone, Default)]
pub struct CuhkAgentAcceptance {
    own: Option<Tracker>,
}

impl CuhkAgentAcceptance {
    /// Its registry entry, `ac-cuhk-agent`.
    pub fn entry() -> AcceptanceEntry {
        AcceptanceEntry::new(
            "ac-cuhk-agent",
            "CUHKAgent's: accepts at its threshold or next bid, or near the opponent's best \
             offer once that beats what it expects; walks away when its reservation value does",
            |_: &Params<'_>| -> Box<dyn AcceptanceStrategy> {
                Box::new(CuhkAgentAcceptance::default())
            },
        )
        .source(
            "Hao and Leung, CUHKAgent, ANAC 2012 (winner); the original agent's \
             AcceptOpponentOffer and TerminateCurrentNegotiation (GENIUS's decoupled \
             AC_CUHKAgent never accepts: see docs/negotiators.md)",
        )
    }

    /// The state on this turn: the offering strategy's, or its own brought up to date.
    fn state(&mut self, cx: &Context<'_>, offered: &Bid) -> (CuhkAgentState, f64) {
        let own = self.own.as_mut().expect(crate::common::NOT_INITIALISED);
        let d = own.discount();
        if let Some(s) = cx.shared.and_then(|s| s.downcast_ref::<CuhkAgentState>()) {
            return (*s, d);
        }
        own.observe(cx.space, offered.id);
        own.lowest_bid(cx.time);
        (own.state, d)
    }
}

/// GENIUS `AcceptOpponentOffer` (the flag it sets for the offering strategy is always reset
/// by `TerminateCurrentNegotiation` before it is read, so it is not kept).
fn acceptable(cx: &Context<'_>, s: &CuhkAgentState, d: f64, offered: f64, next: f64) -> bool {
    if offered >= s.threshold || offered >= next {
        return true;
    }
    let Some(best) = s.best_offered else {
        return false;
    };
    let best = cx.space.utility(best);
    let current = cx.space.discounted(best, cx.time);
    let near_best = offered >= best - 0.01;
    if current > s.max_utility * d && cx.time > s.concede {
        return near_best;
    }
    current > s.threshold * d.powf(cx.time) && near_best
}

/// GENIUS `TerminateCurrentNegotiation`.
fn walk_away(cx: &Context<'_>, s: &CuhkAgentState, d: f64, next: f64) -> bool {
    let raw = cx.space.reservation();
    let reservation = raw.max(0.0);
    if reservation >= s.threshold || reservation >= next {
        return true;
    }
    let discounted = if raw == 0.0 {
        0.0
    } else {
        cx.space.discounted(raw, cx.time)
    };
    discounted > s.max_utility * d && cx.time > s.concede
}

impl AcceptanceStrategy for CuhkAgentAcceptance {
    fn init(&mut self, setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        self.own = Some(Tracker::new(setup));
        Ok(())
    }

    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision {
        let (s, d) = self.state(cx, offered);
        if cx.history.sent().is_empty() {
            return Decision::Reject;
        }
        let accept = acceptable(cx, &s, d, offered.utility, next.utility);
        let end = walk_away(cx, &s, d, next.utility);
        match (accept, end) {
            (true, false) => Decision::Accept,
            (false, true) => Decision::End,
            (true, true) if offered.utility > cx.space.reservation().max(0.0) => Decision::Accept,
            (true, true) => Decision::End,
            (false, false) => Decision::Reject,
        }
    }
}
