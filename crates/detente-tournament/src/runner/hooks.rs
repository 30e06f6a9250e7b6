//! What a run plugs in: where negotiators and mediators come from, the clock for per-step budgets, and who
//! hears about progress.

use detente_core::protocol::Clock;
use detente_formats::WallClock;
use detente_negotiators::Registry;

/// Progress reports from a run. Every method has an empty default.
pub trait Observer: Sync {
    /// The run is about to start: `total` negotiations in this shard, `done` of them already
    /// in the results file (resumed).
    fn started(&self, _total: u64, _done: u64) {}
    /// `done` negotiations of the shard are now in the results file.
    fn progress(&self, _done: u64) {}
    /// Something worth telling the user that does not stop the run.
    fn warning(&self, _message: &str) {}
    /// Whether to stop before the next batch (the user interrupted the run). The run then
    /// returns normally with the batches done so far written, and no summary; a later run
    /// with `resume` continues it.
    fn stop(&self) -> bool {
        false
    }
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

fn wall_clock() -> Box<dyn Clock> {
    Box::new(WallClock::start())
}

/// What a run plugs in: where negotiators and mediator strategies come from, the clock for
/// per-step budgets, and who hears about progress.
pub struct Hooks<'a> {
    /// Creates the negotiators and the mediators' strategies (the built-in kinds by default).
    pub registry: Registry,
    /// Makes a clock at the start of each negotiation (used only with a step budget; by
    /// default `detente_formats::WallClock`).
    pub clock: &'a (dyn Fn() -> Box<dyn Clock> + Sync),
    /// Hears about progress and warnings ([`Silent`] by default).
    pub observer: &'a dyn Observer,
}

impl Default for Hooks<'_> {
    fn default() -> Self {
        Hooks {
            registry: Registry::builtin(),
            clock: &wall_clock,
            observer: &Silent,
        }
    }
}

impl std::fmt::Debug for Hooks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}
