//! Integration tests of detente-inspect (one test binary, modules below).

mod accuracy;
mod behaviour;
mod coverage;
mod ensembles;
mod ledger;
mod support;
mod user_kinds;
