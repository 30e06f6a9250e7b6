//! Reading negotiations: what each party's offers say about its strategy, whether it is
//! stalling, where the talks are heading, and how the outcome moves when a parameter does.
//!
//! - [`reading`]: per party, the concession curve, a fit of the time-dependent tactic
//!   ([`fit`]), the evidence for other strategies and a classification that states its numbers;
//!   stalling is [`detente_core::dynamics::is_stalling`].
//! - [`forecast`](mod@forecast): simulates the rest of a cut trace many times with negotiators fitted to
//!   each party, and reports the chance of agreement and where it lands.
//! - [`sweep`](mod@sweep): what-if sweeps over reservation values, exponents, weights and the deadline.
//! - [`ledger`](mod@ledger): the compliance phase's accusations against the truth (in a
//!   simulation) and against each other (in a record of claims alone).
//!
//! Everything is deterministic for a given seed and the same at any thread count. This crate
//! does no I/O.

mod error;
pub mod fit;
pub mod forecast;
pub mod ledger;
pub mod reading;
pub mod sweep;

pub use error::{InspectError, Result};
pub use fit::{InForce, TacticFit, fit_tactic, fit_tactic_in_force};
pub use forecast::{Forecast, ForecastOptions, Model, forecast};
pub use ledger::{Ledger, ledger};
pub use reading::in_force::{
    IN_FORCE_LIMIT, PartyInForce, SettingsInForce, in_force, in_force_by_triggers,
};
pub use reading::pairwise::{self, Votes};
pub use reading::{
    DEFAULT_STALLING, PartyReading, Reading, Strategy, read, read_in_force, read_with_fallbacks,
};
pub use sweep::{Axis, Param, SweepConfig, SweepResult, parse_axis, parse_range, sweep};

/// The mediator strategies of `registry`, checked against the scenario's own, so that the
/// simulations themselves cannot fail on it.
pub(crate) fn mediators_for<'r>(
    scenario: &detente_core::Scenario,
    registry: &'r detente_negotiators::Registry,
) -> Result<&'r detente_core::protocol::mediator::MediatorRegistry> {
    let mediators = registry.mediators();
    if let detente_core::ProtocolKind::Mediated { strategy, .. } = &scenario.protocol.kind {
        mediators
            .validate(strategy)
            .map_err(|e| InspectError::Invalid(e.to_string()))?;
    }
    Ok(mediators)
}
