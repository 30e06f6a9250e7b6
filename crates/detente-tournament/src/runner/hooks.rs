//! What a run plugs in: where negotiators come from, the clock for per-step budgets, and who
//! hears about progress.

use detente_core::protocol::Clock;
use detente_core::{Negotiator, NegotiatorSpec};
use detente_formats::WallClock;

/// Creates negotiators from specs. The built-in registry is [`Registry`]; tests and embedders
/// plug in their own kinds.
pub trait NegotiatorFactory: Sync {
    /// A fresh negotiator for one negotiation.
    fn create(&self, spec: &NegotiatorSpec) -> std::result::Result<Box<dyn Negotiator>, String>;
}

/// The built-in negotiators of `detente-negotiators`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Registry;

impl NegotiatorFactory for Registry {
    fn create(&self, spec: &NegotiatorSpec) -> std::result::Result<Box<dyn Negotiator>, String> {
        detente_negotiators::create(spec).map_err(|e| e.to_string())
    }
}

/// Progress reports from a run. Every method has an empty default.
pub trait Observer: Sync {
    /// The run is about to start: `total` negotiations in this shard, `done` of them already
    /// in the results file (resumed).
    fn started(&self, _total: u64, _done: u64) {}
    /// `done` negotiations of the shard are now in the results file.
    fn progress(&self, _done: u64) {}
    /// Something worth telling the user that does not stop the run.
    fn warning(&self, _message: &str) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

fn wall_clock() -> Box<dyn Clock> {
    Box::new(WallClock::start())
}

/// What a run plugs in: where negotiators come from, the clock for per-step budgets, and
/// who hears about progress.
pub struct Hooks<'a> {
    /// Creates the negotiators.
    pub factory: &'a dyn NegotiatorFactory,
    /// Makes a clock at the start of each negotiation (used only with a step budget; by
    /// default `detente_formats::WallClock`).
    pub clock: &'a (dyn Fn() -> Box<dyn Clock> + Sync),
    /// Hears about progress.
    pub observer: &'a dyn Observer,
}

impl Default for Hooks<'_> {
    fn default() -> Self {
        Hooks {
            factory: &Registry,
            clock: &wall_clock,
            observer: &Silent,
        }
    }
}

impl std::fmt::Debug for Hooks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks").finish_non_exhaustive()
    }
}
