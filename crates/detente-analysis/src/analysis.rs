//! Whole-scenario analysis (frontier, points and statistics computed together) and the
//! quality of an agreement measured against it.

use detente_core::{LinearAdditive, Outcome, Scenario};
use rayon::prelude::*;

use crate::dominance::{Relation, Rows};
use crate::error::{AnalysisError, Result};
use crate::frontier::{self, Frontier};
use crate::points::{Objectives, Points, to_points};
use crate::{AnalysisConfig, Method};

/// Figures that describe a scenario's outcome space and how opposed its parties are.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioStats {
    /// Number of parties (the length of every per-party vector here).
    pub n_parties: usize,
    /// Number of outcomes; `None` beyond `u128`.
    pub n_outcomes: Option<u128>,
    /// Each party's lowest utility over all outcomes.
    pub min_utility: Vec<f64>,
    /// Each party's highest utility over all outcomes (the ideal point `M`).
    pub max_utility: Vec<f64>,
    /// Each party's reservation value (the disagreement point `d`).
    pub reservation: Vec<f64>,
    /// Number of outcomes on the Pareto frontier.
    pub frontier_size: usize,
    /// Number of distinct utility vectors on the frontier (equal within the tolerance).
    pub frontier_distinct: usize,
    /// Euclidean distance from the ideal point `M` to the nearest frontier point.
    pub opposition: f64,
    /// The same distance after rescaling each party's utilities to `[0, 1]` by its range
    /// (`(u - min) / (max - min)`; a party with a zero range counts as 1), divided by
    /// `sqrt(n)` so that it lies in `[0, 1]`.
    pub opposition_normalised: f64,
    /// Number of outcomes with `u_i >= d_i` for every party; `None` when the space is larger
    /// than the enumeration limit.
    pub n_individually_rational: Option<u64>,
    /// `n_individually_rational / n_outcomes`, in `[0, 1]`; `None` when the outcomes were not
    /// counted.
    pub fraction_individually_rational: Option<f64>,
}

/// Everything the crate computes about a scenario, with the frontier computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The Pareto frontier, ties kept.
    pub frontier: Frontier,
    /// The frontier outcomes maximising `prod (u_i - d_i)` over the individually rational
    /// ones (the Nash bargaining solution).
    pub nash: Points,
    /// The frontier outcomes maximising `min (u_i - d_i) / (M_i - d_i)` over the individually
    /// rational ones.
    pub kalai_smorodinsky: Points,
    /// The frontier outcomes maximising `sum u_i` (utilitarian).
    pub max_welfare: Points,
    /// The frontier outcomes maximising `min u_i`.
    pub egalitarian: Points,
    /// Utility ranges, frontier size, opposition and the individually rational outcomes.
    pub stats: ScenarioStats,
    /// The settings the analysis ran with (tolerances, limits, method).
    pub config: AnalysisConfig,
}

/// How good an agreement (or the lack of one) is, measured in utility space.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementQuality {
    /// Whether there was an agreement; without one, every figure is that of the reservation
    /// point.
    pub agreement: bool,
    /// Every party's utility (undiscounted) of the agreement, or its reservation value.
    pub utilities: Vec<f64>,
    /// The utilitarian welfare: the sum of `utilities` as [`quality_of_utilities`] computes
    /// it; [`crate::quality_at_end`] sets it to the sum of the final (discounted) utilities
    /// the result records, the one figure every output reports ([`crate::welfare`]).
    pub welfare: f64,
    /// Whether it lies on the Pareto frontier: no frontier outcome dominates it and it is at
    /// most the tolerance away from a frontier point (within the tolerance). An agreement
    /// is Pareto-optimal exactly when no outcome dominates it; the reservation point may be
    /// undominated yet off the frontier (beyond every outcome), and is then not.
    pub pareto_optimal: bool,
    /// Euclidean distance to the nearest frontier point (0 when Pareto-optimal and on it).
    pub distance_to_frontier: f64,
    /// Euclidean distance to the nearest Nash point; `None` when there is none.
    pub distance_to_nash: Option<f64>,
    /// Euclidean distance to the nearest Kalai-Smorodinsky point; `None` when there is none.
    pub distance_to_kalai_smorodinsky: Option<f64>,
    /// Euclidean distance to the nearest maximum-welfare point.
    pub distance_to_max_welfare: f64,
}

