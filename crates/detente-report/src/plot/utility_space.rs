//! Utility space of two parties: every outcome (points, or a density grid for large spaces),
//! the Pareto frontier, the Nash and Kalai-Smorodinsky points, each party's offers as a
//! trajectory fading into the past, the agreement and the reservation values. With more
//! parties, one panel per pair.

use detente_analysis::{Analysis, AnalysisConfig, analyze, pareto_indices};
use detente_core::tables::utility_vector;
use detente_core::{Outcome, Scenario};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::layout::{LegendItem, Rect, Scale, Swatch, nice_domain};
use crate::plot::{draw_axes, draw_legend, draw_title};
use crate::svg::{FAINT, INK, Shape, Svg, colour};
use crate::trace_view::TraceView;
use detente_core::ActionKind;

/// Limits on what is computed and drawn for the outcome space.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureConfig {
    /// Largest space whose outcomes are all evaluated; larger spaces are sampled.
    pub enumeration_limit: u64,
    /// Number of outcomes sampled from a larger space.
    pub sample: usize,
    /// Largest number of outcomes drawn one point each; more are drawn as a density grid.
    pub points_limit: usize,
    /// Cells per side of the density grid.
    pub density_bins: usize,
    /// Settings of the Pareto/Nash/Kalai-Smorodinsky analysis.
    pub analysis: AnalysisConfig,
}

impl Default for FigureConfig {
    fn default() -> Self {
        FigureConfig {
            enumeration_limit: 2_000_000,
            sample: 20_000,
            points_limit: 20_000,
            density_bins: 40,
            analysis: AnalysisConfig::default(),
        }
    }
}

/// Every party's utility of the outcomes drawn (all of them, or a sample).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeCloud {
    /// `utilities[party][k]`: party's utility of the `k`-th outcome.
    pub utilities: Vec<Vec<f64>>,
    /// Whether the outcomes are a random sample (the space was too large to enumerate).
    pub sampled: bool,
    /// Number of outcomes in the space.
    pub total: Option<u128>,
}

impl OutcomeCloud {
    /// Evaluates every outcome of `scenario` when there are at most
    /// `config.enumeration_limit`, otherwise `config.sample` outcomes drawn uniformly with a
    /// fixed seed (so the picture is the same every time).
    pub fn of(scenario: &Scenario, config: &FigureConfig) -> crate::Result<Self> {
        let total = scenario.space.count();
        if scenario.space.enumerable(config.enumeration_limit).is_ok() {
            let utilities = scenario
                .parties
                .iter()
                .map(|p| {
                    utility_vector(
                        &scenario.space,
                        &p.preferences.utility,
                        config.enumeration_limit,
                    )
                })
                .collect::<detente_core::Result<Vec<_>>>()?;
            return Ok(OutcomeCloud {
                utilities,
                sampled: false,
                total,
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(0x005e_ed0f_c10d);
        let cards: Vec<u64> = scenario
            .space
            .issues()
            .iter()
            .map(|i| i.cardinality())
            .collect();
        let mut utilities = vec![Vec::with_capacity(config.sample); scenario.parties.len()];
        let mut o = Outcome(vec![0; cards.len()]);
        for _ in 0..config.sample {
            for (v, &c) in o.0.iter_mut().zip(&cards) {
                *v = rng.random_range(0..c) as u32;
            }
            for (p, u) in scenario.utilities(&o).into_iter().enumerate() {
                utilities[p].push(u);
            }
        }
        Ok(OutcomeCloud {
            utilities,
            sampled: true,
            total,
        })
    }

    /// Number of outcomes held.
    pub fn len(&self) -> usize {
        self.utilities.first().map_or(0, Vec::len)
    }

    /// Whether it holds no outcome.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What is known about a scenario's outcome space: its analysis and its outcome cloud, each
/// with the reason when it could not be computed.
#[derive(Debug, Clone)]
pub struct ScenarioFigures {
    /// Frontier, Nash and Kalai-Smorodinsky points, statistics.
    pub analysis: Option<Analysis>,
    /// Why there is no analysis.
    pub analysis_error: Option<String>,
    /// The outcomes drawn.
    pub cloud: Option<OutcomeCloud>,
    /// Why there is no cloud.
    pub cloud_error: Option<String>,
}

impl ScenarioFigures {
    /// Analyses `scenario` and evaluates its outcomes. Failures are recorded, not returned:
    /// a report is still made without the part that failed.
    pub fn compute(scenario: &Scenario, config: &FigureConfig) -> Self {
        let (analysis, analysis_error) = match analyze(scenario, &config.analysis) {
            Ok(a) => (Some(a), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let (cloud, cloud_error) = match OutcomeCloud::of(scenario, config) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e.to_string())),
        };
        ScenarioFigures {
            analysis,
            analysis_error,
            cloud,
            cloud_error,
        }
    }
}

/// How the outcomes are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum CloudMarks {
    /// Nothing known about the outcomes (no scenario given).
    None,
    /// One point per outcome.
    Points(Vec<[f64; 2]>),
    /// Counts on a grid: `counts[row][col]`, row 0 at the bottom of the y domain.
    Density {
        /// Number of outcomes per cell.
        counts: Vec<Vec<u64>>,
        /// Whether the outcomes are a sample.
        sampled: bool,
    },
}

/// An offer on a trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrajectoryPoint {
    /// Normalised time of the offer.
    pub time: f64,
    /// Its utilities to the x and y parties.
    pub u: [f64; 2],
}

/// One party's offers, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The proposer.
    pub party: usize,
    /// Its name.
    pub name: String,
    /// Its offers.
    pub points: Vec<TrajectoryPoint>,
}

