//! Reading each party's behaviour from a trace: its concession curve, a fit of the
//! time-dependent tactic, the evidence of other strategies, the stalling test of
//! [`detente_core::dynamics`], and a classification that states the numbers behind it.
//!
//! The classification takes the first rule that holds (the thresholds are constants of this
//! module and are repeated in `docs/inspect.md`):
//!
//! 1. fewer than [`MIN_OFFERS`] offers: **undetermined**;
//! 2. fewer than [`MIN_MONOTONE`] of the steps between its consecutive offers keep or lower its
//!    own utility: **random**;
//! 3. it conceded less than [`MAX_HARDLINER_CONCESSION`] of the way from `Pmax` to `Pmin`
//!    (first offer to last, in its own utility): **hardliner**;
//! 4. the stalling test holds at the last round, it had conceded at least
//!    [`MIN_STALL_PRIOR_CONCESSION`] of the way, and over the test's window its fitted tactic
//!    predicts an own-utility concession at least [`MIN_STALL_PREDICTED`] of the way and at
//!    least twice the concession it made: **stalling** (it stopped, against its own pace);
//! 5. the correlation of its concessions with the others' concessions since its previous offer
//!    (both in its own utility) is at least [`MIN_RECIPROCITY`] over at least
//!    [`MIN_RECIPROCITY_PAIRS`] offers, and the time-dependent fit has R² below
//!    [`TIME_FIT_GOOD`]: **tit-for-tat-like**;
//! 6. the time-dependent fit has R² below [`TIME_FIT_USABLE`]: **undetermined**;
//! 7. by the 95% interval of the fitted exponent, with the classes of
//!    [`detente_negotiators::Tactic`] (the same definition as the registry's presets):
//!    **Boulware** when the whole interval is below 1, **conceder** when it is above 1,
//!    **linear** when it contains 1 (linear concession cannot be ruled out).

mod classify;
mod evidence;
pub mod in_force;
pub mod pairwise;

use detente_core::dynamics::StallingRule;
use detente_core::{ActionKind, Scenario, ScenarioTables, TraceEntry};
use detente_negotiators::Tactic;

use crate::error::{InspectError, Result};
use crate::fit::{InForce, TacticFit, fit_tactic_in_force};
use in_force::PartyInForce;

/// Fewest offers a classification is made from.
pub const MIN_OFFERS: usize = 3;
/// Smallest share of non-rising steps of a party that is not called random.
pub const MIN_MONOTONE: f64 = 0.75;
/// Largest concession (share of `Pmax - Pmin`) of a hardliner.
pub const MAX_HARDLINER_CONCESSION: f64 = 0.02;
/// Smallest earlier concession (share of `Pmax - Pmin`) of a stalling party.
pub const MIN_STALL_PRIOR_CONCESSION: f64 = 0.05;
/// Smallest predicted concession over the stalling window (share of `Pmax - Pmin`).
pub const MIN_STALL_PREDICTED: f64 = 0.02;
/// Smallest reciprocity correlation of a tit-for-tat-like party.
pub const MIN_RECIPROCITY: f64 = 0.7;
/// Fewest offer pairs the reciprocity correlation is computed from.
pub const MIN_RECIPROCITY_PAIRS: usize = 4;
/// R² of the time-dependent fit from which it is preferred to tit-for-tat.
pub const TIME_FIT_GOOD: f64 = 0.9;
/// R² of the time-dependent fit below which no time-dependent class is given.
pub const TIME_FIT_USABLE: f64 = 0.5;

/// The stalling rule used unless told otherwise: no improvement of at least 0.01 toward
/// anyone over the last 3 rounds (see [`pairwise`]). Three rounds, not more: a record of real
/// talks has few rounds (a week each in the peace-talks record), and with a window of `k` the
/// test of a record of `R` rounds compares round `R` with round `R - k` only.
pub const DEFAULT_STALLING: StallingRule = StallingRule {
    window: 3,
    min_improvement: 0.01,
};

