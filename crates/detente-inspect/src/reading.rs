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

use detente_analysis::stats::{pearson, variance};
use detente_core::dynamics::{StallingRule, is_stalling};
use detente_core::{ActionKind, Scenario, ScenarioTables, TraceEntry};
use detente_negotiators::{LINEAR_EXPONENT, Tactic};

use crate::error::{InspectError, Result};
use crate::fit::{TacticFit, fit_tactic, level_at_least};

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

/// The stalling rule used unless told otherwise: no improvement of at least 0.01 in the offer
/// to others over the last 5 rounds.
pub const DEFAULT_STALLING: StallingRule = StallingRule {
    window: 5,
    min_improvement: 0.01,
};

/// A strategy class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// Does not concede.
    Hardliner,
    /// Time-dependent, conceding late ([`Tactic::Boulware`]: `e < 1`).
    Boulware,
    /// Time-dependent, conceding at a steady rate ([`Tactic::Linear`]: `e = 1`).
    Linear,
    /// Time-dependent, conceding early ([`Tactic::Conceder`]: `e > 1`).
    Conceder,
    /// Its concessions follow the others'.
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
    /// Normalised time of the turn.
    pub time: f64,
    /// Undiscounted utility of the offer to every party (its own included).
    pub utilities: Vec<f64>,
}

/// The numbers a classification rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Offers made.
    pub offers: usize,
    /// Distinct outcomes offered.
    pub distinct_offers: usize,
    /// How far it conceded, first offer to last, as a share of `Pmax - Pmin` (own utility).
    pub conceded_share: f64,
    /// Share of the steps between consecutive offers that keep or lower its own utility.
    pub monotone_share: Option<f64>,
    /// Sample variance of those steps.
    pub step_variance: Option<f64>,
    /// Correlation of its concession at an offer with the mean concession the others made
    /// since its previous offer (both in its own utility).
    pub reciprocity: Option<f64>,
    /// Number of offers that correlation is computed over.
    pub reciprocity_pairs: usize,
    /// The round the stalling test is made at (the last round read).
    pub stalling_round: u32,
    /// The stalling test at that round (`None`: it cannot be made yet).
    pub stalling: Option<bool>,
    /// Own-utility concession over the stalling window: from its latest offer at the window's
    /// start to its last offer (`None` when it made no offer in the window).
    pub window_concession: Option<f64>,
    /// What the fitted tactic predicts over the same span.
    pub window_predicted: Option<f64>,
}

/// What is read about one party.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyReading {
    /// Party index.
    pub party: usize,
    /// Party name.
    pub name: String,
    /// Its best utility.
    pub pmax: f64,
    /// `max(reservation, worst utility)`.
    pub pmin: f64,
    /// Its offers in order.
    pub curve: Vec<CurvePoint>,
    /// The fitted time-dependent tactic (with at least three offers).
    pub fit: Option<TacticFit>,
    /// The evidence.
    pub evidence: Evidence,
    /// The class.
    pub strategy: Strategy,
    /// The rule that gave the class, with its numbers.
    pub reason: String,
}

/// What is read from a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// One per party, in turn order.
    pub parties: Vec<PartyReading>,
    /// The last round read.
    pub last_round: u32,
    /// The stalling rule used.
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
    let n = scenario.parties.len();
    let last_round = entries.iter().map(|e| e.round).max().unwrap_or(0);
    let mut parties = Vec::with_capacity(n);
    for i in 0..n {
        parties.push(read_party(
            scenario, tables, entries, deadline, rule, i, last_round,
        )?);
    }
    Ok(Reading {
        parties,
        last_round,
        rule,
    })
}