/// Everything a utility-space plot of two parties draws.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilitySpaceData {
    /// Party on the x axis.
    pub x_party: usize,
    /// Party on the y axis.
    pub y_party: usize,
    /// Name of the x party.
    pub x_name: String,
    /// Name of the y party.
    pub y_name: String,
    /// Number of parties in the negotiation (more than two: points are projections).
    pub n_parties: usize,
    /// The outcomes.
    pub cloud: CloudMarks,
    /// The two parties' Pareto frontier, by increasing x (with more parties: the frontier of
    /// the projection, which is the projection's best trade-offs between the two).
    pub frontier: Vec<[f64; 2]>,
    /// Nash points (of all parties, projected).
    pub nash: Vec<[f64; 2]>,
    /// Kalai-Smorodinsky points (of all parties, projected).
    pub kalai_smorodinsky: Vec<[f64; 2]>,
    /// Each party's offers.
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
    let tol = config.analysis.tolerance;
    let proj = |u: &[f64]| [u[x], u[y]];
    let analysis = figures.and_then(|f| f.analysis.as_ref());
    let cloud_src = figures.and_then(|f| f.cloud.as_ref());
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    let mut see = |p: [f64; 2]| {
        for k in 0..2 {
            if p[k].is_finite() {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
    };
    // The frontier of the pair.
    let frontier: Vec<[f64; 2]> = if let Some(a) = analysis {
        let xs: Vec<f64> = a.frontier.points.iter().map(|p| p.utilities[x]).collect();
        let ys: Vec<f64> = a.frontier.points.iter().map(|p| p.utilities[y]).collect();
        let keep = pareto_indices(&[xs.clone(), ys.clone()], tol)?;
        dedup_points(keep.iter().map(|&k| [xs[k], ys[k]]).collect())
    } else if let Some(c) = cloud_src.filter(|c| !c.sampled) {
        let keep = pareto_indices(&[c.utilities[x].clone(), c.utilities[y].clone()], tol)?;
        dedup_points(
            keep.iter()
                .map(|&k| [c.utilities[x][k], c.utilities[y][k]])
                .collect(),
        )
    } else {
        Vec::new()
    };
    frontier.iter().for_each(|&p| see(p));
    let nash = analysis
        .map(|a| dedup_points(a.nash.points.iter().map(|p| proj(&p.utilities)).collect()))
        .unwrap_or_default();
    let kalai_smorodinsky = analysis
        .map(|a| {
            dedup_points(
                a.kalai_smorodinsky
                    .points
                    .iter()
                    .map(|p| proj(&p.utilities))
                    .collect(),
            )
        })
        .unwrap_or_default();
    if let Some(a) = analysis {
        see([a.stats.min_utility[x], a.stats.min_utility[y]]);
        see([a.stats.max_utility[x], a.stats.max_utility[y]]);
    }
    if let Some(c) = cloud_src {
        for k in 0..c.len() {
            see([c.utilities[x][k], c.utilities[y][k]]);
        }
    }
    let mut trajectories = Vec::new();
    for p in 0..np {
        let points: Vec<TrajectoryPoint> = view
            .actions
            .iter()
            .filter(|a| a.party == p && a.kind == ActionKind::Offer && a.utilities.len() == np)
            .map(|a| TrajectoryPoint {
                time: a.time,
                u: proj(&a.utilities),
            })
            .collect();
        points.iter().for_each(|t| see(t.u));
        if !points.is_empty() {
            trajectories.push(Trajectory {
                party: p,
                name: view.parties[p].clone(),
                points,
            });
        }
    }
    let agreement = view
        .result
        .agreement_utilities
        .as_ref()
        .filter(|u| u.len() == np)
        .map(|u| proj(u));
    if let Some(a) = agreement {
        see(a);
    }
    let reservation = [view.reservations[x], view.reservations[y]];
    see(reservation);
    let domain = |k: usize| -> [f64; 2] {
        if !(lo[k].is_finite() && hi[k].is_finite()) {
            return [0.0, 1.0];
        }
        if lo[k] >= -1e-9 && hi[k] <= 1.0 + 1e-9 {
            [0.0, 1.0]
        } else {
            nice_domain(lo[k], hi[k], 5)
        }
    };
    let (x_domain, y_domain) = (domain(0), domain(1));
    let cloud = match cloud_src {
        None => CloudMarks::None,
        Some(c) if c.len() <= config.points_limit => CloudMarks::Points(dedup_points(
            (0..c.len())
                .map(|k| [c.utilities[x][k], c.utilities[y][k]])
                .collect(),
        )),
        Some(c) => {
            let b = config.density_bins.max(2);
            let mut counts = vec![vec![0u64; b]; b];
            let cell = |v: f64, d: [f64; 2]| -> usize {
                let t = (v - d[0]) / (d[1] - d[0]);
                ((t * b as f64).floor().max(0.0) as usize).min(b - 1)
            };
            for k in 0..c.len() {
                let col = cell(c.utilities[x][k], x_domain);
                let row = cell(c.utilities[y][k], y_domain);
                counts[row][col] += 1;
            }
            CloudMarks::Density {
                counts,
                sampled: c.sampled,
            }
        }
    };
    Ok(UtilitySpaceData {
        x_party: x,
        y_party: y,
        x_name: view.parties[x].clone(),
        y_name: view.parties[y].clone(),
        n_parties: np,
        cloud,
        frontier,
        nash,
        kalai_smorodinsky,
        trajectories,
        agreement,
        reservation,
        x_domain,
        y_domain,
    })
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

/// Opacity of an offer made at time `t` when the last offer is at `t_end`: older offers fade.
pub fn fade(t: f64, t_end: f64) -> f64 {
    if t_end <= 0.0 {
        return 1.0;
    }
    0.2 + 0.8 * (t / t_end).clamp(0.0, 1.0)
}

/// Legend entries for what the plot draws, in drawing order.
pub fn legend_items(data: &[&UtilitySpaceData]) -> Vec<LegendItem> {
    let mut items = Vec::new();
    let any = |f: &dyn Fn(&UtilitySpaceData) -> bool| data.iter().any(|d| f(d));
    if any(&|d| matches!(d.cloud, CloudMarks::Points(_))) {
        items.push(LegendItem {
            label: "outcome".into(),
            colour: FAINT.into(),
            swatch: Swatch::Marker(Shape::Circle),
        });
    }
    if any(&|d| matches!(d.cloud, CloudMarks::Density { .. })) {
        let sampled = any(&|d| matches!(d.cloud, CloudMarks::Density { sampled: true, .. }));
        items.push(LegendItem {
            label: if sampled {
                "outcome density (sample)".into()
            } else {
                "outcome density".into()
            },
            colour: FAINT.into(),
            swatch: Swatch::Block,
        });
    }
    if any(&|d| !d.frontier.is_empty()) {
        items.push(LegendItem {
            label: "Pareto frontier".into(),
            colour: INK.into(),
            swatch: Swatch::Line { dashed: false },
        });
    }
    items.push(LegendItem {
        label: "reservation value".into(),
        colour: FAINT.into(),
        swatch: Swatch::Line { dashed: true },
    });
    // One entry per proposing party, in party order.
    let mut parties: Vec<(usize, &str)> = data
        .iter()
        .flat_map(|d| d.trajectories.iter().map(|t| (t.party, t.name.as_str())))
        .collect();
    parties.sort_unstable();
    parties.dedup_by_key(|p| p.0);
    for (p, name) in parties {
        items.push(LegendItem {
            label: format!("offers by {name}"),
            colour: colour(p).into(),
            swatch: Swatch::Line { dashed: false },
        });
    }
    let suffix = if data.iter().any(|d| d.n_parties > 2) {
        " (all parties)"
    } else {
        ""
    };
    if any(&|d| !d.nash.is_empty()) {
        items.push(LegendItem {
            label: format!("Nash point{suffix}"),
            colour: "#ffffff".into(),
            swatch: Swatch::Marker(Shape::Diamond),
        });
    }
    if any(&|d| !d.kalai_smorodinsky.is_empty()) {
        items.push(LegendItem {
            label: format!("Kalai-Smorodinsky point{suffix}"),
            colour: "#ffffff".into(),
            swatch: Swatch::Marker(Shape::Triangle),
        });
    }
    if any(&|d| d.agreement.is_some()) {
        items.push(LegendItem {
            label: "agreement".into(),
            colour: "#F0E442".into(),
            swatch: Swatch::Marker(Shape::Star),
        });
    }
    items
}

/// The scales of a panel drawn in `area`.
pub fn scales(d: &UtilitySpaceData, area: Rect) -> (Scale, Scale) {
    (
        Scale::new(d.x_domain, [area.x, area.right()]),
        Scale::new(d.y_domain, [area.bottom(), area.y]),
    )
}

/// Draws one panel into `svg`, its plot area at `area`.
pub(crate) fn draw_panel(svg: &mut Svg, d: &UtilitySpaceData, area: Rect, small: bool) {
    let (xs, ys) = scales(d, area);
    svg.open_group(&format!("panel pair-{}-{}", d.x_party, d.y_party), None);
    draw_axes(
        svg,
        area,
        &xs,
        &ys,
        &format!("utility to {}", d.x_name),
        &format!("utility to {}", d.y_name),
    );
    let p = |u: [f64; 2]| (xs.map(u[0]), ys.map(u[1]));
    // Outcomes.
    match &d.cloud {
        CloudMarks::None => {}
        CloudMarks::Points(pts) => {
            svg.open_group("outcomes", None);
            let r = if pts.len() > 2000 { 1.2 } else { 2.0 };
            for &u in pts {
                svg.circle(
                    "outcome",
                    p(u),
                    r,
                    &format!(r#"fill="{FAINT}" fill-opacity="0.45""#),
                );
            }
            svg.close_group();
        }
        CloudMarks::Density { counts, .. } => {
            svg.open_group("outcomes density", None);
            let b = counts.len();
            let max = counts.iter().flatten().copied().max().unwrap_or(1).max(1);
            let cw = area.w / b as f64;
            let ch = area.h / b as f64;
            for (row, line) in counts.iter().enumerate() {
                for (col, &c) in line.iter().enumerate() {
                    if c == 0 {
                        continue;
                    }
                    let op = 0.12 + 0.6 * ((c as f64).ln_1p() / (max as f64).ln_1p());
                    svg.rect_titled(
                        "density-cell",
                        area.x + col as f64 * cw,
                        area.bottom() - (row + 1) as f64 * ch,
                        cw,
                        ch,
                        &format!(r#"fill="{FAINT}" fill-opacity="{:.3}""#, op),
                        &format!("{c} outcomes"),
                    );
                }
            }
            svg.close_group();
        }
    }
    // Reservation values.
    let res = format!(r#"stroke="{FAINT}" stroke-width="1.2" stroke-dasharray="5 3""#);
    let rx = xs.map(d.reservation[0]);
    let ry = ys.map(d.reservation[1]);
    svg.line(
        "reservation reservation-x",
        (rx, area.y),
        (rx, area.bottom()),
        &res,
    );
    svg.line(
        "reservation reservation-y",
        (area.x, ry),
        (area.right(), ry),
        &res,
    );
    // Frontier.
    if !d.frontier.is_empty() {
        let pts: Vec<(f64, f64)> = d.frontier.iter().map(|&u| p(u)).collect();
        svg.polyline(
            "frontier",
            &pts,
            &format!(r#"stroke="{INK}" stroke-width="1.8" stroke-linejoin="round""#),
        );
        for &q in &pts {
            svg.circle("frontier-point", q, 2.2, &format!(r#"fill="{INK}""#));
        }
    }
    // Trajectories.
    let t_end = d
        .trajectories
        .iter()
        .flat_map(|t| t.points.iter().map(|q| q.time))
        .fold(0.0, f64::max);
    for t in &d.trajectories {
        let c = colour(t.party);
        svg.open_group(&format!("trajectory party-{}", t.party), None);
        for w in t.points.windows(2) {
            svg.line(
                "step",
                p(w[0].u),
                p(w[1].u),
                &format!(
                    r#"stroke="{c}" stroke-width="{}" stroke-opacity="{:.3}""#,
                    if small { 1.2 } else { 1.6 },
                    fade(w[1].time, t_end)
                ),
            );
        }
        for q in &t.points {
            svg.circle(
                "offer",
                p(q.u),
                if small { 2.4 } else { 3.2 },
                &format!(
                    r##"fill="{c}" fill-opacity="{:.3}" stroke="#ffffff" stroke-width="0.5""##,
                    fade(q.time, t_end)
                ),
            );
        }
        svg.close_group();
    }
    // Special points.
    let r = if small { 4.5 } else { 6.0 };
    let mark = format!(r##"fill="#ffffff" stroke="{INK}" stroke-width="1.6""##);
    for &u in &d.nash {
        svg.marker("nash", Shape::Diamond, p(u), r, &mark);
    }
    for &u in &d.kalai_smorodinsky {
        svg.marker("ks", Shape::Triangle, p(u), r, &mark);
    }
    if let Some(a) = d.agreement {
        svg.marker(
            "agreement",
            Shape::Star,
            p(a),
            r,
            &format!(r##"fill="#F0E442" stroke="{INK}" stroke-width="1.4""##),
        );
    }
    svg.close_group();
}

/// Renders one pair as a standalone SVG document.
pub fn render(d: &UtilitySpaceData, title: &str) -> String {
    render_panels(std::slice::from_ref(d), title)
}

/// Renders several pairs as small multiples (a grid of panels) with one shared legend.
pub fn render_panels(panels: &[UtilitySpaceData], title: &str) -> String {
    let k = panels.len().max(1);
    let cols = if k == 1 {
        1
    } else if k <= 4 {
        2
    } else {
        3
    };
    let rows = k.div_ceil(cols);
    let small = k > 1;
    let side = if small { 300.0 } else { 440.0 };
    let (ml, mr, mt, mb) = (70.0, 24.0, 16.0, 58.0);
    let top = 34.0;
    let cell_w = ml + side + mr;
    let cell_h = mt + side + mb;
    let width = cell_w * cols as f64;
    let mut svg = Svg::new(
        width,
        top + cell_h * rows as f64,
        "plot-utility-space",
        title,
    );
    draw_title(&mut svg, title, width, 22.0);
    for (i, d) in panels.iter().enumerate() {
        let (c, r) = (i % cols, i / cols);
        let area = Rect {
            x: c as f64 * cell_w + ml,
            y: top + r as f64 * cell_h + mt,
            w: side,
            h: side,
        };
        draw_panel(&mut svg, d, area, small);
    }
    let refs: Vec<&UtilitySpaceData> = panels.iter().collect();
    let items = legend_items(&refs);
    let y = top + cell_h * rows as f64;
    let h = draw_legend(&mut svg, &items, (16.0, y), width - 32.0);
    svg.set_height(y + h + 10.0);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace_view::{ActionView, ResultView};

    fn view(acts: Vec<(usize, f64, [f64; 2])>, agreement: Option<[f64; 2]>) -> TraceView {
        TraceView {
            scenario: "s".into(),
            issues: vec!["i".into()],
            parties: vec!["A".into(), "B".into()],
            negotiators: vec![String::new(); 2],
            reservations: vec![0.2, 0.3],
            discounts: vec![1.0; 2],
            seed: 0,
            deadline: 10,
            actions: acts
                .into_iter()
                .map(|(p, t, u)| ActionView {
                    round: (t * 10.0) as u32,
                    time: t,
                    party: p,
                    kind: ActionKind::Offer,
                    offer: Some("i=1".into()),
                    utilities: u.to_vec(),
                })
                .collect(),
            events: vec![],
            result: ResultView {
                termination: "deadline".into(),
                ended_by: None,
                error: None,
                agreement: agreement.map(|_| "i=1".into()),
                agreement_utilities: agreement.map(|a| a.to_vec()),
                rounds: 10,
                time: 1.0,
                utilities: vec![0.2, 0.3],
            },
        }
    }

    #[test]
    fn trajectories_follow_offers_per_party() {
        let v = view(
            vec![
                (0, 0.0, [1.0, 0.0]),
                (1, 0.05, [0.0, 1.0]),
                (0, 0.1, [0.8, 0.3]),
            ],
            Some([0.8, 0.3]),
        );
        let d = utility_space(&v, None, 0, 1, &FigureConfig::default()).unwrap();
        assert_eq!(d.trajectories.len(), 2);
        assert_eq!(d.trajectories[0].points.len(), 2);
        assert_eq!(d.trajectories[0].points[1].u, [0.8, 0.3]);
        assert_eq!(d.trajectories[1].name, "B");
        assert_eq!(d.agreement, Some([0.8, 0.3]));
        assert_eq!(d.reservation, [0.2, 0.3]);
        assert_eq!(d.x_domain, [0.0, 1.0]);
        assert_eq!(d.cloud, CloudMarks::None);
        assert!(d.frontier.is_empty());
        // Swapped axes swap the coordinates.
        let s = utility_space(&v, None, 1, 0, &FigureConfig::default()).unwrap();
        assert_eq!(s.trajectories[0].points[1].u, [0.3, 0.8]);
        assert!(utility_space(&v, None, 0, 0, &FigureConfig::default()).is_err());
        assert!(utility_space(&v, None, 0, 5, &FigureConfig::default()).is_err());
    }

    #[test]
    fn domain_grows_beyond_unit_interval() {
        let v = view(vec![(0, 0.0, [3.0, -0.5])], None);
        let d = utility_space(&v, None, 0, 1, &FigureConfig::default()).unwrap();
        assert!(
            d.x_domain[0] <= 0.2 && d.x_domain[1] >= 3.0,
            "{:?}",
            d.x_domain
        );
        assert!(
            d.y_domain[0] <= -0.5 && d.y_domain[1] >= 0.3,
            "{:?}",
            d.y_domain
        );
    }

    #[test]
    fn fading_grows_with_time() {
        assert_eq!(fade(0.0, 1.0), 0.2);
        assert_eq!(fade(1.0, 1.0), 1.0);
        assert!(fade(0.3, 1.0) < fade(0.6, 1.0));
        assert_eq!(fade(0.0, 0.0), 1.0);
    }

    #[test]
    fn legend_lists_what_is_drawn() {
        let v = view(vec![(0, 0.0, [1.0, 0.0])], None);
        let d = utility_space(&v, None, 0, 1, &FigureConfig::default()).unwrap();
        let labels: Vec<String> = legend_items(&[&d]).into_iter().map(|i| i.label).collect();
        assert_eq!(labels, vec!["reservation value", "offers by A"]);
    }
}
