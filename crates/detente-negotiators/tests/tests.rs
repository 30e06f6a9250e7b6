//! Integration tests of the built-in negotiators: SAOP invariants on random scenarios,
//! behaviour against each other, and the registry.

mod agents;
mod behaviour;
mod boa;
mod caduceus_members;
mod fawkes;
mod real_domains;
mod registry;
mod replay;
mod saop_properties;
mod synthetic;

use detente_core::{Negotiator, NegotiatorSpec};
use detente_negotiators::{Registry, SpecError};

/// Creates a negotiator of the built-in registry.
fn create(spec: &NegotiatorSpec) -> Result<Box<dyn Negotiator>, SpecError> {
    Registry::builtin().create(spec)
}
