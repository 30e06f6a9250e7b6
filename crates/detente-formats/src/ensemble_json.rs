//! The summary of an ensemble (many runs of one negotiation, with seeds and negotiators of
//! their own) as JSON: the `ensemble` of `detente run --json`'s trace and of `detente inspect
//! --json`'s forecast. Each point of a sweep (`crate::sweep_json::SweepPoint`) carries the
//! same fields under the same names. Definitions in `docs/cli.md` (ensembles).
//!
//! Intervals are over independent draws: when every run gave the same result
//! (`identical`), every interval is `null`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::inspect_json::TopAgreementDoc;
use crate::sweep_json::Estimate;

/// An ensemble's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnsembleDoc {
    /// Runs summarised.
    pub runs: u64,
    /// The ensemble's seed (run `k` ran with `derive_seed(seed, k)`), when it has one of its
    /// own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The exponent jitter of the time-dependent negotiators, when the ensemble applied one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter: Option<f64>,
    /// The preference noise (reservations moved by `noise * u`, weights scaled by
    /// `exp(noise * u)`), when the ensemble applied one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    /// Different results (agreement, rounds and final utilities) among the runs.
    pub distinct: u64,
    /// Whether the runs were copies of one draw (more than one run, one result): no
    /// interval is given then.
    pub identical: bool,
    /// Runs that reached an agreement.
    pub agreements: u64,
    /// Their share, in [0, 1].
    pub agreement_rate: f64,
    /// Its 95% Wilson interval `[low, high]`; `null` for identical runs.
    pub agreement_rate_ci95: Option<[f64; 2]>,
    /// The most frequent agreements, most frequent first (at most five).
    pub top_agreements: Vec<TopAgreementDoc>,
    /// Different agreements reached.
    pub distinct_agreements: u64,
    /// Each party's mean final utility (discounted; the reservation value in force without
    /// agreement) with its 95% t interval: party name to estimate.
    pub utilities: BTreeMap<String, Estimate>,
    /// The mean welfare (the sum of the final utilities) with its 95% t interval.
    pub welfare: Estimate,
    /// Mean number of rounds used.
    pub mean_rounds: f64,
    /// Runs that reached a lasting deal (no bound party truly breached it afterwards), in
    /// scenarios with obligations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lasting: Option<u64>,
    /// The 95% Wilson interval of their share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lasting_rate_ci95: Option<[f64; 2]>,
    /// The outcomes' quality, each against the setting at the end of its own run; absent
    /// when it could not be measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<EnsembleQualityDoc>,
}

/// The quality of an ensemble's outcomes, in undiscounted utilities against the setting at
/// the end of each run (its fallbacks in force), as `detente run` measures one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnsembleQualityDoc {
    /// Runs whose quality was measured.
    pub measured: u64,
    /// Of them, those whose outcome was Pareto-optimal.
    pub pareto_optimal: u64,
    /// The 95% Wilson interval of their share; `null` for identical runs.
    pub pareto_optimal_rate_ci95: Option<[f64; 2]>,
    /// The mean distance to the Pareto frontier.
    pub distance_to_frontier: Estimate,
    /// The mean distance to the nearest Nash point (over the runs whose setting has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_to_nash: Option<Estimate>,
}
