//! Offering (bidding) strategies: which bid a BOA negotiator makes on its turn. A strategy
//! sets a target and asks the opponent-model strategy for a bid near it
//! ([`pick_near`](super::oms::pick_near)), or chooses bids of its own.

pub mod agent_k;
pub mod agent_lg;
pub mod bram_agent;
pub mod cuhk_agent;
pub(crate) mod cuhk_state;
pub mod fawkes_forecast;
pub mod gahboninho;
mod gahboninho_model;
pub mod hardheaded;
pub mod iam_haggler;
pub mod negotiator_reloaded;
pub mod nice_tit_for_tat;
mod random;
pub mod the_fawkes;
mod time_dependent;

use detente_core::registry::{Entry, Registry};
use detente_core::{NegotiatorError, OutcomeId};

use super::context::{Context, Setup};
use super::oms::OpponentModelStrategy;

pub use agent_k::AgentKOffering;
pub use agent_lg::AgentLgOffering;
pub use bram_agent::BramAgentOffering;
pub use cuhk_agent::CuhkAgentOffering;
pub use gahboninho::GahboninhoOffering;
pub use hardheaded::HardHeadedOffering;
pub use iam_haggler::IamHagglerOffering;
pub use negotiator_reloaded::NegotiatorReloadedOffering;
pub use nice_tit_for_tat::NiceTitForTatOffering;
pub use random::RandomOffering;
pub use the_fawkes::TheFawkesOffering;
pub use time_dependent::TimeDependent;

/// What an offering strategy does on a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offering {
    /// Bid this outcome.
    Bid(OutcomeId),
    /// Walk away.
    End,
    /// Accept the offer on the table without asking the acceptance condition (GENIUS's BOA
    /// agent does so when its offering strategy gives no bid); with no offer on the table, bid
    /// the best outcome.
    Accept,
}

/// Chooses the bids of a BOA negotiator.
pub trait OfferingStrategy: Send {
    /// Starts afresh for a session.
    fn init(&mut self, _setup: &Setup<'_>) -> Result<(), NegotiatorError> {
        Ok(())
    }

    /// The first bid (by default the same as [`next_bid`](Self::next_bid)).
    fn opening_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering {
        self.next_bid(cx, oms)
    }

    /// The bid for this turn. The negotiator asks for it before deciding whether to accept
    /// the offer on the table (as GENIUS's BOA agents do), so acceptance conditions can
    /// compare with it.
    fn next_bid(&mut self, cx: &Context<'_>, oms: &mut dyn OpponentModelStrategy) -> Offering;

    /// The bid for this turn asked a second time, by an acceptance condition that asks again
    /// ([`asks_next_bid`](super::AcceptanceStrategy::asks_next_bid)); `None` (the default):
    /// the bid it gave. Only strategies written for such a condition compute it again (with
    /// their side effects, as GENIUS's `determineNextBid` called twice); the others assume one
    /// call per turn.
    fn next_bid_again(
        &mut self,
        _cx: &Context<'_>,
        _oms: &mut dyn OpponentModelStrategy,
    ) -> Option<Offering> {
        None
    }

    /// What it shares with the other components ([`Context::shared`]), if anything.
    fn shared(&self) -> Option<&dyn std::any::Any> {
        None
    }
}

/// The registry of offering strategies.
pub type OfferingKinds = Registry<dyn OfferingStrategy>;

/// An entry of the offering registry.
pub type OfferingEntry = Entry<dyn OfferingStrategy>;

/// The built-in offering strategies: `time-dependent`, `boulware`, `conceder`, `linear`,
/// `hardliner`, `random`.
pub fn kinds() -> OfferingKinds {
    let mut r = Registry::new("offering strategy")
        .with_example("`time-dependent` or `time-dependent(e=0.2)`");
    for e in TimeDependent::entries() {
        r = r.with(e);
    }
    for e in AgentKOffering::entries() {
        r = r.with(e);
    }
    r.with(RandomOffering::entry())
        .with(HardHeadedOffering::entry())
        .with(NiceTitForTatOffering::entry())
        .with(IamHagglerOffering::entry())
        .with(AgentLgOffering::entry())
        .with(NegotiatorReloadedOffering::entry())
        .with(BramAgentOffering::entry())
        .with(GahboninhoOffering::entry())
        .with(CuhkAgentOffering::entry())
        .with(TheFawkesOffering::entry())
}

#[cfg(test)]
mod tests;
