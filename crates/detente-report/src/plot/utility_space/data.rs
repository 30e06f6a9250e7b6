//! The data of one utility-space panel: a pair of parties' outcomes, frontier, special points,
//! offers, agreement and reservation values, and the axes' domains.

use detente_analysis::{Analysis, Points, pareto_indices};
use detente_core::{ActionKind, Actor};

use super::{FigureConfig, OutcomeCloud, ScenarioFigures};
use crate::layout::nice_domain;
use crate::trace_view::TraceView;

/// How the outcomes are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum CloudMarks {
    /// Nothing known about the outcomes (no scenario given).
    None,
    /// One point per distinct pair of utilities to the x and y parties.
    Points(Vec<[f64; 2]>),
    /// Counts on a grid: `counts[row][col]`, row 0 at the bottom of the y domain.
    Density {
        /// Number of outcomes per cell, over the axes' domains (`density_bins` cells a
        /// side).
        counts: Vec<Vec<u64>>,
        /// Whether the outcomes are a sample (the legend says so).
        sampled: bool,
    },
}

/// An offer on a trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrajectoryPoint {
    /// When it was made, as a share of the deadline: older offers are drawn fainter.
    pub time: f64,
    /// Its utilities to the x and y parties.
    pub u: [f64; 2],
}

/// One party's offers, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// Index of the proposing party (its colour).
    pub party: usize,
    /// The proposing party's name, for the legend.
    pub name: String,
    /// Its offers in the order made; never empty.
    pub points: Vec<TrajectoryPoint>,
}

/// Everything a utility-space plot of two parties draws.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilitySpaceData {
    /// Index of the party on the x axis.
    pub x_party: usize,
    /// Index of the party on the y axis.
    pub y_party: usize,
    /// Name of the x party, in the axis title (`utility to …`).
    pub x_name: String,
    /// Name of the y party, in the axis title.
    pub y_name: String,
    /// Number of parties in the negotiation (more than two: points are projections).
    pub n_parties: usize,
    /// The outcomes: none without a scenario, else points or a density grid.
    pub cloud: CloudMarks,
    /// The two parties' Pareto frontier, by increasing x (with more parties: the frontier of
    /// the projection, which is the projection's best trade-offs between the two).
    pub frontier: Vec<[f64; 2]>,
    /// Nash points (of all parties, projected).
    pub nash: Vec<[f64; 2]>,
    /// Kalai-Smorodinsky points (of all parties, projected).
    pub kalai_smorodinsky: Vec<[f64; 2]>,
    /// The offers of each party that made any, in party order.
    pub trajectories: Vec<Trajectory>,
    /// The agreement (undiscounted utilities), if any.
    pub agreement: Option<[f64; 2]>,
    /// Reservation values of the two parties.
    pub reservation: [f64; 2],
    /// Data range of the x axis.
    pub x_domain: [f64; 2],
    /// Data range of the y axis.
    pub y_domain: [f64; 2],
}

/// The smallest box around the points seen so far (non-finite coordinates are ignored).
struct Bounds {
    lo: [f64; 2],
    hi: [f64; 2],
}

impl Bounds {
    /// An empty box.
    fn new() -> Self {
        Bounds {
            lo: [f64::INFINITY; 2],
            hi: [f64::NEG_INFINITY; 2],
        }
    }

    /// Widens the box to hold `p`.
    fn see(&mut self, p: [f64; 2]) {
        for (k, v) in p.into_iter().enumerate() {
            if v.is_finite() {
                self.lo[k] = self.lo[k].min(v);
                self.hi[k] = self.hi[k].max(v);
            }
        }
    }

    /// Widens the box to hold every point.
    fn see_all(&mut self, points: impl IntoIterator<Item = [f64; 2]>) {
        points.into_iter().for_each(|p| self.see(p));
    }

