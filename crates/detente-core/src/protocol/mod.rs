//! Negotiation protocols, each a step-wise state machine: `step()` advances by one action and
//! `run()` is a loop over it. [`run`] picks the protocol a scenario names.
//!
//! Both protocols share the scenario's dynamics: timeline events fire at the start of a round
//! (in the order the scenario lists them, each at most once), and with partial agreements on,
//! an issue on which every active party's position agrees at the end of a round is settled for
//! the rest of the talks. When the scenario changes, negotiators are told through
//! [`crate::Negotiator::update`].

mod mediated;
mod saop;
mod session;

pub use mediated::Mediated;
pub use saop::Saop;

use std::time::Duration;

use crate::negotiator::Negotiator;
use crate::scenario::{ProtocolKind, Scenario};
use crate::tables::ScenarioTables;
use crate::trace::Trace;

/// A source of elapsed time, injected by the caller: the engine never reads a clock itself.
/// Only needed for wall-clock limits.
pub trait Clock: Send + Sync {
    /// Time elapsed since the negotiation started.
    fn elapsed(&self) -> Duration;
}

/// Mixes a seed and a stream number into an independent seed (SplitMix64 finaliser), so that
/// every negotiation and every negotiator in it gets its own reproducible random stream.
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Settings of one negotiation run.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolConfig {
    /// Deadline in rounds.
    pub deadline: u32,
    /// Wall-clock limit for the whole negotiation (needs a [`Clock`]).
    pub time_limit: Option<Duration>,
    /// Longest a negotiator may take for one step (needs a [`Clock`]).
    pub step_limit: Option<Duration>,
    /// Record every action in the trace (off in large tournaments that keep only results;
    /// forced on when an event watches for stalling, which reads the actions).
    pub record_actions: bool,
}

impl ProtocolConfig {
    /// A round deadline, no wall-clock limits, every action recorded.
    pub fn new(deadline: u32) -> Self {
        ProtocolConfig {
            deadline,
            time_limit: None,
            step_limit: None,
            record_actions: true,
        }
    }

    /// The settings a scenario states.
    pub fn from_scenario(scenario: &Scenario) -> Self {
        ProtocolConfig {
            time_limit: scenario.protocol.time_limit,
            ..Self::new(scenario.protocol.deadline)
        }
    }
}

/// What one call to `step` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// An action was taken; the negotiation goes on.
    Continue,
    /// The negotiation has ended (on this step or before).
    Ended,
}

/// Runs a negotiation under the protocol the scenario names (SAOP or mediated).
pub fn run<'a>(
    scenario: &'a Scenario,
    tables: &'a ScenarioTables,
    negotiators: Vec<Box<dyn Negotiator + 'a>>,
    config: ProtocolConfig,
    seed: u64,
    clock: Option<&'a dyn Clock>,
) -> Trace {
    match scenario.protocol.kind {
        ProtocolKind::Saop => {
            let saop = Saop::new(scenario, tables, negotiators, config, seed);
            match clock {
                Some(c) => saop.with_clock(c).run(),
                None => saop.run(),
            }
        }
        ProtocolKind::Mediated { .. } => {
            let m = Mediated::new(scenario, tables, negotiators, config, seed);
            match clock {
                Some(c) => m.with_clock(c).run(),
                None => m.run(),
            }
        }
    }
}

#[cfg(test)]
mod tests;
