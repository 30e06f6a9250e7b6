//! Acceptance conditions: whether a BOA negotiator accepts the offer on the table (Baarslag,
//! Hindriks and Jonker, "Acceptance conditions in automated negotiation", 2011; GENIUS
//! `negotiator.boaframework.acceptanceconditions.other`).
//!
//! A condition sees the offer on the table (the last bid received; in multilateral talks the
//! standing offer, whoever made it) and the bid the offering strategy would make now, and
//! answers accept, reject (offer that bid instead) or end the talks. Utilities are this
//! party's undiscounted ones, as in GENIUS. Conditions that compare with the party's own bids
//! (`ac-next`, `ac-prev`, `ac-gap`, the `ac-combi` family) never accept below its reservation
//! value when the offering strategy does not bid below it (the built-in ones do not); the
//! others (`ac-const`, `ac-time`, `ac-true`) accept whatever their rule says, by definition.

mod agents;
mod combi;
mod cuhk_agent;
mod fawkes;
mod reloaded;
mod simple;

use detente_core::NegotiatorError;
use detente_core::registry::{Entry, Registry};

use super::context::{Bid, Context, Setup};

pub use agents::{
    AgentKAcceptance, AgentLgAcceptance, BramAgentAcceptance, GahboninhoAcceptance,
    HardHeadedAcceptance, IamHagglerAcceptance, NiceTitForTatAcceptance,
};
pub use combi::{Combi, CombiWindow, Window};
pub use cuhk_agent::CuhkAgentAcceptance;
pub use fawkes::TheFawkesAcceptance;
pub use reloaded::NegotiatorReloadedAcceptance;
pub use simple::{Const, Fixed, Gap, Next, Previous, Time};

/// What an acceptance condition decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Accept the offer on the table.
    Accept,
    /// Make the offering strategy's bid instead.
    Reject,
    /// Walk away.
    End,
}

/// Decides whether to accept the offer on the table.
pub trait AcceptanceStrategy: Send {
    /// Starts afresh for a session.
    fn init(&mut self, _setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }

    /// Decides on `offered` (the offer on the table, received at or before `cx.time`), given
    /// `next`, the bid the offering strategy would make now.
    fn decide(&mut self, cx: &Context<'_>, offered: &Bid, next: &Bid) -> Decision;

    /// Whether it asks the offering strategy for its bid a second time before deciding, and
    /// decides with that second bid (GENIUS's `AC_TheFawkes` calls `determineNextBid` again,
    /// with the offering strategy's side effects); the bid made is still the first. Offering
    /// strategies not written for it answer with the bid they gave
    /// ([`next_bid_again`](super::OfferingStrategy::next_bid_again)).
    fn asks_next_bid(&self) -> bool {
        false
    }
}

/// The registry of acceptance conditions.
pub type AcceptanceKinds = Registry<dyn AcceptanceStrategy>;

/// An entry of the acceptance registry.
pub type AcceptanceEntry = Entry<dyn AcceptanceStrategy>;

/// The built-in acceptance conditions: `ac-next`, `ac-prev`, `ac-gap`, `ac-const`, `ac-time`,
/// `ac-combi`, `ac-combi-max-w`, `ac-combi-avg-w`, `ac-true`, `ac-false`; and those of the
/// ported ANAC agents: `ac-agent-k`, `ac-agent-k2`, `ac-hardheaded`, `ac-nice-tit-for-tat`, `ac-iam-haggler2011`, `ac-agent-lg`,
/// `ac-negotiator-reloaded`, `ac-bram-agent`, `ac-gahboninho`, `ac-cuhk-agent`,
/// `ac-the-fawkes`.
pub fn kinds() -> AcceptanceKinds {
    let mut r =
        Registry::new("acceptance condition").with_example("`ac-next` or `ac-next(a=1.02,b=0)`");
    for e in simple::entries()
        .into_iter()
        .chain(combi::entries())
        .chain(agents::entries())
        .chain([
            reloaded::entry(),
            CuhkAgentAcceptance::entry(),
            fawkes::entry(),
        ])
    {
        r = r.with(e);
    }
    r
}

/// Where the acceptance conditions come from.
pub(crate) const SOURCE: &str = "Baarslag, Hindriks and Jonker, Acceptance conditions in automated negotiation, ACAN 2011; \
     GENIUS";
