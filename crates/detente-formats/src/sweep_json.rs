//! What-if sweeps as JSON (`detente-sweep/1`): a typed document, plain data with public
//! fields, as `detente sweep --json` writes it and `detente report` and `detente plot` read it
//! (schema in `docs/report.md`).
//!
//! Reading also accepts the shapes detente has read before: the form with one
//! `parameter` and points with a `value` each, and a plain serialisation of
//! `detente_inspect::SweepResult` (axes with a `name`, points with `values`, `rate`, `rate_ci`
//! and `utilities` as arrays in party order). Either is turned into this document.

mod input;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::json;

/// The value of `format` in every sweep this build writes.
pub const SWEEP_FORMAT: &str = "detente-sweep/1";

/// A sweep: negotiations run at every point of a grid of one or two parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "input::SweepInput")]
pub struct SweepDoc {
    /// Always [`SWEEP_FORMAT`].
    pub format: String,
    /// The scenario's name, when the document gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Party names in turn order, when the document gives them (`detente sweep` does, so
    /// that its plots give each party the colour the trace's plots give it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<String>,
    /// The swept parameters, first axis slowest.
    pub axes: Vec<SweepAxis>,
    /// Negotiations per point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds: Option<u64>,
    /// The seed of the sweep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The jitter of the time-based negotiators' exponent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jitter: Option<f64>,
    /// The preference noise of each negotiation (see the ensemble document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    /// The points, in the order they were run.
    pub points: Vec<SweepPoint>,
}

/// A swept parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepAxis {
    /// The parameter as written on the command line, e.g. `reservation.Bob`.
    pub param: String,
    /// Its values, in order.
    pub values: Vec<f64>,
    /// What each value stands for, when the values are positions in a list of names (the
    /// `mediator` axis: `United States`, `neutral`, ...); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// The results at one point of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The value of each parameter: parameter name to value.
    pub values: BTreeMap<String, f64>,
    /// Negotiations run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u64>,
    /// Negotiations that reached an agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreements: Option<u64>,
    /// Their share, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_rate: Option<f64>,
    /// The 95% (Wilson) interval of the share, `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_rate_ci95: Option<[f64; 2]>,
    /// Mean number of rounds used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_rounds: Option<f64>,
    /// Negotiations that reached a lasting deal (an agreement no bound party truly breached
    /// afterwards), in scenarios with obligations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lasting: Option<u64>,
    /// The 95% (Wilson) interval of their share, `[low, high]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lasting_rate_ci95: Option<[f64; 2]>,
    /// Each party's mean final utility (discounted; the reservation value without an
    /// agreement): party name to estimate.
    #[serde(default)]
    pub utilities: BTreeMap<String, Estimate>,
    /// The mean sum of the final utilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welfare: Option<Estimate>,
    /// Different results (agreement, rounds and final utilities) among the runs; 1 of
    /// several runs means they were copies of one draw, and no interval is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<u64>,
    /// The most frequent agreements, most frequent first (at most five).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub top_agreements: Vec<crate::inspect_json::TopAgreementDoc>,
    /// Different agreements reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_agreements: Option<u64>,
    /// The outcomes' quality against the setting at the end of each run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<crate::ensemble_json::EnsembleQualityDoc>,
}

/// A mean with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// Its 95% interval `[low, high]` (`None` when it cannot be computed, e.g. from one run).
    #[serde(default)]
    pub ci95: Option<[f64; 2]>,
}

impl SweepDoc {
    /// Reads a sweep from JSON text (`origin` names the file in errors), in this document's
    /// shape or an older one. Errors name the line and column and the JSON path.
    pub fn from_json_str(text: &str, origin: &Path) -> Result<Self> {
        json::from_str(text, origin)
    }

    /// Reads a sweep file (see [`SweepDoc::from_json_str`]).
    pub fn read(path: &Path) -> Result<Self> {
        Self::from_json_str(&json::read_text(path)?, path)
    }

    /// The document as pretty-printed JSON (keys in alphabetical order, no final newline), as
    /// `detente sweep --json` prints it.
    pub fn to_json(&self) -> String {
        json::to_pretty(self)
    }
}
