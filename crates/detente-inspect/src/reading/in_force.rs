//! The bounds each party conceded between, round by round: its best utility, its reservation
//! level and its utility levels as the setting stood at the start of each round (events,
//! partial agreements and beliefs replayed from the trace, [`Setting::replay`]).

use std::sync::Arc;

use detente_core::dynamics::Setting;
use detente_core::{PartyTable, Scenario, ScenarioTables, Trace, TraceEntry};

/// The most outcome readings [`in_force`] makes (rounds read times outcomes): above it, a
/// reading measures concession against the bounds at its end only.
pub const IN_FORCE_LIMIT: u64 = 2_000_000;

/// One party's bounds at the start of one round.
#[derive(Debug, Clone)]
pub struct PartyInForce {
    /// Its best utility in force.
    pub pmax: f64,
    /// `max(reservation in force, worst utility)`, at most `pmax`.
    pub pmin: f64,
    /// Its utilities in force (levels: `table.sorted`).
    pub table: Arc<PartyTable>,
}

/// The bounds of every party at the start of each round: `[round][party]`.
pub type SettingsInForce = Vec<Vec<PartyInForce>>;

/// The bounds in force at the start of rounds `0..=last` of the negotiation `trace` records on
/// `scenario` (its events and beliefs replayed); `None` when its events cannot be replayed, a
/// table cannot be built, or the rounds times the outcomes exceed [`IN_FORCE_LIMIT`].
pub fn in_force(scenario: &Scenario, trace: &Trace, last: u32) -> Option<SettingsInForce> {
    by_round(scenario, last, |r| {
        Setting::replay(scenario, trace, Some(r)).ok()
    })
}

/// [`in_force`] for a record that does not say what fired (a hand-written record): the
/// scenario's triggers evaluated on its actions ([`Setting::by_triggers`]).
pub fn in_force_by_triggers(
    scenario: &Scenario,
    entries: &[TraceEntry],
    last: u32,
) -> Option<SettingsInForce> {
    by_round(scenario, last, |r| {
        Some(Setting::by_triggers(scenario, entries, r))
    })
}

fn by_round(
    scenario: &Scenario,
    last: u32,
    setting_at: impl Fn(u32) -> Option<Setting>,
) -> Option<SettingsInForce> {
    let outcomes = scenario.space.count_u64()?;
    if (u64::from(last) + 1).saturating_mul(outcomes) > IN_FORCE_LIMIT {
        return None;
    }
    (0..=last)
        .map(|r| {
            let setting = setting_at(r)?;
            let s = &setting.scenario;
            let tables = ScenarioTables::for_scenario(s);
            (0..s.parties.len())
                .map(|p| {
                    let table = tables.party(s, p).ok()?;
                    let pmax = table.best();
                    let pmin = s.parties[p]
                        .preferences
                        .reservation
                        .max(table.worst())
                        .min(pmax);
                    Some(PartyInForce { pmax, pmin, table })
                })
                .collect()
        })
        .collect()
}

/// `entries` with each action's utilities as every party valued the outcome at the start of
/// its round (`settings[round]`; unchanged where `settings` lacks the round or the outcome has
/// no id): a recorded trace read back from a file holds utilities recomputed from the
/// scenario as it started, while the parties weighed offers in the setting in force.
pub fn revalue(
    scenario: &Scenario,
    entries: &[TraceEntry],
    settings: &[Vec<PartyInForce>],
) -> Vec<TraceEntry> {
    entries
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let round = settings.get(e.round as usize);
            let id = e.outcome.as_ref().and_then(|o| scenario.space.id_of(o));
            if let (Some(round), Some(id)) = (round, id) {
                for (u, b) in e.utilities.iter_mut().zip(round) {
                    if let Some(&v) = b.table.utilities.get(id as usize) {
                        *u = v;
                    }
                }
            }
            e
        })
        .collect()
}
