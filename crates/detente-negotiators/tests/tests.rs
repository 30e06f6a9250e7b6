//! Integration tests of the built-in negotiators: SAOP invariants on random scenarios,
//! behaviour against each other, and the registry.

mod behaviour;
mod real_domains;
mod registry;
mod saop_properties;
mod synthetic;
