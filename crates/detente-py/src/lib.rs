//! The native module of the `detente` Python package (`detente._native`): the engine's
//! scenarios, runs, analysis, tournaments, inspection, sweeps, reports and plots, and
//! negotiators written in Python, over the detente crates. Built by maturin as an abi3
//! extension for CPython 3.10 and newer (see `pyproject.toml` and `docs/python.md`).
//!
//! The Python package (`python/detente`) re-exports these names and adds what is easier in
//! Python: the `Negotiator` base class, the exception classes and the NegMAS bridge. Every
//! function here turns bad input into `detente.InputError` with the command line's message, and
//! a panic into `detente.DetenteError` ([`errors::guard`]); a Python negotiator that raises is
//! a recorded fault of its negotiation ([`negotiator`]).

mod analysis;
mod convert;
mod errors;
mod frame;
mod inspect;
mod native;
mod negotiator;
mod registry;
mod report;
mod run;
mod scenario;
mod tournament;
mod trace;

use pyo3::prelude::*;

/// Mixes a seed and a stream number into an independent seed, as the engine does: negotiator
/// `k` of a negotiation with seed `s` draws from `derive_seed(s, k)`, negotiation `i` of a
/// tournament with seed `s` runs with `derive_seed(s, i)`.
#[pyfunction]
fn derive_seed(seed: u64, stream: u64) -> u64 {
    detente_core::protocol::derive_seed(seed, stream)
}

/// The native half of the `detente` Python package; import `detente` instead.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "DEFAULT_ENUMERATION_LIMIT",
        detente_core::tables::DEFAULT_ENUMERATION_LIMIT,
    )?;
    m.add("UTILITY_ARRAY_LIMIT", scenario::UTILITY_ARRAY_LIMIT)?;
    m.add_class::<scenario::PyScenario>()?;
    m.add_class::<scenario::PyIssue>()?;
    m.add_class::<scenario::PyParty>()?;
    m.add_class::<trace::PyTrace>()?;
    m.add_class::<negotiator::PyAction>()?;
    m.add_class::<negotiator::PyState>()?;
    m.add_class::<negotiator::PySessionInfo>()?;
    m.add_class::<registry::PyRegistry>()?;
    m.add_class::<analysis::PyAnalysis>()?;
    m.add_class::<tournament::PyTournamentOutput>()?;
    m.add_class::<inspect::PyInspection>()?;
    m.add_class::<inspect::PySweep>()?;
    m.add_class::<native::PyNativeNegotiator>()?;
    m.add("ACCEPT", negotiator::PyAction::accept_action())?;
    m.add("END", negotiator::PyAction::end_action())?;
    m.add_function(wrap_pyfunction!(derive_seed, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::load, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::builtin, m)?)?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(registry::registry, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::analyze, m)?)?;
    m.add_function(wrap_pyfunction!(tournament::tournament, m)?)?;
    m.add_function(wrap_pyfunction!(tournament::read_tournament, m)?)?;
    m.add_function(wrap_pyfunction!(inspect::inspect, m)?)?;
    m.add_function(wrap_pyfunction!(inspect::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(report::report, m)?)?;
    m.add_function(wrap_pyfunction!(report::plot, m)?)?;
    Ok(())
}