    /// The axis domain of coordinate `k`: the unit interval when the points fit in it (or
    /// none was seen), otherwise a nice domain around them.
    fn domain(&self, k: usize) -> [f64; 2] {
        let (lo, hi) = (self.lo[k], self.hi[k]);
        if !(lo.is_finite() && hi.is_finite()) {
            return [0.0, 1.0];
        }
        if lo >= -1e-9 && hi <= 1.0 + 1e-9 {
            [0.0, 1.0]
        } else {
            nice_domain(lo, hi, 5)
        }
    }
}

/// Points sorted by increasing x (then decreasing y), without repeats.
fn dedup_points(mut v: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    v.sort_by(|a, b| a[0].total_cmp(&b[0]).then(b[1].total_cmp(&a[1])));
    v.dedup();
    v
}

/// Extracts the utility-space data of parties `x` and `y` (indices) from a negotiation and,
/// when known, its scenario's figures.
pub fn utility_space(
    view: &TraceView,
    figures: Option<&ScenarioFigures>,
    x: usize,
    y: usize,
    config: &FigureConfig,
) -> crate::Result<UtilitySpaceData> {
    let np = view.n_parties();
    if x >= np || y >= np || x == y {
        return Err(crate::ReportError::Unsupported(format!(
            "a utility-space plot needs two different parties of the {np}"
        )));
    }
    let analysis = figures.and_then(|f| f.analysis.as_ref());
    let cloud = figures.and_then(|f| f.cloud.as_ref());
    let proj = |u: &[f64]| [u[x], u[y]];
    let frontier = pair_frontier(analysis, cloud, [x, y], config.analysis.tolerance)?;
    let trajectories = trajectories(view, [x, y]);
    let agreement = view
        .result
        .agreement_utilities
        .as_ref()
        .filter(|u| u.len() == np)
        .map(|u| proj(u));
    let reservation = [view.reservations[x], view.reservations[y]];
    // The domains hold everything drawn but the special points (which lie among the outcomes).
    let mut bounds = Bounds::new();
    bounds.see_all(frontier.iter().copied());
    if let Some(a) = analysis {
        bounds.see_all([proj(&a.stats.min_utility), proj(&a.stats.max_utility)]);
    }
    if let Some(c) = cloud {
        bounds.see_all((0..c.len()).map(|k| [c.utilities[x][k], c.utilities[y][k]]));
    }
    bounds.see_all(
        trajectories
            .iter()
            .flat_map(|t| t.points.iter().map(|p| p.u)),
    );
    bounds.see_all(agreement);
    bounds.see(reservation);
    let domains = [bounds.domain(0), bounds.domain(1)];
    Ok(UtilitySpaceData {
        x_party: x,
        y_party: y,
        x_name: view.parties[x].clone(),
        y_name: view.parties[y].clone(),
        n_parties: np,
        cloud: cloud_marks(cloud, [x, y], domains, config),
        frontier,
        nash: projected(analysis.map(|a| &a.nash), [x, y]),
        kalai_smorodinsky: projected(analysis.map(|a| &a.kalai_smorodinsky), [x, y]),
        trajectories,
        agreement,
        reservation,
        x_domain: domains[0],
        y_domain: domains[1],
    })
}

/// Special points (all parties' Nash or Kalai-Smorodinsky points) projected on the pair
/// `[x, y]`; none without an analysis.
fn projected(points: Option<&Points>, [x, y]: [usize; 2]) -> Vec<[f64; 2]> {
    points.map_or_else(Vec::new, |p| {
        dedup_points(
            p.points
                .iter()
                .map(|q| [q.utilities[x], q.utilities[y]])
                .collect(),
        )
    })
}

