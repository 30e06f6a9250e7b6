//! The summary of an ensemble's runs: one function, so that `detente run`, each point of a
//! sweep and a forecast say the same things the same way.

use std::collections::HashMap;

use detente_analysis::stats::{Running, mean, wilson95};
use detente_core::Outcome;

use super::Run;

/// Most agreements a summary lists ([`Ensemble::top_agreements`]).
pub const TOP_AGREEMENTS: usize = 5;

/// Values closer than this (relative to their magnitude, at least 1) count as the same in an
/// ensemble: the same fallback reached through events applied in another order differs in
/// its last bits, which is no difference between outcomes.
pub const SAME: f64 = 1e-12;

/// A mean and its 95% t interval, as a tournament summary computes them
/// ([`detente_analysis::stats::Running`]): `None` with fewer than two values, and `None` when
/// every value is the same within [`SAME`] (copies of one draw are not independent samples,
/// and a zero-width interval would claim a certainty the runs do not give).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Mean of the sample.
    pub mean: f64,
    /// 95% t interval of the mean, `[low, high]`.
    pub ci: Option<[f64; 2]>,
}

impl MeanCi {
    /// The mean and interval of a sample (non-empty).
    pub fn of(values: &[f64]) -> MeanCi {
        let running = Running::of(values);
        let same = values.iter().all(|v| close(*v, values[0]));
        MeanCi {
            mean: running.mean,
            ci: running.ci95().filter(|_| !same),
        }
    }
}

/// The quality of the runs' outcomes, each against the setting at its own end
/// ([`super::RunQuality`]), over the runs where it could be measured.
#[derive(Debug, Clone, PartialEq)]
pub struct QualitySummary {
    /// Runs whose quality was measured.
    pub measured: usize,
    /// Of them, those whose outcome was Pareto-optimal.
    pub pareto_optimal: usize,
    /// The 95% Wilson interval of their share (`None` for identical runs).
    pub pareto_optimal_ci: Option<[f64; 2]>,
    /// The distance of the outcome to the Pareto frontier.
    pub distance_to_frontier: MeanCi,
    /// The distance to the nearest Nash point, over the runs whose setting has one (`None`
    /// when none has).
    pub distance_to_nash: Option<MeanCi>,
}

/// The summary of an ensemble (see [`super`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    /// Runs summarised.
    pub runs: usize,
    /// How many different results (agreement, rounds and final utilities) they gave.
    pub distinct: usize,
    /// Whether each run's negotiators were drawn anew (an exponent jittered, a model's
    /// exponent drawn), so that the runs are independent draws even where their results
    /// coincide. Without it, runs that all gave one result are copies of one draw.
    pub perturbed: bool,
    /// Runs that reached an agreement.
    pub agreements: usize,
    /// `agreements / runs`.
    pub rate: f64,
    /// The 95% Wilson interval of the rate; `None` for identical runs ([`Self::identical`]).
    pub rate_ci: Option<[f64; 2]>,
    /// The most frequent agreements with their counts, most frequent first (ties in outcome
    /// order), at most [`TOP_AGREEMENTS`].
    pub top_agreements: Vec<(Outcome, usize)>,
    /// Different agreements reached (the length of the full list `top_agreements` is cut
    /// from).
    pub distinct_agreements: usize,
    /// Each party's final utility, in turn order (discounted; the reservation value in force
    /// without agreement).
    pub utilities: Vec<MeanCi>,
    /// The welfare: the sum of the final utilities
    /// ([`detente_analysis::welfare`], the one figure every output reports).
    pub welfare: MeanCi,
    /// Mean number of rounds used.
    pub mean_rounds: f64,
    /// Runs that reached a lasting deal, when the scenario has obligations.
    pub lasting: Option<usize>,
    /// The 95% Wilson interval of their share (`None` without obligations or for identical
    /// runs).
    pub lasting_ci: Option<[f64; 2]>,
    /// The outcomes' quality, `None` when no run's could be measured.
    pub quality: Option<QualitySummary>,
}

