//! The bounds each party conceded between, round by round: its best utility, its reservation
//! level and its utility levels as the setting stood at the start of each round (events,
//! partial agreements and beliefs replayed from the trace, [`Setting::replay`]).

use std::sync::Arc;

use detente_core::dynamics::{Setting, change_rounds};
use detente_core::{PartyTable, Scenario, ScenarioTables, Trace, TraceEntry};

/// The most work [`in_force`] does (rebuilt rounds times the outcomes, events and records read
/// for each): above it, a reading measures concession against the bounds at its end only.
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
/// `scenario` (its events and beliefs replayed, at the rounds where the setting can change,
/// [`detente_core::dynamics::change_rounds`]); `None` when its events cannot be replayed, a
/// table cannot be built, or the work (rebuilt rounds times the outcomes, events and records
/// read each time) exceeds [`IN_FORCE_LIMIT`].
pub fn in_force(scenario: &Scenario, trace: &Trace, last: u32) -> Option<SettingsInForce> {
    let changes = change_rounds(trace, last.saturating_add(1));
    let per_round = scenario
        .space
        .count_u64()?
        .saturating_add((trace.events.len() + trace.compliance.len()) as u64);
    if (changes.len() as u64).saturating_mul(per_round) > IN_FORCE_LIMIT {
        return None;
    }
    by_round(last, &changes, |r| {
        Setting::replay(scenario, trace, Some(r)).ok()
    })
}

/// [`in_force`] for a record that does not say what fired (a hand-written record): the
/// scenario's triggers evaluated on its actions ([`Setting::by_triggers`]) at every round.
pub fn in_force_by_triggers(
    scenario: &Scenario,
    entries: &[TraceEntry],
    last: u32,
) -> Option<SettingsInForce> {
    let rounds = u64::from(last) + 1;
    let per_round = scenario
        .space
        .count_u64()?
        .saturating_add(entries.len() as u64);
    if rounds.saturating_mul(per_round) > IN_FORCE_LIMIT {
        return None;
    }
    let every: Vec<u32> = (0..=last).collect();
    by_round(last, &every, |r| {
        Some(Setting::by_triggers(scenario, entries, r))
    })
}

/// The bounds at each round of `0..=last`, rebuilt at the rounds of `changes` (sorted, with 0)
/// and carried over in between.
fn by_round(
    last: u32,
    changes: &[u32],
    setting_at: impl Fn(u32) -> Option<Setting>,
) -> Option<SettingsInForce> {
    let mut out: SettingsInForce = Vec::with_capacity(last as usize + 1);
    for r in 0..=last {
        if changes.binary_search(&r).is_err()
            && let Some(previous) = out.last()
        {
            out.push(previous.clone());
            continue;
        }
        let setting = setting_at(r)?;
        out.push(bounds_of(&setting.scenario)?);
    }
    Some(out)
}

/// Every party's bounds in `s`.
fn bounds_of(s: &Scenario) -> Option<Vec<PartyInForce>> {
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
