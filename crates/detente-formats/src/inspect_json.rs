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
    /// The ledger of the compliance phase (absent when the record has no compliance records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<LedgerDoc>,
}

/// The ledger of a compliance phase: accusations against the truth (when the record holds
/// it) and the reporters' claims against each other. Rounds count from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerDoc {
    /// Whether the record holds what the bound parties truly did (a simulation).
    pub truth_known: bool,
    /// Per reporter and party reported on.
    pub accusations: Vec<AccusationsDoc>,
    /// Each reporter's measured accuracy about others (empty without the truth).
    pub accuracy: Vec<ReporterAccuracyDoc>,
    /// How often two reporters agree about a party.
    pub consistency: Vec<ConsistencyDoc>,
    /// The rounds where the parties' claims about a party disagree.
    pub disputes: Vec<DisputeDoc>,
}

/// One reporter's claims about one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccusationsDoc {
    /// The reporter (a party, or `monitor`).
    pub by: String,
    /// The party reported on (possibly the reporter itself).
    pub about: String,
    /// Reports made.
    pub reports: u64,
    /// Those that claim a breach.
    pub breach_claims: u64,
    /// True breaches by `about` in the rounds reported on (`None` without the truth).
    pub breaches: Option<u64>,
    /// Claims of breach in a round of breach.
    pub true_accusations: Option<u64>,
    /// Claims of breach in a round of compliance.
    pub false_accusations: Option<u64>,
    /// Claims of compliance in a round of breach (about itself: denials).
    pub missed_breaches: Option<u64>,
}

/// A reporter's measured accuracy about others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReporterAccuracyDoc {
    /// The reporter.
    pub by: String,
    /// Its reports about others.
    pub reports: u64,
    /// Those that match the truth.
    pub correct: u64,
    /// `correct / reports` (`None` without reports).
    pub accuracy: Option<f64>,
    /// The accuracy the scenario states for it.
    pub stated: Option<f64>,
}

/// Two reporters' claims about one party compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyDoc {
    /// The party.
    pub about: String,
    /// The reporters.
    pub reporters: [String; 2],
    /// Rounds both reported on it.
    pub compared: u64,
    /// Rounds their claims differ.
    pub disagreements: u64,
    /// Share of the compared rounds where they agree.
    pub agreement: Option<f64>,
    /// The rounds of the disagreements (from 1).
    pub disputed_rounds: Vec<u32>,
}

/// A round where the parties' claims about a party disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeDoc {
    /// The round (from 1).
    pub round: u32,
    /// The obligation's issue.
    pub issue: String,
    /// The party the claims are about.
    pub about: String,
    /// The parties that claim it breached.
    pub accusers: Vec<String>,
    /// The parties that claim it complied.
    pub defenders: Vec<String>,
    /// The weight of the parties' claims, `ln L(comply) - ln L(breach)` (docs/inspect.md).
    pub log_odds: f64,
    /// The accuracy above which one monitor report decides the round.
    pub monitor_needed: f64,
    /// What the monitor claimed that round (`comply`/`breach`), if it reported.
    pub monitor: Option<String>,
    /// What the party truly did, when known.
    pub truth: Option<String>,
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
    /// The stalling test toward each other party at that round, by name (`true`: stalling
    /// toward it); parties the test cannot be made toward are left out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stalling_toward: BTreeMap<String, bool>,
    /// How it voted on the mediator's texts (mediated talks, a party that did not mediate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<VotesDoc>,
}

/// A party's votes on the mediator's texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VotesDoc {
    /// Texts it accepted.
    pub accepted: u64,
    /// Texts it rejected (with a counter-proposal).
    pub rejected: u64,
    /// Its lowest own utility of a text it accepted.
    pub lowest_accepted: Option<f64>,
    /// Its highest own utility of a text it rejected.
    pub highest_rejected: Option<f64>,
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
    /// Share of them that reach an agreement (`ensemble.agreement_rate`).
    pub p_agreement: f64,
    /// Its 95% Wilson interval (`ensemble.agreement_rate_ci95`); `null` when every
    /// continuation gave the same result.
    pub p_interval: Option<[f64; 2]>,
    /// The round of agreement, over the continuations that agree.
    pub agreement_round: Option<SummaryDoc>,
    /// Each party's final utility: party name to summary.
    pub utilities: BTreeMap<String, SummaryDoc>,
    /// The most frequent agreements (`ensemble.top_agreements`).
    pub top_agreements: Vec<TopAgreementDoc>,
    /// The continuations summarised as every ensemble is (the same figures as `detente run`'s
    /// ensemble and a sweep's points): mean utilities and welfare with intervals, quality.
    pub ensemble: crate::ensemble_json::EnsembleDoc,
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
