//! Negotiation protocols, each a step-wise state machine implementing [`Protocol`]: `step()`
//! advances by one action and `run()` is a loop over it. [`run`] picks the protocol a scenario
//! names.
//!
//! Every protocol drives a [`Session`], which holds what they share: the scenario's dynamics
//! (timeline events fire at the start of a round, in the order the scenario lists them, each at
//! most once; with partial agreements on, an issue on which every active party's position
//! agrees at the end of a round is settled for the rest of the talks; see
//! [`crate::dynamics`]), safe calls into negotiators, the trace and the result. When the
//! scenario changes, negotiators are told through [`crate::Negotiator::update`].
//!
//! A new protocol is a type holding a [`Session`] that implements [`Protocol::step`]; the
//! mediated protocol's mediators are pluggable strategies ([`mediator`]).

mod mediated;
pub mod mediator;
mod saop;
mod session;

pub use mediated::{MEDIATION_PASSES_ON, MEDIATOR_NOTICE, Mediated};
pub use saop::Saop;
pub use session::Session;

use std::time::Duration;

use crate::negotiator::Negotiator;
use crate::scenario::{ProtocolKind, Scenario};
use crate::tables::ScenarioTables;
use crate::trace::{ComplianceRecord, FiredEvent, NegotiationResult, Trace, TraceEntry};

/// Receives a negotiation's actions and events as they happen, so that a caller can write them
/// out as the talks go (a transcript, a streamed trace) instead of keeping them all: a run
/// with a recorder and [`ProtocolConfig::record_actions`] off holds no action in memory.
pub trait Recorder {
    /// An action, as it is recorded (the same entry the trace would hold).
    fn action(&mut self, entry: &TraceEntry);

    /// A timeline event, a partial agreement or a protocol's notice, as it fires (the same
    /// entry the trace's `events` holds, which keeps them all).
    fn event(&mut self, event: &FiredEvent) {
        let _ = event;
    }

    /// A record of the compliance phase (an act, an observation, a report, a belief), as it
    /// happens (the same record the trace's `compliance` holds, which keeps them all).
    fn compliance(&mut self, record: &ComplianceRecord) {
        let _ = record;
    }
}

/// What a run is given besides the negotiation itself.
#[derive(Default)]
pub struct Attachments<'a> {
    /// The clock for wall-clock and per-step limits (without one, they are not applied).
    pub clock: Option<&'a dyn Clock>,
    /// Receives the actions and events as they happen.
    pub recorder: Option<&'a mut dyn Recorder>,
}

impl std::fmt::Debug for Attachments<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachments")
            .field("clock", &self.clock.is_some())
            .field("recorder", &self.recorder.is_some())
            .finish()
    }
}

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

/// How normalised time advances within a negotiation (what [`crate::State::time`] says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeConvention {
    /// detente's default: every turn has its own time, `t = (r * n + k) / (R * n)` for the
    /// turn of position `k` of `n` in round `r` (both from 0) of `R`; the first turn is at 0,
    /// and time never reaches 1 inside the talks.
    #[default]
    PerTurn,
    /// GENIUS's `DiscreteTimeline` and NegMAS's `SAOMechanism` (`relative_time` with
    /// `n_steps = R`): every turn of round `r` (from 0) is at `t = (r + 1) / (R + 1)`. Used to
    /// compare offer by offer with those systems.
    PerRound,
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
    /// stalling triggers see the actions either way, through a watch that keeps only the
    /// window they test).
    pub record_actions: bool,
    /// How normalised time advances ([`TimeConvention::PerTurn`] unless set).
    pub time: TimeConvention,
}