/// A strategy class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// Does not concede (less than [`MAX_HARDLINER_CONCESSION`] of the way).
    Hardliner,
    /// Time-dependent, conceding late ([`Tactic::Boulware`]: `e < 1`).
    Boulware,
    /// Time-dependent, conceding at a steady rate ([`Tactic::Linear`]: `e = 1`).
    Linear,
    /// Time-dependent, conceding early ([`Tactic::Conceder`]: `e > 1`).
    Conceder,
    /// Its concessions follow the others' (correlation at least [`MIN_RECIPROCITY`]).
    TitForTatLike,
    /// Its offers move up and down.
    Random,
    /// It conceded, then stopped against its own pace.
    Stalling,
    /// Too little or too irregular evidence.
    Undetermined,
}

impl Strategy {
    /// Lower-case name, as used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Hardliner => "hardliner",
            Strategy::Boulware => "boulware",
            Strategy::Linear => "linear",
            Strategy::Conceder => "conceder",
            Strategy::TitForTatLike => "tit-for-tat-like",
            Strategy::Random => "random",
            Strategy::Stalling => "stalling",
            Strategy::Undetermined => "undetermined",
        }
    }

    /// The class of a time-dependent exponent known exactly ([`Tactic::of_exponent`]).
    pub fn of_exponent(e: f64) -> Strategy {
        Strategy::of_tactic(Tactic::of_exponent(e))
    }

    /// The class of a time-dependent tactic.
    pub fn of_tactic(tactic: Tactic) -> Strategy {
        match tactic {
            Tactic::Boulware => Strategy::Boulware,
            Tactic::Linear => Strategy::Linear,
            Tactic::Conceder => Strategy::Conceder,
        }
    }
}

/// One offer of a party: when, and what it was worth to every party.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// Round, from 0.
    pub round: u32,
    /// Normalised time of the turn, in `[0, 1)`: the share of the deadline gone.
    pub time: f64,
    /// Undiscounted utility of the offer to every party (its own included).
    pub utilities: Vec<f64>,
}

/// The numbers a classification rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Offers made in the rounds read.
    pub offers: usize,
    /// Distinct outcomes among them.
    pub distinct_offers: usize,
    /// How far it conceded, first offer to last, as a share of `Pmax - Pmin` (own utility).
    pub conceded_share: f64,
    /// Share of the steps between consecutive offers that keep or lower its own utility.
    pub monotone_share: Option<f64>,
    /// Sample variance of those steps (in its own utility); `None` with fewer than two steps.
    pub step_variance: Option<f64>,
    /// Correlation of its concession at an offer with the mean concession the others made
    /// since its previous offer (both in its own utility).
    pub reciprocity: Option<f64>,
    /// Number of offers that correlation is computed over.
    pub reciprocity_pairs: usize,
    /// The round the stalling test is made at (the last round read).
    pub stalling_round: u32,
    /// The stalling test at that round ([`pairwise::is_stalling_pairwise`]: stalling toward
    /// every other party that took part, and no acceptance in the window; `None`: it cannot be
    /// made yet).
    pub stalling: Option<bool>,
    /// The test toward each party at that round (`None` for itself and where it cannot be
    /// made).
    pub stalling_toward: Vec<Option<bool>>,
    /// How it voted on the mediator's texts (mediated talks, a party that did not mediate).
    pub votes: Option<pairwise::Votes>,
    /// Own-utility concession over the stalling window: from its latest offer at the window's
    /// start to its last offer (`None` when it made no offer in the window).
    pub window_concession: Option<f64>,
    /// What the fitted tactic predicts over the same span.
    pub window_predicted: Option<f64>,
}

