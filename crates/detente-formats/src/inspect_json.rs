//! What `detente inspect --json` prints: each party's strategy read from a trace, with its
//! evidence, the stalling test, and the forecast of the rest of the talks. A typed document,
//! plain data with public fields; definitions in `docs/inspect.md`.
//!
//! `detente-formats` does not depend on `detente-inspect`: the command line builds this
//! document from the reading and the forecast.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::json;
use crate::trace::{OutcomeDoc, PerParty};

/// The reading of a trace, and the forecast from a round on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectDoc {
    /// The scenario's name.
    pub scenario: String,
    /// The deadline in rounds.
    pub deadline: u32,
    /// Whether the record says how the talks ended.
    pub finished: bool,
    /// How the talks ended (or where the record stops), in words.
    pub outcome: String,
    /// The last round read (from 1).
    pub read_until_round: u32,
    /// The stalling test used.
    pub stalling_rule: StallingRuleDoc,
    /// Each party's reading, in turn order.
    pub parties: Vec<PartyReadingDoc>,
    /// The forecast (`None` when the talks ended in their first round or the record reaches
    /// the deadline).
    pub forecast: Option<ForecastDoc>,
}

/// The stalling test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StallingRuleDoc {
    /// Rounds looked back over.
    pub window: u32,
    /// Smallest improvement of the offer to others that is not stalling.
    pub min_improvement: f64,
    /// The test, in words.
    pub definition: String,
}

/// What a party's offers say about its strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyReadingDoc {
    /// The party's name.
    pub name: String,
    /// The strategy it plays, as classified (`boulware`, `conceder`, `hardliner`...).
    pub strategy: String,
    /// Why, in words.
    pub reason: String,
    /// Its best utility.
    pub pmax: f64,
    /// Its reservation level: the larger of its reservation value and its worst utility.
    pub pmin: f64,
    /// The fit of the time-dependent tactic (`None` with fewer than 3 offers).
    pub fit: Option<FitDoc>,
    /// The figures the classification rests on.
    pub evidence: EvidenceDoc,
    /// Its concession curve: every offer's utility to every party.
    pub curve: Vec<CurvePointDoc>,
}

/// The fit of `u(t) = Pmax - (Pmax - Pmin) t^(1/e)` to a party's own utilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitDoc {
    /// The concession exponent.
    pub e: f64,
    /// Its 95% interval: 0 as the lower end when any smaller `e` fits as well, `None` as the
    /// upper end when any larger one does.
    pub ci: (f64, Option<f64>),
    /// Coefficient of determination (`None` when every offer had the same own utility).
    pub r2: Option<f64>,
    /// Root mean squared error.
    pub rmse: f64,
    /// Offers fitted.
    pub offers: u64,
}

/// The evidence of a reading (definitions in `docs/inspect.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceDoc {
    /// Offers made.
    pub offers: u64,
    /// Distinct outcomes offered.
    pub distinct_offers: u64,
    /// Share of the way from its best utility to its reservation level it conceded.
    pub conceded_share: f64,
    /// Share of its steps that keep or lower its own utility.
    pub monotone_share: Option<f64>,
    /// Variance of its own-utility steps.
    pub step_variance: Option<f64>,
    /// Correlation of its concessions with the others' previous ones.
    pub reciprocity: Option<f64>,
    /// Pairs that correlation is computed over.
    pub reciprocity_pairs: u64,
    /// The round the stalling test looks at (from 1).
    pub stalling_round: u32,
    /// Whether it is stalling there (`None` when it cannot tell yet).
    pub stalling: Option<bool>,
    /// Its concession over the test's window.
    pub window_concession: Option<f64>,
    /// The concession its fitted tactic predicts over the window.
    pub window_predicted: Option<f64>,
}

/// One offer of a concession curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePointDoc {
    /// Round (from 1).
    pub round: u32,
    /// Normalised time.
    pub time: f64,
    /// Every party's utility of the offer.
    pub utilities: PerParty,
}

/// The forecast: simulated continuations of the talks from a round on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastDoc {
    /// The first simulated round (from 1).
    pub from_round: u32,
    /// Continuations simulated.
    pub simulations: u64,
    /// Their seed.
    pub seed: u64,
    /// How each party is played in them.
    pub models: Vec<ModelDoc>,
    /// Share of them that reach an agreement.
    pub p_agreement: f64,
    /// Its 95% interval.
    pub p_interval: [f64; 2],
    /// The round of agreement, over the continuations that agree.
    pub agreement_round: Option<SummaryDoc>,
    /// Each party's final utility: party name to summary.
    pub utilities: BTreeMap<String, SummaryDoc>,
    /// The most frequent agreements.
    pub top_agreements: Vec<TopAgreementDoc>,
}

/// How a party is played in the forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelDoc {
    /// The party's name.
    pub party: String,
    /// Its model, in words.
    pub model: String,
}

/// Mean and percentiles of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SummaryDoc {
    /// Mean.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// An agreement the forecast reaches, and how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopAgreementDoc {
    /// The agreed outcome.
    pub agreement: OutcomeDoc,
    /// Continuations that reach it.
    pub count: u64,
    /// Their share of all continuations.
    pub share: f64,
}

impl InspectDoc {
    /// Reads an inspection from JSON text; `origin` names the file in errors.
    pub fn from_json_str(text: &str, origin: &Path) -> Result<Self> {
        json::from_str(text, origin)
    }

    /// The document as pretty-printed JSON (keys in alphabetical order, no final newline), as
    /// `detente inspect --json` prints it.
    pub fn to_json(&self) -> String {
        json::to_pretty(self)
    }
}