fn why_not_issue_by_issue(reason: &str) -> String {
    format!(
        "the issue-by-issue path, which needs no enumeration, handles only linear additive utilities with tabulated issues, and {reason}"
    )
}

/// The frontier, and the enumerated rows when the space was enumerated.
pub(crate) fn compute_frontier(
    scenario: &Scenario,
    config: &AnalysisConfig,
) -> Result<(Frontier, Option<Vec<f64>>)> {
    if scenario.parties.is_empty() {
        return Err(AnalysisError::NoParties);
    }
    let lin = frontier::linear_parties(scenario);
    let enumerate = |why: String| -> Result<(Frontier, Option<Vec<f64>>)> {
        let (rows, map) = frontier::enumerate_rows(scenario, config.enumeration_limit, &why)?;
        let f = frontier::enumerated(scenario, &rows, map.as_deref(), config.tolerance);
        Ok((f, Some(rows)))
    };
    match (config.method, lin) {
        (Method::Enumerate, lin) => enumerate(match lin {
            Ok(_) => "enumeration was asked for (Method::Enumerate); the issue-by-issue path handles linear additive utilities without it".to_string(),
            Err(reason) => why_not_issue_by_issue(&reason),
        }),
        (Method::IssueByIssue, Err(reason)) => Err(AnalysisError::NotLinear(reason)),
        (Method::IssueByIssue, Ok(lins)) => {
            Ok((frontier::issue_by_issue(scenario, &lins, config)?, None))
        }
        (Method::Auto, Err(reason)) => enumerate(why_not_issue_by_issue(&reason)),
        (Method::Auto, Ok(lins)) => match frontier::issue_by_issue(scenario, &lins, config) {
            Ok(f) => Ok((f, None)),
            Err(e @ AnalysisError::FrontierTooLarge { .. }) => {
                if scenario.space.enumerable(config.enumeration_limit).is_ok() {
                    enumerate(String::new())
                } else {
                    Err(e)
                }
            }
            Err(e) => Err(e),
        },
    }
}