/// What is read about one party.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyReading {
    /// The party's index in turn order.
    pub party: usize,
    /// The party's name.
    pub name: String,
    /// `Pmax`: its best utility over the feasible outcomes.
    pub pmax: f64,
    /// `Pmin`: `max(reservation, worst utility)`, at most `Pmax`.
    pub pmin: f64,
    /// Its offers in the rounds read, in order.
    pub curve: Vec<CurvePoint>,
    /// The fitted time-dependent tactic (with at least three offers).
    pub fit: Option<TacticFit>,
    /// The numbers the class rests on.
    pub evidence: Evidence,
    /// The class: the first rule of the module docs that holds.
    pub strategy: Strategy,
    /// The rule that gave the class, with its numbers.
    pub reason: String,
}

/// What is read from a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// One per party, in turn order.
    pub parties: Vec<PartyReading>,
    /// The last round read, from 0 (0 when no action was read).
    pub last_round: u32,
    /// The stalling rule the test was made with.
    pub rule: StallingRule,
}

/// Normalised time of party `k`'s turn in round `r`, as the protocol computes it.
pub fn turn_time(round: u32, party: usize, n: usize, deadline: u32) -> f64 {
    (f64::from(round) * n as f64 + party as f64) / (f64::from(deadline) * n as f64)
}

/// `Pmax` and `Pmin` of every party, and the sorted utility levels, from the shared tables.
pub(crate) fn bounds(
    scenario: &Scenario,
    tables: &ScenarioTables,
    party: usize,
) -> Result<(f64, f64, std::sync::Arc<detente_core::PartyTable>)> {
    let table = tables
        .party(scenario, party)
        .map_err(|e| InspectError::Table {
            party: scenario.parties[party].name.clone(),
            message: e.to_string(),
        })?;
    let pmax = table.best();
    let pmin = scenario.parties[party]
        .preferences
        .reservation
        .max(table.worst())
        .min(pmax);
    Ok((pmax, pmin, table))
}

/// Reads every party's behaviour from `entries` (the actions of a trace, possibly cut short)
/// of a negotiation with deadline `deadline` rounds.
pub fn read(
    scenario: &Scenario,
    tables: &ScenarioTables,
    entries: &[TraceEntry],
    deadline: u32,
    rule: StallingRule,
) -> Result<Reading> {
    read_with_fallbacks(scenario, tables, entries, deadline, rule, None)
}

/// [`read`], with each party's concession measured against `fallbacks` (the reservation
/// values in force at the last round read, as events left them: `Pmin = max(fallback, worst
/// utility)`) instead of the reservation values the scenario starts with.
pub fn read_with_fallbacks(
    scenario: &Scenario,
    tables: &ScenarioTables,
    entries: &[TraceEntry],
    deadline: u32,
    rule: StallingRule,
    fallbacks: Option<&[f64]>,
) -> Result<Reading> {
    read_in_force(scenario, tables, entries, deadline, rule, fallbacks, None)
}

/// [`read_with_fallbacks`], in the setting in force at each round (`settings[round][party]`,
/// [`in_force::in_force`]): every action's utilities as the parties valued it then
/// ([`in_force::revalue`]), and each offer's predicted concession measured within the bounds
/// in force at its round: a time-based negotiator concedes from its best utility to its
/// reservation level as they stand, and events, partial agreements and beliefs move them.
/// Rounds `settings` lacks are read within the bounds at the end.
pub fn read_in_force(
    scenario: &Scenario,
    tables: &ScenarioTables,
    entries: &[TraceEntry],
    deadline: u32,
    rule: StallingRule,
    fallbacks: Option<&[f64]>,
    settings: Option<&[Vec<PartyInForce>]>,
) -> Result<Reading> {
    // The stalling test keeps a number per round up to the last round read.
    let last_round = entries.iter().map(|e| e.round).max().unwrap_or(0);
    detente_core::limits::Limit::Rounds.check(u64::from(last_round) + 1, "the trace's rounds")?;
    let revalued = settings.map(|s| in_force::revalue(scenario, entries, s));
    let entries = revalued.as_deref().unwrap_or(entries);
    let talks = Talks {
        scenario,
        entries,
        deadline,
        rule,
        last_round,
        fallbacks,
        settings,
    };
    let parties = (0..scenario.parties.len())
        .map(|i| read_party(&talks, tables, i))
        .collect::<Result<Vec<_>>>()?;
    Ok(Reading {
        parties,
        last_round: talks.last_round,
        rule,
    })
}