fn read_party(
    scenario: &Scenario,
    tables: &ScenarioTables,
    entries: &[TraceEntry],
    deadline: u32,
    rule: StallingRule,
    i: usize,
    last_round: u32,
) -> Result<PartyReading> {
    let n = scenario.parties.len();
    let (pmax, pmin, table) = bounds(scenario, tables, i)?;
    let range = pmax - pmin;
    let curve: Vec<CurvePoint> = entries
        .iter()
        .filter(|e| e.actor.is_party(i) && e.kind == ActionKind::Offer)
        .map(|e| CurvePoint {
            round: e.round,
            time: e.time,
            utilities: e.utilities.clone(),
        })
        .collect();
    let own: Vec<f64> = curve.iter().map(|c| c.utilities[i]).collect();
    let points: Vec<(f64, f64)> = curve.iter().map(|c| (c.time, c.utilities[i])).collect();
    let fit = fit_tactic(&points, pmin, pmax, Some(&table.sorted));
    let mut distinct: Vec<&detente_core::Outcome> = entries
        .iter()
        .filter(|e| e.actor.is_party(i) && e.kind == ActionKind::Offer)
        .filter_map(|e| e.outcome.as_ref())
        .collect();
    distinct.sort();
    distinct.dedup();
    let steps: Vec<f64> = own.windows(2).map(|w| w[1] - w[0]).collect();
    let monotone_share = (!steps.is_empty())
        .then(|| steps.iter().filter(|&&d| d <= 1e-9).count() as f64 / steps.len() as f64);
    let conceded_share = match (own.first(), own.last()) {
        (Some(a), Some(b)) if range > 1e-12 => (a - b) / range,
        _ => 0.0,
    };
    // Reciprocity: my concession at each offer against the others' mean concession since my
    // previous offer, both in my utility.
    let mut mine = Vec::new();
    let mut theirs = Vec::new();
    {
        let mut latest: Vec<Option<f64>> = vec![None; n];
        let mut at_my_last: Option<(f64, Vec<Option<f64>>)> = None;
        for e in entries.iter().filter(|e| e.kind == ActionKind::Offer) {
            let Some(by) = e.actor.party() else { continue };
            if by != i {
                latest[by] = Some(e.utilities[i]);
                continue;
            }
            let u = e.utilities[i];
            if let Some((prev_u, prev_latest)) = &at_my_last {
                let moves: Vec<f64> = (0..n)
                    .filter(|&j| j != i)
                    .filter_map(|j| Some(latest[j]? - prev_latest[j]?))
                    .collect();
                if !moves.is_empty() {
                    mine.push(prev_u - u);
                    theirs.push(moves.iter().sum::<f64>() / moves.len() as f64);
                }
            }
            at_my_last = Some((u, latest.clone()));
        }
    }
    let reciprocity = (mine.len() >= MIN_RECIPROCITY_PAIRS)
        .then(|| pearson(&mine, &theirs))
        .flatten();
    let stalling = is_stalling(entries, i, last_round, rule);
    // Own concession over the stalling window, observed and as the fit predicts it.
    let window = rule.window.max(1);
    let (window_concession, window_predicted) = match last_round.checked_sub(window) {
        Some(start) => {
            let own_at = |r: u32| {
                curve
                    .iter()
                    .rev()
                    .find(|c| c.round <= r)
                    .map(|c| c.utilities[i])
            };
            // Up to its last offer: a party that accepts instead of offering is not stalling.
            let last_offer = curve.last().filter(|c| c.round > start);
            let observed = match (own_at(start), last_offer) {
                (Some(a), Some(b)) => Some(a - b.utilities[i]),
                _ => None,
            };
            let predicted = match (&fit, last_offer) {
                (Some(f), Some(b)) => {
                    let t0 = turn_time(start, i, n, deadline);
                    Some(
                        level_at_least(&table.sorted, f.target(t0))
                            - level_at_least(&table.sorted, f.target(b.time)),
                    )
                }
                _ => None,
            };
            (observed, predicted)
        }
        None => (None, None),
    };
    let evidence = Evidence {
        offers: curve.len(),
        distinct_offers: distinct.len(),
        conceded_share,
        monotone_share,
        step_variance: variance(&steps),
        reciprocity,
        reciprocity_pairs: mine.len(),
        stalling_round: last_round,
        stalling,
        window_concession,
        window_predicted,
    };
    let (strategy, mut reason) = classify(&evidence, fit.as_ref(), range, rule);
    let texts = entries
        .iter()
        .filter(|e| e.actor.is_party(i) && e.kind == ActionKind::Propose)
        .count();
    if texts > 0 && strategy == Strategy::Undetermined {
        // A mediating party puts texts on the table instead of offers: its moves follow the
        // mediator's strategy, not a concession tactic of its own.
        reason = format!(
            "{reason}; it mediated, proposing {texts} texts, which follow the mediator's strategy rather than a concession tactic of its own"
        );
    }
    Ok(PartyReading {
        party: i,
        name: scenario.parties[i].name.clone(),
        pmax,
        pmin,
        curve,
        fit,
        evidence,
        strategy,
        reason,
    })
}

