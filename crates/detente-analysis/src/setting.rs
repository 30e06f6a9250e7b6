//! Analysis of the talks as the events left them: the frontier, points and deal zone of the
//! setting at a round (rebuilt by [`detente_core::dynamics::replay`]), and the quality of a
//! finished negotiation against the setting at its end.
//!
//! The **deal zone** of a setting is every feasible outcome that each party still at the
//! table values at least at its reservation value in force (within
//! [`crate::AnalysisConfig::tolerance`]): the agreements all of them could accept. It is
//! listed best first: by the product of the parties' gains over their fallbacks (the Nash
//! product), then by the sum of the gains, then in the order the space enumerates outcomes.
//!
//! **One welfare figure.** The welfare of a negotiation is the sum of every party's final
//! utility as the result records it ([`detente_core::NegotiationResult::utilities`]): the
//! agreement's utility in the setting at the end, or the reservation value in force at the
//! end without agreement, discounted at the time the talks ended. `detente run`, sweeps,
//! forecasts and tournaments all report this figure ([`welfare`]). The distances of
//! [`AgreementQuality`] are measured in undiscounted utilities against the analysis of the
//! setting at the end (its reservation values, weights and feasible outcomes).

use detente_core::dynamics::Setting;
use detente_core::{NegotiationResult, Outcome, Scenario, Trace};

use crate::{AgreementQuality, Analysis, AnalysisConfig, Result, analyze, quality_of_utilities};

/// One outcome of a deal zone.
#[derive(Debug, Clone, PartialEq)]
pub struct DealOutcome {
    /// The outcome.
    pub outcome: Outcome,
    /// Every party's undiscounted utility of it, in the scenario's party order.
    pub utilities: Vec<f64>,
    /// The product of the gains over the reservation values of the parties the zone is of.
    pub nash_product: f64,
}

/// The outcomes acceptable to every party of a set (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct DealZone {
    /// The parties whose acceptance counts, by index in the scenario's party order.
    pub parties: Vec<usize>,
    /// Their reservation values, as the zone was computed with.
    pub reservations: Vec<f64>,
    /// Every outcome acceptable to all of them, best first.
    pub outcomes: Vec<DealOutcome>,
}

impl DealZone {
    /// Whether some outcome is acceptable to all.
    pub fn exists(&self) -> bool {
        !self.outcomes.is_empty()
    }

    /// Whether `outcome` is in the zone.
    pub fn contains(&self, outcome: &Outcome) -> bool {
        self.outcomes.iter().any(|d| &d.outcome == outcome)
    }
}

/// The deal zone of `scenario` among `parties` (indices into its parties), judged against the
/// reservation values the scenario gives them; the space is enumerated up to
/// `config.enumeration_limit` and infeasible outcomes are skipped.
pub fn deal_zone(
    scenario: &Scenario,
    parties: &[usize],
    config: &AnalysisConfig,
) -> Result<DealZone> {
    let reservations: Vec<f64> = parties
        .iter()
        .map(|&p| scenario.parties[p].preferences.reservation)
        .collect();
    let mut outcomes = Vec::new();
    for o in scenario.space.outcomes(config.enumeration_limit)? {
        if !scenario.space.contains(&o) {
            continue;
        }
        let utilities = scenario.utilities(&o);
        let gains: Vec<f64> = parties
            .iter()
            .zip(&reservations)
            .map(|(&p, r)| utilities[p] - r)
            .collect();
        if gains.iter().all(|g| *g >= -config.tolerance) {
            outcomes.push(DealOutcome {
                nash_product: gains.iter().map(|g| g.max(0.0)).product(),
                outcome: o,
                utilities,
            });
        }
    }
    let sum = |d: &DealOutcome| -> f64 { parties.iter().map(|&p| d.utilities[p]).sum() };
    outcomes.sort_by(|a, b| {
        b.nash_product
            .total_cmp(&a.nash_product)
            .then_with(|| sum(b).total_cmp(&sum(a)))
    });
    Ok(DealZone {
        parties: parties.to_vec(),
        reservations,
        outcomes,
    })
}

/// The analysis of the talks in one setting: of the parties still at the table, with the
/// preferences, reservation values and feasible outcomes in force.
#[derive(Debug, Clone)]
pub struct SettingAnalysis {
    /// The setting analysed.
    pub setting: Setting,
    /// The talks that remain ([`Setting::at_the_table`]): what the frontier, points and deal
    /// zone are of. Its parties are the ones at the table, in turn order.
    pub remaining: Scenario,
    /// The frontier, points and statistics of `remaining`.
    pub analysis: Analysis,
    /// The deal zone of `remaining` (party indices are into `remaining.parties`).
    pub deal_zone: DealZone,
}

