//! Reading a recorded negotiation as the events left it: the one place that decides which
//! fallbacks and bounds a reading measures concession against (the setting in force at each
//! round), used by `detente inspect` and the Python package alike (so both print the same
//! reading of the same trace).

use detente_core::dynamics::{Setting, StallingRule};
use detente_core::{Scenario, ScenarioTables, TraceEntry};
use detente_formats::trace::{RecordedTrace, TraceSource};
use detente_inspect::{
    InspectError, Reading, SettingsInForce, in_force, in_force_by_triggers, read_in_force,
};

/// The actions of `record` before round `cut` (counted from 0; all of them when `None`).
pub fn entries_before(record: &RecordedTrace, cut: Option<u32>) -> Vec<TraceEntry> {
    record
        .trace
        .entries
        .iter()
        .filter(|e| cut.is_none_or(|c| e.round < c))
        .cloned()
        .collect()
}

/// Each party's reservation value in force at the last round of `entries` (the actions read):
/// the recorded events replayed (JSON traces), or the scenario's triggers evaluated on the
/// actions (hand-written records, and traces whose events do not record their cause).
pub fn fallbacks_in_force(
    scenario: &Scenario,
    record: &RecordedTrace,
    entries: &[TraceEntry],
) -> Vec<f64> {
    let last = entries.last().map_or(0, |e| e.round);
    let replayed = (record.source == TraceSource::Json)
        .then(|| Setting::replay(scenario, &record.trace, Some(last)).ok())
        .flatten();
    replayed
        .unwrap_or_else(|| Setting::by_triggers(scenario, entries, last))
        .reservations()
}

/// Each party's bounds at the start of every round of `entries` (its best utility, reservation
/// level and utilities as the setting stood): the recorded events and beliefs replayed (JSON
/// traces), or the scenario's triggers evaluated on the actions (hand-written records).
/// `None` when too costly ([`detente_inspect::IN_FORCE_LIMIT`]) or not rebuildable.
pub fn settings_in_force(
    scenario: &Scenario,
    record: &RecordedTrace,
    entries: &[TraceEntry],
) -> Option<SettingsInForce> {
    let last = entries.last().map_or(0, |e| e.round);
    let replayed = (record.source == TraceSource::Json)
        .then(|| in_force(scenario, &record.trace, last))
        .flatten();
    replayed.or_else(|| in_force_by_triggers(scenario, entries, last))
}

/// The reading of `record` before round `cut` (all of it when `None`), with concession
/// measured against the fallbacks in force there ([`fallbacks_in_force`]) and each offer
/// predicted within the bounds in force at its round ([`settings_in_force`]).
///
/// # Errors
/// As [`detente_inspect::read_with_fallbacks`].
pub fn read_record(
    scenario: &Scenario,
    tables: &ScenarioTables,
    record: &RecordedTrace,
    cut: Option<u32>,
    rule: StallingRule,
) -> Result<Reading, InspectError> {
    let entries = entries_before(record, cut);
    let fallbacks = fallbacks_in_force(scenario, record, &entries);
    let settings = settings_in_force(scenario, record, &entries);
    read_in_force(
        scenario,
        tables,
        &entries,
        record.trace.deadline,
        rule,
        Some(&fallbacks),
        settings.as_deref(),
    )
}
