//! The analysis of a scenario as JSON (`detente analyze --json`), and the agreement quality a
//! JSON trace carries under `analysis`: typed documents, plain data with public fields.
//!
//! `detente-formats` does not depend on `detente-analysis`: the command line builds these
//! documents from its results. Definitions of every figure are in `docs/analysis.md`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::json;
use crate::trace::OutcomeDoc;

/// The analysis of a scenario: Pareto frontier, special points and statistics.
///
/// Unlike the other documents, its `format` names the format the scenario was read from;
/// the document itself has no version field (its field names are stable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisDoc {
    /// The scenario's name.
    pub scenario: String,
    /// The format the scenario was read from: `toml`, `genius` or `geniusweb`.
    pub format: String,
    /// Party names, in turn order: the order of every per-party list below.
    pub parties: Vec<String>,
    /// Issue names, in issue order.
    pub issues: Vec<String>,
    /// The number of outcomes.
    pub n_outcomes: OutcomeCount,
    /// How the frontier was computed: `issue-by-issue` or `enumerate`.
    pub method: String,
    /// Statistics of the scenario.
    pub stats: StatsDoc,
    /// The Nash point(s): the largest product of gains over the reservation values.
    pub nash: PointsDoc,
    /// The Kalai-Smorodinsky point(s): the largest smallest relative gain.
    pub kalai_smorodinsky: PointsDoc,
    /// The maximum-welfare point(s): the largest sum of utilities.
    pub max_welfare: PointsDoc,
    /// The egalitarian point(s): the largest smallest utility.
    pub egalitarian: PointsDoc,
    /// Every outcome on the Pareto frontier (only when asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontier: Option<Vec<PointDoc>>,
    /// The setting analysed, when it is not the scenario as its file states it
    /// (`analyze --at-round`, `analyze --trace`): the analysis above is then of the talks that
    /// remain in it (the parties still at the table, the reservation values, weights and
    /// feasible outcomes in force).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<SettingDoc>,
}

/// The setting of the talks an analysis is of, and its deal zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingDoc {
    /// The round (from 1) at whose start the setting is taken; `None`: at the end of the talks.
    pub round: Option<u32>,
    /// Where the events come from: `trace` (replayed as they fired) or `timeline` (the
    /// scenario's triggers evaluated as if nothing were agreed).
    pub events_from: String,
    /// What had happened by then, in words, in order (`round: name: description`).
    pub events: Vec<String>,
    /// The parties that had left.
    pub left: Vec<String>,
    /// The issues settled by then (`issue=value`).
    pub settled: Vec<String>,
    /// Whether the talks had ended by then.
    pub ended: bool,
    /// How many outcomes every party at the table could accept (its reservation value in
    /// force or better).
    pub deal_zone_size: usize,
    /// The first of them, best first (by the product of gains over the fallbacks, then the sum
    /// of gains); utilities in the order of `parties`.
    pub deal_zone: Vec<PointDoc>,
}

/// A number of outcomes: a number up to 2^64, beyond that the count as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OutcomeCount {
    /// The count.
    Exact(u64),
    /// The count beyond 2^64, as text.
    Beyond(String),
}

/// Statistics of a scenario; lists are per party, in turn order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsDoc {
    /// Each party's lowest utility over all outcomes.
    pub min_utility: Vec<f64>,
    /// Each party's highest utility over all outcomes.
    pub max_utility: Vec<f64>,
    /// Each party's reservation value.
    pub reservation: Vec<f64>,
    /// Outcomes on the Pareto frontier.
    pub frontier_size: usize,
    /// Distinct utility vectors on the frontier.
    pub frontier_distinct: usize,
    /// Distance from the ideal point to the nearest frontier point.
    pub opposition: f64,
    /// The same distance with every party's utilities rescaled to [0, 1], divided by sqrt(n).
    pub opposition_normalised: f64,
    /// Outcomes every party prefers to its reservation value (`None` beyond the enumeration
    /// limit).
    pub n_individually_rational: Option<u64>,
    /// Their share of all outcomes (`None` beyond the enumeration limit).
    pub fraction_individually_rational: Option<f64>,
}

/// A special point: its value and the outcomes that reach it (ties included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsDoc {
    /// The value the point maximises; `None` when no outcome is individually rational for
    /// every party.
    pub value: Option<f64>,
    /// The outcomes that reach it.
    pub points: Vec<PointDoc>,
}

/// An outcome with every party's utility of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointDoc {
    /// The outcome: issue name to value.
    pub outcome: OutcomeDoc,
    /// Every party's utility of it, in turn order.
    pub utilities: Vec<f64>,
}

/// The quality of a negotiation's result: where the agreement (or, without one, the
/// reservation point) lies against the Pareto frontier and the special points, computed on
/// the scenario as the events left it at the end of the talks (reservation values, weights
/// and feasible outcomes in force; every party, those that left included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementQualityDoc {
    /// Whether there was an agreement.
    pub agreement: bool,
    /// Every party's undiscounted utility of the agreement in the setting at the end of the
    /// talks, or its reservation value in force at the end.
    pub utilities: Vec<f64>,
    /// The welfare: the sum of every party's final utility as the result records it
    /// (discounted at the end; the one figure `run`, `sweep` and tournaments report).
    pub welfare: f64,
    /// How many outcomes every party still at the table could accept at the end (its
    /// reservation value in force or better; `analyze --trace` lists them); absent when the
    /// space is too large to enumerate for it (over a million outcomes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_zone: Option<u64>,
    /// How many outcomes every party at the table could accept at the start of each round
    /// (from round 1), the setting rebuilt from the trace; absent when too costly to compute
    /// (rounds times outcomes over 20 million).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_zone_by_round: Option<Vec<u64>>,
    /// Whether no frontier outcome dominates it.
    pub pareto_optimal: bool,
    /// Distance to the nearest frontier point.
    pub distance_to_frontier: f64,
    /// Distance to the nearest Nash point (`None` when there is none).
    pub distance_to_nash: Option<f64>,
    /// Distance to the nearest Kalai-Smorodinsky point (`None` when there is none).
    pub distance_to_kalai_smorodinsky: Option<f64>,
    /// Distance to the nearest maximum-welfare point.
    pub distance_to_max_welfare: f64,
}

impl AnalysisDoc {
    /// Reads an analysis from JSON text; `origin` names the file in errors.
    pub fn from_json_str(text: &str, origin: &Path) -> Result<Self> {
        json::from_str(text, origin)
    }

    /// The document as pretty-printed JSON (keys in alphabetical order, no final newline), as
    /// `detente analyze --json` prints it.
    pub fn to_json(&self) -> String {
        json::to_pretty(self)
    }
}