impl ProtocolConfig {
    /// A round deadline, no wall-clock limits, every action recorded.
    pub fn new(deadline: u32) -> Self {
        ProtocolConfig {
            deadline,
            time_limit: None,
            step_limit: None,
            record_actions: true,
            time: TimeConvention::PerTurn,
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

/// A negotiation protocol: a state machine over a [`Session`].
///
/// Implementors provide access to their session and [`step`](Protocol::step); running, clocks,
/// results and the trace come with the trait.
pub trait Protocol<'a> {
    /// The shared state.
    fn session(&self) -> &Session<'a>;

    /// The shared state, to change.
    fn session_mut(&mut self) -> &mut Session<'a>;

    /// Gives up the shared state (to make the trace).
    fn into_session(self) -> Session<'a>
    where
        Self: Sized;

    /// Takes one step (one action, or one text and its votes' first action).
    fn step(&mut self) -> Step;

    /// Uses `clock` for the wall-clock and per-step limits.
    fn with_clock(mut self, clock: &'a dyn Clock) -> Self
    where
        Self: Sized,
    {
        self.session_mut().set_clock(clock);
        self
    }

    /// Hands every action and event to `recorder` as it happens.
    fn with_recorder(mut self, recorder: &'a mut dyn Recorder) -> Self
    where
        Self: Sized,
    {
        self.session_mut().set_recorder(recorder);
        self
    }

    /// The result, once the negotiation has ended.
    fn result<'s>(&'s self) -> Option<&'s NegotiationResult>
    where
        'a: 's,
    {
        self.session().result()
    }

    /// The actions recorded so far.
    fn entries<'s>(&'s self) -> &'s [TraceEntry]
    where
        'a: 's,
    {
        self.session().entries()
    }

    /// The current round, from 0.
    fn round(&self) -> u32 {
        self.session().round()
    }

    /// The scenario as it stands (events may have changed it).
    fn scenario<'s>(&'s self) -> &'s Scenario
    where
        'a: 's,
    {
        self.session().scenario()
    }

    /// Runs to the end and returns the trace.
    fn run(mut self) -> Trace
    where
        Self: Sized,
    {
        while self.step() == Step::Continue {}
        self.into_trace()
    }

    /// Runs to the end and returns the trace and the negotiators as they ended.
    fn run_keeping(mut self) -> (Trace, Vec<Box<dyn Negotiator + 'a>>)
    where
        Self: Sized,
    {
        while self.step() == Step::Continue {}
        self.into_session().into_parts()
    }

    /// The trace; the negotiation must have ended.
    ///
    /// # Panics
    /// When the negotiation has not ended.
    fn into_trace(self) -> Trace
    where
        Self: Sized,
    {
        self.into_session().into_trace()
    }
}

/// The trace and the negotiators as they ended, of one negotiation.
pub type Finished<'a> = (Trace, Vec<Box<dyn Negotiator + 'a>>);

/// Runs `protocol` to the end, with what is attached.
fn drive<'a, P: Protocol<'a>>(mut protocol: P, attached: Attachments<'a>) -> Finished<'a> {
    if let Some(c) = attached.clock {
        protocol = protocol.with_clock(c);
    }
    if let Some(r) = attached.recorder {
        protocol = protocol.with_recorder(r);
    }
    protocol.run_keeping()
}

/// Runs a negotiation under the protocol the scenario names (SAOP, or mediated talks whose
/// mediator strategy `mediators` creates).
///
/// # Errors
/// When the scenario's mediator strategy is not in `mediators` or its parameters are wrong.
pub fn run<'a>(
    scenario: &'a Scenario,
    tables: &'a ScenarioTables,
    negotiators: Vec<Box<dyn Negotiator + 'a>>,
    config: ProtocolConfig,
    seed: u64,
    clock: Option<&'a dyn Clock>,
    mediators: &mediator::MediatorRegistry,
) -> Result<Trace, crate::registry::SpecError> {
    run_keeping(
        scenario,
        tables,
        negotiators,
        config,
        seed,
        clock,
        mediators,
    )
    .map(|(t, _)| t)
}

/// [`run`], also giving back the negotiators as they ended (to measure their opponent models,
/// [`crate::Negotiator::opponent_estimate`]).
///
/// # Errors
/// As [`run`].
pub fn run_keeping<'a>(
    scenario: &'a Scenario,
    tables: &'a ScenarioTables,
    negotiators: Vec<Box<dyn Negotiator + 'a>>,
    config: ProtocolConfig,
    seed: u64,
    clock: Option<&'a dyn Clock>,
    mediators: &mediator::MediatorRegistry,
) -> Result<Finished<'a>, crate::registry::SpecError> {
    let attached = Attachments {
        clock,
        recorder: None,
    };
    run_with(
        scenario,
        tables,
        negotiators,
        config,
        seed,
        mediators,
        attached,
    )
}

/// [`run_keeping`], with a [`Recorder`] that receives the actions and events as they happen
/// (see [`Attachments`]).
///
/// # Errors
/// When the scenario's mediator strategy is not in `mediators` or its parameters are wrong.
pub fn run_with<'a>(
    scenario: &'a Scenario,
    tables: &'a ScenarioTables,
    negotiators: Vec<Box<dyn Negotiator + 'a>>,
    config: ProtocolConfig,
    seed: u64,
    mediators: &mediator::MediatorRegistry,
    attached: Attachments<'a>,
) -> Result<Finished<'a>, crate::registry::SpecError> {
    Ok(match &scenario.protocol.kind {
        ProtocolKind::Saop => drive(
            Saop::new(scenario, tables, negotiators, config, seed),
            attached,
        ),
        ProtocolKind::Mediated { strategy, .. } => {
            let strategy = mediators.create(strategy)?;
            drive(
                Mediated::new(scenario, tables, negotiators, strategy, config, seed),
                attached,
            )
        }
    })
}

#[cfg(test)]
mod tests;
