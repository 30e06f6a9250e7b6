//! Offering (bidding) strategies: which bid a BOA negotiator makes on its turn. A strategy
//! sets a target and asks the opponent-model strategy for a bid near it
//! ([`pick_near`](super::oms::pick_near)), or chooses bids of its own.

mod random;
mod time_dependent;

use detente_core::registry::{Entry, Registry};
use detente_core::{NegotiatorError, OutcomeId};

use super::context::{Context, Setup};
use super::oms::OpponentModelStrategy;

pub use random::RandomOffering;
pub use time_dependent::TimeDependent;

/// What an offering strategy does on a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offering {
    /// Bid this outcome.
    Bid(OutcomeId),
    /// Walk away.
    End,
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
    r.with(RandomOffering::entry())
}