/// The Pareto frontier of the pair `[x, y]`: of the analysis' frontier when there is one
/// (with more parties, the pair's best trade-offs among it), else of every outcome when all
/// were evaluated, else none.
fn pair_frontier(
    analysis: Option<&Analysis>,
    cloud: Option<&OutcomeCloud>,
    [x, y]: [usize; 2],
    tolerance: f64,
) -> crate::Result<Vec<[f64; 2]>> {
    if let Some(a) = analysis {
        let xs: Vec<f64> = a.frontier.points.iter().map(|p| p.utilities[x]).collect();
        let ys: Vec<f64> = a.frontier.points.iter().map(|p| p.utilities[y]).collect();
        return frontier_of(&xs, &ys, tolerance);
    }
    match cloud.filter(|c| !c.sampled) {
        Some(c) => frontier_of(&c.utilities[x], &c.utilities[y], tolerance),
        None => Ok(Vec::new()),
    }
}

/// The Pareto-optimal points among `(xs[k], ys[k])`, by increasing x.
fn frontier_of(xs: &[f64], ys: &[f64], tolerance: f64) -> crate::Result<Vec<[f64; 2]>> {
    let keep = pareto_indices(&[xs, ys], tolerance)?;
    Ok(dedup_points(keep.iter().map(|&k| [xs[k], ys[k]]).collect()))
}

/// Each party's offers with their utilities to the pair `[x, y]`, for the parties that made
/// any (offers whose utilities are not known for every party are left out). The texts a
/// mediator tabled are its offers: a mediating party's among its own, a neutral mediator's as
/// one more trajectory (index `np`, named `mediator`).
fn trajectories(view: &TraceView, [x, y]: [usize; 2]) -> Vec<Trajectory> {
    let np = view.n_parties();
    (0..=np)
        .filter_map(|p| {
            let points: Vec<TrajectoryPoint> = view
                .actions
                .iter()
                .filter(|a| {
                    a.party == p
                        && matches!(a.kind, ActionKind::Offer | ActionKind::Propose)
                        && a.utilities.len() == np
                })
                .map(|a| TrajectoryPoint {
                    time: a.time,
                    u: [a.utilities[x], a.utilities[y]],
                })
                .collect();
            (!points.is_empty()).then(|| Trajectory {
                party: p,
                name: view
                    .parties
                    .get(p)
                    .map_or(Actor::MEDIATOR_NAME, String::as_str)
                    .to_string(),
                points,
            })
        })
        .collect()
}

/// How the outcomes are drawn: one point each up to `config.points_limit`, otherwise their
/// counts on a grid of `config.density_bins` cells per side over the `domains`.
fn cloud_marks(
    cloud: Option<&OutcomeCloud>,
    [x, y]: [usize; 2],
    domains: [[f64; 2]; 2],
    config: &FigureConfig,
) -> CloudMarks {
    let Some(c) = cloud else {
        return CloudMarks::None;
    };
    if c.len() <= config.points_limit {
        return CloudMarks::Points(dedup_points(
            (0..c.len())
                .map(|k| [c.utilities[x][k], c.utilities[y][k]])
                .collect(),
        ));
    }
    let b = config.density_bins.max(2);
    let mut counts = vec![vec![0u64; b]; b];
    let cell = |v: f64, d: [f64; 2]| -> usize {
        let t = (v - d[0]) / (d[1] - d[0]);
        ((t * b as f64).floor().max(0.0) as usize).min(b - 1)
    };
    for k in 0..c.len() {
        let col = cell(c.utilities[x][k], domains[0]);
        let row = cell(c.utilities[y][k], domains[1]);
        counts[row][col] += 1;
    }
    CloudMarks::Density {
        counts,
        sampled: c.sampled,
    }
}
/// The data of every pair of parties (`n(n-1)/2` panels), in order (0,1), (0,2), ..., (1,2)...
pub fn utility_space_pairs(
    view: &TraceView,
    figures: Option<&ScenarioFigures>,
    config: &FigureConfig,
) -> crate::Result<Vec<UtilitySpaceData>> {
    let n = view.n_parties();
    let mut out = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            out.push(utility_space(view, figures, i, j, config)?);
        }
    }
    Ok(out)
}