/// Applies the rules of the module docs.
fn classify(
    ev: &Evidence,
    fit: Option<&TacticFit>,
    range: f64,
    rule: StallingRule,
) -> (Strategy, String) {
    if ev.offers < MIN_OFFERS {
        return (
            Strategy::Undetermined,
            format!("{} offers; at least {MIN_OFFERS} are needed", ev.offers),
        );
    }
    if let Some(m) = ev.monotone_share
        && m < MIN_MONOTONE
    {
        return (
            Strategy::Random,
            format!(
                "only {:.0}% of its steps keep or lower its own utility (random below {:.0}%); \
                 step variance {:.4}",
                m * 100.0,
                MIN_MONOTONE * 100.0,
                ev.step_variance.unwrap_or(0.0)
            ),
        );
    }
    if ev.conceded_share < MAX_HARDLINER_CONCESSION {
        return (
            Strategy::Hardliner,
            format!(
                "conceded {:.1}% of the way from its best utility to its reservation level \
                 over {} offers (hardliner below {:.0}%)",
                ev.conceded_share * 100.0,
                ev.offers,
                MAX_HARDLINER_CONCESSION * 100.0
            ),
        );
    }
    if ev.stalling == Some(true)
        && ev.conceded_share >= MIN_STALL_PRIOR_CONCESSION
        && let (Some(obs), Some(pred)) = (ev.window_concession, ev.window_predicted)
        && range > 1e-12
        && pred >= MIN_STALL_PREDICTED * range
        && pred >= 2.0 * obs.max(0.0) + 1e-12
    {
        return (
            Strategy::Stalling,
            format!(
                "the stalling test holds at round {} (offer to others improved by less than {} \
                 over {} rounds); it conceded {:.3} of its own utility in that window where its \
                 fitted pace predicts {:.3}, after conceding {:.0}% of the way before",
                ev.stalling_round + 1,
                rule.min_improvement,
                rule.window,
                obs,
                pred,
                ev.conceded_share * 100.0
            ),
        );
    }
    let r2 = fit.and_then(|f| f.r2);
    if let Some(r) = ev.reciprocity
        && r >= MIN_RECIPROCITY
        && ev.reciprocity_pairs >= MIN_RECIPROCITY_PAIRS
        && r2.is_none_or(|r2| r2 < TIME_FIT_GOOD)
    {
        return (
            Strategy::TitForTatLike,
            format!(
                "its concessions correlate with the others' previous concessions (r = {r:.2} \
                 over {} offers, at least {MIN_RECIPROCITY}) better than time explains them \
                 (R² {} < {TIME_FIT_GOOD})",
                ev.reciprocity_pairs,
                r2.map_or("n/a".to_string(), |r| format!("{r:.2}"))
            ),
        );
    }
    let Some(fit) = fit else {
        return (Strategy::Undetermined, "no fit".into());
    };
    if r2.is_none_or(|r2| r2 < TIME_FIT_USABLE) {
        return (
            Strategy::Undetermined,
            format!(
                "the time-dependent fit explains too little (R² {} < {TIME_FIT_USABLE})",
                r2.map_or("n/a".to_string(), |r| format!("{r:.2}"))
            ),
        );
    }
    let tactic = Tactic::of_interval(fit.ci[0], fit.ci[1]);
    (
        Strategy::of_tactic(tactic),
        format!(
            "time-dependent fit e = {:.3} (95% CI {}), R² {:.3}, RMSE {:.4}; {}",
            fit.e,
            ci_text(fit),
            r2.unwrap_or(f64::NAN),
            fit.rmse,
            match tactic {
                Tactic::Boulware => format!("the interval is below {LINEAR_EXPONENT}: Boulware"),
                Tactic::Linear => format!("the interval contains {LINEAR_EXPONENT}: linear"),
                Tactic::Conceder => format!("the interval is above {LINEAR_EXPONENT}: conceder"),
            }
        ),
    )
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