/// What every party's reading is made from.
struct Talks<'a> {
    scenario: &'a Scenario,
    /// The actions read.
    entries: &'a [TraceEntry],
    /// The deadline in rounds.
    deadline: u32,
    rule: StallingRule,
    /// The last round read (from 0; 0 when nothing was).
    last_round: u32,
    /// The reservation values in force, when given.
    fallbacks: Option<&'a [f64]>,
    /// The bounds in force at each round, when given.
    settings: Option<&'a [Vec<PartyInForce>]>,
}

/// Reads party `i`: its curve, the fit, the evidence, and the class that follows.
fn read_party(talks: &Talks<'_>, tables: &ScenarioTables, i: usize) -> Result<PartyReading> {
    let (mut pmax, mut pmin, mut table) = bounds(talks.scenario, tables, i)?;
    if let Some(r) = talks.fallbacks.and_then(|f| f.get(i)) {
        pmin = r.max(table.worst()).min(pmax);
    }
    let last = talks
        .settings
        .and_then(|s| s.get(talks.last_round as usize));
    if let Some(b) = last.and_then(|r| r.get(i)) {
        (pmax, pmin, table) = (b.pmax, b.pmin, b.table.clone());
    }
    let curve = evidence::curve(talks.entries, i);
    let points: Vec<(f64, f64)> = curve.iter().map(|c| (c.time, c.utilities[i])).collect();
    let at_end = InForce {
        pmin,
        pmax,
        levels: Some(&table.sorted),
    };
    let bounds: Vec<InForce<'_>> = curve
        .iter()
        .map(|c| {
            let round = talks.settings.and_then(|s| s.get(c.round as usize));
            round.and_then(|r| r.get(i)).map_or(at_end, |b| InForce {
                pmin: b.pmin,
                pmax: b.pmax,
                levels: Some(&b.table.sorted),
            })
        })
        .collect();
    let fit = fit_tactic_in_force(&points, &bounds);
    let range = pmax - pmin;
    let evidence = evidence::gather(talks, i, &curve, &bounds, fit.as_ref(), &table.sorted);
    let (strategy, reason) = classify::classify(&evidence, fit.as_ref(), range, talks.rule);
    let reason = mediator_note(talks.entries, i, strategy, reason);
    Ok(PartyReading {
        party: i,
        name: talks.scenario.parties[i].name.clone(),
        pmax,
        pmin,
        curve,
        fit,
        evidence,
        strategy,
        reason,
    })
}

/// `reason`, with a note when party `i` mediated and could not be classified: a mediating
/// party puts texts on the table instead of offers, so its moves follow the mediator's
/// strategy, not a concession tactic of its own.
fn mediator_note(entries: &[TraceEntry], i: usize, strategy: Strategy, reason: String) -> String {
    let texts = entries
        .iter()
        .filter(|e| e.actor.is_party(i) && e.kind == ActionKind::Propose)
        .count();
    if texts > 0 && strategy == Strategy::Undetermined {
        format!(
            "{reason}; it mediated, proposing {texts} texts, which follow the mediator's strategy rather than a concession tactic of its own"
        )
    } else {
        reason
    }
}

/// The confidence interval of a fit as text, with open ends shown as `0` and `inf`.
pub fn ci_text(fit: &TacticFit) -> String {
    let lo = if fit.lower_open {
        "0".to_string()
    } else {
        format!("{:.3}", fit.ci[0])
    };
    let hi = if fit.upper_open {
        "inf".to_string()
    } else {
        format!("{:.3}", fit.ci[1])
    };
    format!("{lo} to {hi}")
}
