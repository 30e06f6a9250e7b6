//! What BOA components see: the bids exchanged so far ([`History`]), the state of a turn
//! ([`Context`]) and what they learn once at the start ([`Setup`]).

use std::any::Any;

use detente_core::{OutcomeId, SessionInfo};

use super::java_random::{JavaRandom, Seeds};
use super::models::Models;
use super::space::OwnSpace;

/// A bid as BOA components see it: an outcome, its utility to this party, when and by whom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bid {
    /// The outcome's id.
    pub id: OutcomeId,
    /// Its undiscounted utility to this party.
    pub utility: f64,
    /// The normalised time of the turn it was made on.
    pub time: f64,
    /// The party that made it.
    pub party: usize,
}

/// The bids of a negotiation so far, as one party saw them: its own, and those it received
/// from every other party, in order (GENIUS's own and opponent bid histories; in multilateral
/// talks the received bids of all other parties form one history, as in GENIUS's `BoaParty`).
#[derive(Debug, Clone, Default)]
pub struct History {
    sent: Vec<Bid>,
    received: Vec<Bid>,
}

impl History {
    /// This party's own bids, in order.
    pub fn sent(&self) -> &[Bid] {
        &self.sent
    }

    /// The bids received from the other parties, in order.
    pub fn received(&self) -> &[Bid] {
        &self.received
    }

    /// This party's last bid.
    pub fn last_sent(&self) -> Option<&Bid> {
        self.sent.last()
    }

    /// The last bid received.
    pub fn last_received(&self) -> Option<&Bid> {
        self.received.last()
    }

    /// The received bid of highest utility to this party (the latest among equals, as
    /// GENIUS's `getBestBidDetails`).
    pub fn best_received(&self) -> Option<&Bid> {
        self.received
            .iter()
            .fold(None, |best: Option<&Bid>, b| match best {
                Some(x) if x.utility > b.utility => Some(x),
                _ => Some(b),
            })
    }

    /// Records a bid of this party.
    pub(crate) fn push_sent(&mut self, bid: Bid) {
        self.sent.push(bid);
    }

    /// Records a bid received.
    pub(crate) fn push_received(&mut self, bid: Bid) {
        self.received.push(bid);
    }
}

/// What every component sees on a turn.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Normalised time of this turn.
    pub time: f64,
    /// This party's view of the outcome space.
    pub space: &'a OwnSpace,
    /// The bids so far.
    pub history: &'a History,
    /// The opponent models, one per other party.
    pub models: &'a Models,
    /// This party's index.
    pub party: usize,
    /// The round of this turn, from 0.
    pub round: u32,
    /// The deadline in rounds.
    pub deadline: u32,
    /// What the offering strategy shares with the other components (GENIUS's
    /// `SharedAgentState`), if it shares anything: an acceptance condition made for a
    /// particular offering strategy downcasts it, and works on its own when it is absent or of
    /// another type. Set when the acceptance condition decides.
    pub shared: Option<&'a dyn Any>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("time", &self.time)
            .field("party", &self.party)
            .finish_non_exhaustive()
    }
}

/// What a component learns once, before the first turn (and again when the scenario
/// changes).
#[derive(Clone, Copy)]
pub struct Setup<'a> {
    /// The session as the negotiator learnt it.
    pub info: &'a SessionInfo<'a>,
    /// This party's view of the outcome space.
    pub space: &'a OwnSpace,
    /// The negotiator's random generators, in the order its components create them (a
    /// component that creates generators during the talks keeps a clone).
    pub seeds: &'a Seeds,
}

impl Setup<'_> {
    /// The negotiator's next random generator (components take theirs in the order their
    /// GENIUS originals create theirs).
    pub fn random(&self) -> JavaRandom {
        self.seeds.next_random()
    }
}

impl std::fmt::Debug for Setup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("party", &self.info.party)
            .finish_non_exhaustive()
    }
}