impl Ensemble {
    /// Summarises `runs` (at least one); `obligations` says whether the scenario has any
    /// (and so whether lasting deals are counted), `perturbed` whether each run's negotiators
    /// were drawn anew ([`Self::perturbed`]).
    pub fn of(runs: &[Run], obligations: bool, perturbed: bool) -> Ensemble {
        let n = runs.first().map_or(0, |r| r.utilities.len());
        let distinct = distinct_results(runs);
        let copies = runs.len() > 1 && distinct == 1 && !perturbed;
        let share_ci = |k: usize, of: usize| wilson95(k as u64, of as u64).filter(|_| !copies);
        let agreements = runs.iter().filter(|r| r.agreement.is_some()).count();
        let welfare: Vec<f64> = runs.iter().map(|r| r.utilities.iter().sum()).collect();
        let lasting = obligations.then(|| runs.iter().filter(|r| r.lasting).count());
        let (top_agreements, distinct_agreements) = top_agreements(runs);
        Ensemble {
            runs: runs.len(),
            distinct,
            perturbed,
            agreements,
            rate: agreements as f64 / runs.len() as f64,
            rate_ci: share_ci(agreements, runs.len()),
            top_agreements,
            distinct_agreements,
            utilities: (0..n)
                .map(|i| MeanCi::of(&runs.iter().map(|r| r.utilities[i]).collect::<Vec<_>>()))
                .collect(),
            welfare: MeanCi::of(&welfare),
            mean_rounds: mean(&runs.iter().map(|r| f64::from(r.rounds)).collect::<Vec<_>>()),
            lasting_ci: lasting.and_then(|k| share_ci(k, runs.len())),
            lasting,
            quality: quality(runs, copies),
        }
    }

    /// Whether the runs were copies of one draw: more than one run, every one gave the same
    /// result, and nothing was drawn anew for each ([`Self::perturbed`]). No interval is
    /// given then.
    pub fn identical(&self) -> bool {
        self.runs > 1 && self.distinct == 1 && !self.perturbed
    }
}

/// Whether two values are the same within [`SAME`].
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME * a.abs().max(b.abs()).max(1.0)
}

/// How many different results the runs gave (agreement, rounds, final utilities within
/// [`SAME`]).
fn distinct_results(runs: &[Run]) -> usize {
    let mut keys: Vec<(Option<&Outcome>, u32, &[f64])> = runs
        .iter()
        .map(|r| (r.agreement.as_ref(), r.rounds, r.utilities.as_slice()))
        .collect();
    keys.sort_by(|a, b| {
        (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
            a.2.iter()
                .zip(b.2)
                .fold(std::cmp::Ordering::Equal, |o, (x, y)| {
                    o.then(x.total_cmp(y))
                })
        })
    });
    keys.dedup_by(|a, b| {
        a.0 == b.0 && a.1 == b.1 && a.2.iter().zip(b.2.iter()).all(|(x, y)| close(*x, *y))
    });
    keys.len()
}

/// The most frequent agreements with their counts (see [`Ensemble::top_agreements`]) and how
/// many different agreements there were.
fn top_agreements(runs: &[Run]) -> (Vec<(Outcome, usize)>, usize) {
    let mut counts: HashMap<&Outcome, usize> = HashMap::new();
    for a in runs.iter().filter_map(|r| r.agreement.as_ref()) {
        *counts.entry(a).or_default() += 1;
    }
    let mut top: Vec<(Outcome, usize)> = counts.into_iter().map(|(o, c)| (o.clone(), c)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let distinct = top.len();
    top.truncate(TOP_AGREEMENTS);
    (top, distinct)
}

/// The quality over the runs where it was measured; `copies` says the runs are identical.
fn quality(runs: &[Run], copies: bool) -> Option<QualitySummary> {
    let measured: Vec<_> = runs.iter().filter_map(|r| r.quality).collect();
    if measured.is_empty() {
        return None;
    }
    let pareto_optimal = measured.iter().filter(|q| q.pareto_optimal).count();
    let nash: Vec<f64> = measured.iter().filter_map(|q| q.distance_to_nash).collect();
    Some(QualitySummary {
        measured: measured.len(),
        pareto_optimal,
        pareto_optimal_ci: wilson95(pareto_optimal as u64, measured.len() as u64)
            .filter(|_| !copies),
        distance_to_frontier: MeanCi::of(
            &measured
                .iter()
                .map(|q| q.distance_to_frontier)
                .collect::<Vec<_>>(),
        ),
        distance_to_nash: (!nash.is_empty()).then(|| MeanCi::of(&nash)),
    })
}