/// Lowest and highest possible value of a linear additive utility: the sums of per-issue
/// minima and maxima, formed in issue order and capped, which equal the minimum and maximum
/// of the enumerated utilities exactly (float addition and the cap are monotone).
fn linear_range(lin: &LinearAdditive, n_issues: usize) -> (f64, f64) {
    let mut lo = 0.0;
    let mut hi = 0.0;
    for i in 0..n_issues {
        let t = lin.weighted_table(i).expect("checked by linear_parties");
        lo += t.iter().copied().fold(f64::INFINITY, f64::min);
        hi += t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    (lin.apply_cap(lo), lin.apply_cap(hi))
}

/// Counts the outcomes that are individually rational for everyone, enumerating the space of
/// linear additive utilities block by block (no table is stored).
fn count_rational_linear(
    scenario: &Scenario,
    lins: &[&LinearAdditive],
    obj: &Objectives<'_>,
    m: u64,
) -> u64 {
    let space = &scenario.space;
    let ni = space.issues().len();
    let n = lins.len();
    let tables: Vec<Vec<&[f64]>> = lins
        .iter()
        .map(|l| (0..ni).map(|i| l.weighted_table(i).unwrap()).collect())
        .collect();
    const BLOCK: u64 = 1 << 16;
    let blocks = m.div_ceil(BLOCK);
    (0..blocks)
        .into_par_iter()
        .map(|b| {
            let start = b * BLOCK;
            let end = (start + BLOCK).min(m);
            let mut digits = vec![0u32; ni];
            space.decode_into(start, &mut digits);
            // prefix[p * (ni + 1) + i] = sum of party p's scores of issues 0..i.
            let mut prefix = vec![0.0f64; n * (ni + 1)];
            let refresh = |prefix: &mut [f64], digits: &[u32], from: usize| {
                for p in 0..n {
                    for i in from..ni {
                        prefix[p * (ni + 1) + i + 1] =
                            prefix[p * (ni + 1) + i] + tables[p][i][digits[i] as usize];
                    }
                }
            };
            refresh(&mut prefix, &digits, 0);
            let mut u = vec![0.0; n];
            let mut count = 0u64;
            for _ in start..end {
                for p in 0..n {
                    u[p] = lins[p].apply_cap(prefix[p * (ni + 1) + ni]);
                }
                if obj.rational(&u) {
                    count += 1;
                }
                // Advance the odometer (last issue fastest).
                let mut i = ni;
                while i > 0 {
                    i -= 1;
                    digits[i] += 1;
                    if u64::from(digits[i]) < space.issues()[i].cardinality() {
                        break;
                    }
                    digits[i] = 0;
                }
                refresh(&mut prefix, &digits, i);
            }
            count
        })
        .sum()
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

fn nearest(points: &Points, u: &[f64]) -> Option<f64> {
    points
        .points
        .iter()
        .map(|p| distance(&p.utilities, u))
        .fold(None, |a: Option<f64>, d| Some(a.map_or(d, |a| a.min(d))))
}

/// Analyses `scenario`: its Pareto frontier (computed once), the Nash, Kalai-Smorodinsky,
/// maximum-welfare and egalitarian points, and the statistics. Utilities are undiscounted;
/// the disagreement point is the parties' reservation values.
pub fn analyze(scenario: &Scenario, config: &AnalysisConfig) -> Result<Analysis> {
    let n = scenario.parties.len();
    let reservation: Vec<f64> = scenario
        .parties
        .iter()
        .map(|p| p.preferences.reservation)
        .collect();
    if let Some(p) = reservation.iter().position(|r| !r.is_finite()) {
        return Err(AnalysisError::NotFinite {
            party: p + 1,
            index: 0,
            value: reservation[p],
        });
    }
    let (frontier, rows) = compute_frontier(scenario, config)?;
    let lins = frontier::linear_parties(scenario).ok();
    let (min_utility, max_utility) = utility_ranges(scenario, rows.as_deref(), lins.as_deref());
    let obj = Objectives {
        reservation: &reservation,
        ideal: &max_utility,
        tolerance: config.tolerance,
        tie_tolerance: config.tie_tolerance,
    };
    let frows = frontier.rows();
    let fr = Rows { n, data: &frows };
    let cands: Vec<usize> = (0..frontier.len()).collect();
    let special = obj.all(fr, &cands);
    let n_individually_rational = match (&rows, &lins) {
        (Some(rows), _) => Some(rows.par_chunks(n).filter(|u| obj.rational(u)).count() as u64),
        (None, Some(lins)) => scenario
            .space
            .enumerable(config.enumeration_limit)
            .ok()
            .map(|m| count_rational_linear(scenario, lins, &obj, m as u64)),
        (None, None) => None,
    };
    // With hard constraints only the feasible outcomes count (and they were enumerated).
    let n_outcomes = match &rows {
        Some(rows) if !scenario.space.constraints().is_empty() => Some((rows.len() / n) as u128),
        _ => scenario.space.count(),
    };
    let fraction_individually_rational = match (n_individually_rational, n_outcomes) {
        (Some(k), Some(m)) if m > 0 => Some(k as f64 / m as f64),
        _ => None,
    };
    let (opposition, opposition_normalised) =
        opposition(fr, &min_utility, &max_utility, config.tolerance);
    let stats = ScenarioStats {
        n_parties: n,
        n_outcomes,
        min_utility,
        max_utility,
        reservation,
        frontier_size: frontier.len(),
        frontier_distinct: frontier.distinct(config.tolerance),
        opposition,
        opposition_normalised,
        n_individually_rational,
        fraction_individually_rational,
    };
    Ok(Analysis {
        nash: to_points(&frontier, &special.nash),
        kalai_smorodinsky: to_points(&frontier, &special.kalai_smorodinsky),
        max_welfare: to_points(&frontier, &special.max_welfare),
        egalitarian: to_points(&frontier, &special.egalitarian),
        frontier,
        stats,
        config: config.clone(),
    })
}

/// Each party's lowest and highest utility: from the enumerated utilities `rows` when there
/// are some, else in closed form from the linear additive utilities.
fn utility_ranges(
    scenario: &Scenario,
    rows: Option<&[f64]>,
    lins: Option<&[&LinearAdditive]>,
) -> (Vec<f64>, Vec<f64>) {
    let n = scenario.parties.len();
    match (rows, lins) {
        (Some(rows), _) => (0..n)
            .map(|p| {
                rows.iter()
                    .skip(p)
                    .step_by(n)
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                        (lo.min(v), hi.max(v))
                    })
            })
            .unzip(),
        (None, Some(lins)) => {
            let ni = scenario.space.issues().len();
            lins.iter().map(|l| linear_range(l, ni)).unzip()
        }
        (None, None) => unreachable!("a frontier without enumeration needs linear utilities"),
    }
}