/// Analyses the talks that remain in `setting`.
pub fn analyze_setting(setting: Setting, config: &AnalysisConfig) -> Result<SettingAnalysis> {
    let remaining = setting.at_the_table();
    let analysis = analyze(&remaining, config)?;
    let all: Vec<usize> = (0..remaining.parties.len()).collect();
    let deal_zone = deal_zone(&remaining, &all, config)?;
    Ok(SettingAnalysis {
        setting,
        remaining,
        analysis,
        deal_zone,
    })
}

/// The one welfare figure: the sum of every party's final utility (see the module docs).
pub fn welfare(result: &NegotiationResult) -> f64 {
    result.utilities.iter().sum()
}

/// How a finished negotiation on `base` ended, measured against the setting at its end.
#[derive(Debug, Clone)]
pub struct EndQuality {
    /// The setting at the end of the talks (every recorded event replayed).
    pub setting: Setting,
    /// The analysis of the setting at the end, over every party (those that left included:
    /// the agreement binds them too, and their fallbacks are in force).
    pub analysis: Analysis,
    /// The agreement's (or no agreement's) quality against `analysis`; its `welfare` is
    /// [`welfare`] of the result.
    pub quality: AgreementQuality,
}

impl EndQuality {
    /// The deal zone at the end among the parties still at the table (indices into the
    /// scenario's parties); `None` when the space has more than [`END_DEAL_ZONE_LIMIT`]
    /// outcomes (the zone is found by enumeration).
    pub fn deal_zone(&self) -> Option<DealZone> {
        let limit = AnalysisConfig {
            enumeration_limit: self
                .analysis
                .config
                .enumeration_limit
                .min(END_DEAL_ZONE_LIMIT),
            ..self.analysis.config.clone()
        };
        deal_zone(
            &self.setting.scenario,
            &self.setting.active_parties(),
            &limit,
        )
        .ok()
    }
}

/// The largest space whose deal zone [`quality_at_end`] finds (every outcome is read).
pub const END_DEAL_ZONE_LIMIT: u64 = 1_000_000;

/// The most work [`deal_zone_by_round`] does: rebuilt rounds times the outcomes, events and
/// records read for each.
pub const DEAL_ZONE_HISTORY_LIMIT: u64 = 20_000_000;

/// How many outcomes every party still at the table could accept at the start of each round
/// of the talks `trace` records on `base` (the setting rebuilt from the trace at that round,
/// events and beliefs included): when a deal zone opened, shrank and closed. The setting is
/// rebuilt only at the rounds where it can change ([`detente_core::dynamics::change_rounds`]).
/// `None` when that work (rebuilt rounds times the outcomes, events and records read each time)
/// exceeds [`DEAL_ZONE_HISTORY_LIMIT`], or the trace cannot be replayed.
pub fn deal_zone_by_round(
    base: &Scenario,
    trace: &Trace,
    config: &AnalysisConfig,
) -> Option<Vec<u64>> {
    let changes = detente_core::dynamics::change_rounds(trace, trace.result.rounds_used);
    let per_round = base
        .space
        .count_u64()?
        .saturating_add((trace.events.len() + trace.compliance.len()) as u64);
    if (changes.len() as u64).saturating_mul(per_round) > DEAL_ZONE_HISTORY_LIMIT {
        return None;
    }
    let mut sizes = Vec::with_capacity(trace.result.rounds_used as usize);
    let mut size = 0;
    for r in 0..trace.result.rounds_used {
        // The setting changes only at these rounds; in between the size stays.
        if changes.binary_search(&r).is_ok() {
            let setting = Setting::replay(base, trace, Some(r)).ok()?;
            let zone = deal_zone(&setting.scenario, &setting.active_parties(), config).ok()?;
            size = zone.outcomes.len() as u64;
        }
        sizes.push(size);
    }
    Some(sizes)
}

/// The quality of the negotiation `trace` records on `base`, against the setting its events
/// left (see the module docs).
pub fn quality_at_end(
    base: &Scenario,
    trace: &Trace,
    config: &AnalysisConfig,
) -> Result<EndQuality> {
    let setting = Setting::replay(base, trace, None)?;
    let analysis = analyze(&setting.scenario, config)?;
    let utilities = match &trace.result.agreement {
        Some(o) => Some(setting.scenario.utilities(o)),
        None => None,
    };
    let mut quality = quality_of_utilities(&analysis, utilities.as_deref());
    quality.welfare = welfare(&trace.result);
    Ok(EndQuality {
        setting,
        analysis,
        quality,
    })
}
