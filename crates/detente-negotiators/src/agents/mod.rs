//! Named agents of the ANAC competitions and the literature, ported natively: each a
//! [`Negotiator`](detente_core::Negotiator) of its own, declaring its registry entry beside
//! itself (`Micro::entry()`...). `docs/negotiators.md` gives each one's source, what it does
//! and where the port had to choose.
//!
//! - [`Micro`]: MiCRO (de Jonge, IJCAI 2022), bilateral.
//! - [`AgentM`]: AgentM, winner of ANAC 2014, bilateral.
//! - [`ParsAgent`]: ParsAgent, ANAC 2015 (a member of Caduceus), any number of parties.
//! - [`RandomDance`]: RandomDance, ANAC 2015 (a member of Caduceus), any number of parties.
//! - [`Atlas3`]: Atlas3, winner of ANAC 2015, any number of parties.
//! - [`Kawaii`]: Kawaii, ANAC 2015 (a member of Caduceus), any number of parties.
//! - [`Caduceus`]: the portfolio of Caduceus, winner of ANAC 2016, generic over its members
//!   ([`caduceus_members`]); [`CaduceusCore`]: its inner agent.
//! - [`PonPoko`]: PonPokoAgent, winner of ANAC 2017, any number of parties.
//! - [`Agreeable`]: AgreeableAgent2018, winner of ANAC 2018, any number of parties.
//! - [`AgentGg`]: AgentGG, winner of ANAC 2019, any number of parties.

mod agent_gg;
mod agent_m;
mod agreeable;
mod atlas3;
mod caduceus;
mod kawaii;
mod micro;
pub(crate) mod pars_agent;
mod pon_poko;
mod random_dance;

pub use agent_gg::AgentGg;
pub use agent_m::AgentM;
pub use agreeable::Agreeable;
pub use atlas3::Atlas3;
pub use caduceus::{
    BEST_BID_SHARE, Caduceus, CaduceusCore, GENIUS_SCORES, Member, caduceus_members,
};
pub use kawaii::Kawaii;
pub use micro::Micro;
pub use pars_agent::ParsAgent;
pub use pon_poko::PonPoko;
pub use random_dance::RandomDance;

use detente_core::{NegotiatorError, SessionInfo};

/// The error of an agent whose published strategy is defined for two parties only, started in
/// a negotiation of more: a recorded negotiator fault naming the agent and the party count.
pub(crate) fn require_bilateral(
    info: &SessionInfo<'_>,
    agent: &str,
) -> Result<(), NegotiatorError> {
    match info.n_parties() {
        2 => Ok(()),
        n => Err(NegotiatorError(format!(
            "{agent} is a bilateral strategy (two parties); this negotiation has {n}"
        ))),
    }
}