/// The opposition of the frontier `fr`: its distance from the ideal point, in utilities and
/// with each party's utility scaled to its range (divided by the square root of the number of
/// parties, so that it lies in [0, 1]).
fn opposition(
    fr: Rows<'_>,
    min_utility: &[f64],
    max_utility: &[f64],
    tolerance: f64,
) -> (f64, f64) {
    let n = max_utility.len();
    let plain = (0..fr.len())
        .map(|k| distance(fr.row(k), max_utility))
        .fold(f64::INFINITY, f64::min);
    let scale = |u: &[f64]| -> Vec<f64> {
        u.iter()
            .enumerate()
            .map(|(p, &x)| {
                let r = max_utility[p] - min_utility[p];
                if r > tolerance {
                    (x - min_utility[p]) / r
                } else {
                    1.0
                }
            })
            .collect()
    };
    let ones = vec![1.0; n];
    let normalised = (0..fr.len())
        .map(|k| distance(&scale(fr.row(k)), &ones))
        .fold(f64::INFINITY, f64::min)
        / (n as f64).sqrt();
    (plain, normalised)
}

/// The quality of an agreement on `outcome` (or of no agreement, `None`: the reservation
/// point) against an [`Analysis`] of the same scenario.
pub fn agreement_quality(
    analysis: &Analysis,
    scenario: &Scenario,
    outcome: Option<&Outcome>,
) -> Result<AgreementQuality> {
    match outcome {
        None => Ok(quality_of_utilities(analysis, None)),
        Some(o) => {
            if !scenario.space.contains(o) {
                return Err(detente_core::Error::InvalidOutcome(format!(
                    "{o:?} is not an outcome of scenario `{}`",
                    scenario.name
                ))
                .into());
            }
            let u = scenario.utilities(o);
            Ok(quality_of_utilities(analysis, Some(&u)))
        }
    }
}

/// The quality of an agreement given by its utility vector (`None`: no agreement, measured at
/// the reservation point).
pub fn quality_of_utilities(analysis: &Analysis, utilities: Option<&[f64]>) -> AgreementQuality {
    let u: Vec<f64> = utilities
        .map(<[f64]>::to_vec)
        .unwrap_or_else(|| analysis.stats.reservation.clone());
    let tolerance = analysis.config.tolerance;
    let d = Relation::frontier(tolerance);
    let distance_to_frontier = analysis
        .frontier
        .points
        .iter()
        .map(|p| distance(&p.utilities, &u))
        .fold(f64::INFINITY, f64::min);
    // Pareto-optimal means on the frontier: not dominated, and not off it either (the
    // reservation point of talks without agreement may lie beyond every outcome, undominated
    // but not achievable). An outcome that no frontier point dominates is always on it.
    let pareto_optimal = !analysis
        .frontier
        .points
        .iter()
        .any(|p| d.dominates(&p.utilities, &u))
        && distance_to_frontier <= tolerance * (u.len() as f64).sqrt();
    AgreementQuality {
        agreement: utilities.is_some(),
        welfare: u.iter().sum(),
        pareto_optimal,
        distance_to_frontier,
        distance_to_nash: nearest(&analysis.nash, &u),
        distance_to_kalai_smorodinsky: nearest(&analysis.kalai_smorodinsky, &u),
        distance_to_max_welfare: nearest(&analysis.max_welfare, &u).unwrap_or(f64::INFINITY),
        utilities: u,
    }
}
