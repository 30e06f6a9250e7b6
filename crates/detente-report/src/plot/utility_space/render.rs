//! Drawing utility-space panels: the marks of one panel, a grid of panels and their shared
//! legend.

use crate::layout::{LegendItem, Rect, Scale, Swatch};
use crate::plot::{draw_axes, draw_legend, draw_title};
use crate::svg::{FAINT, INK, Shape, Svg, colour};

use super::{CloudMarks, Trajectory, UtilitySpaceData};

/// Opacity of an offer made at time `t` when the last offer is at `t_end`: older offers fade.
pub fn fade(t: f64, t_end: f64) -> f64 {
    if t_end <= 0.0 {
        return 1.0;
    }
    0.2 + 0.8 * (t / t_end).clamp(0.0, 1.0)
}

/// Legend entries for what the plot draws, in drawing order.
pub fn legend_items(data: &[&UtilitySpaceData]) -> Vec<LegendItem> {
    let mut items = outcome_items(data);
    items.push(LegendItem {
        label: "reservation value".into(),
        colour: FAINT.into(),
        swatch: Swatch::Line { dashed: true },
    });
    items.extend(offer_items(data));
    items.extend(special_point_items(data));
    items
}

/// Whether any panel has the property `f`.
fn any(data: &[&UtilitySpaceData], f: impl Fn(&UtilitySpaceData) -> bool) -> bool {
    data.iter().any(|d| f(d))
}

/// The outcomes (points or density) and the frontier, when drawn.
fn outcome_items(data: &[&UtilitySpaceData]) -> Vec<LegendItem> {
    let mut items = Vec::new();
    if any(data, |d| matches!(d.cloud, CloudMarks::Points(_))) {
        items.push(LegendItem {
            label: "outcome".into(),
            colour: FAINT.into(),
            swatch: Swatch::Marker(Shape::Circle),
        });
    }
    if any(data, |d| matches!(d.cloud, CloudMarks::Density { .. })) {
        let sampled = any(data, |d| {
            matches!(d.cloud, CloudMarks::Density { sampled: true, .. })
        });
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
    if any(data, |d| !d.frontier.is_empty()) {
        items.push(LegendItem {
            label: "Pareto frontier".into(),
            colour: INK.into(),
            swatch: Swatch::Line { dashed: false },
        });
    }
    items
}

/// One entry per proposing party, in party order.
fn offer_items(data: &[&UtilitySpaceData]) -> Vec<LegendItem> {
    let mut parties: Vec<(usize, &str)> = data
        .iter()
        .flat_map(|d| d.trajectories.iter().map(|t| (t.party, t.name.as_str())))
        .collect();
    parties.sort_unstable();
    parties.dedup_by_key(|p| p.0);
    parties
        .into_iter()
        .map(|(p, name)| LegendItem {
            label: format!("offers by {name}"),
            colour: colour(p).into(),
            swatch: Swatch::Line { dashed: false },
        })
        .collect()
}

/// The Nash and Kalai-Smorodinsky points (of all parties, when there are more than two) and
/// the agreement, when drawn.
fn special_point_items(data: &[&UtilitySpaceData]) -> Vec<LegendItem> {
    let suffix = if any(data, |d| d.n_parties > 2) {
        " (all parties)"
    } else {
        ""
    };
    let mut items = Vec::new();
    if any(data, |d| !d.nash.is_empty()) {
        items.push(LegendItem {
            label: format!("Nash point{suffix}"),
            colour: "#ffffff".into(),
            swatch: Swatch::Marker(Shape::Diamond),
        });
    }
    if any(data, |d| !d.kalai_smorodinsky.is_empty()) {
        items.push(LegendItem {
            label: format!("Kalai-Smorodinsky point{suffix}"),
            colour: "#ffffff".into(),
            swatch: Swatch::Marker(Shape::Triangle),
        });
    }
    if any(data, |d| d.agreement.is_some()) {
        items.push(LegendItem {
            label: "agreement".into(),
            colour: AGREEMENT.into(),
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

/// Fill of the agreement's star (the palette's yellow).
const AGREEMENT: &str = "#F0E442";

/// Draws one panel into `svg`, its plot area at `area`; `small` panels (in a grid) have
/// smaller marks.
fn draw_panel(svg: &mut Svg, d: &UtilitySpaceData, area: Rect, small: bool) {
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
    let at = |u: [f64; 2]| (xs.map(u[0]), ys.map(u[1]));
    match &d.cloud {
        CloudMarks::None => {}
        CloudMarks::Points(pts) => draw_outcomes(svg, pts, &at),
        CloudMarks::Density { counts, .. } => draw_density(svg, counts, area),
    }
    draw_reservation(svg, d.reservation, area, (&xs, &ys));
    draw_frontier(svg, &d.frontier, &at);
    draw_trajectories(svg, &d.trajectories, small, &at);
    draw_special_points(svg, d, small, &at);
    svg.close_group();
}

/// One faint point per outcome (smaller when there are many).
fn draw_outcomes(svg: &mut Svg, pts: &[[f64; 2]], at: &dyn Fn([f64; 2]) -> (f64, f64)) {
    svg.open_group("outcomes", None);
    let r = if pts.len() > 2000 { 1.2 } else { 2.0 };
    let style = format!(r#"fill="{FAINT}" fill-opacity="0.45""#);
    for &u in pts {
        svg.circle("outcome", at(u), r, &style);
    }
    svg.close_group();
}

/// The density grid over `area`: each non-empty cell shaded by the logarithm of its count.
fn draw_density(svg: &mut Svg, counts: &[Vec<u64>], area: Rect) {
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

/// The two reservation values as dashed lines across the area.
fn draw_reservation(svg: &mut Svg, reservation: [f64; 2], area: Rect, (xs, ys): (&Scale, &Scale)) {
    let style = format!(r#"stroke="{FAINT}" stroke-width="1.2" stroke-dasharray="5 3""#);
    let rx = xs.map(reservation[0]);
    let ry = ys.map(reservation[1]);
    svg.line(
        "reservation reservation-x",
        (rx, area.y),
        (rx, area.bottom()),
        &style,
    );
    svg.line(
        "reservation reservation-y",
        (area.x, ry),
        (area.right(), ry),
        &style,
    );
}

/// The frontier as a line through its points, each marked.
fn draw_frontier(svg: &mut Svg, frontier: &[[f64; 2]], at: &dyn Fn([f64; 2]) -> (f64, f64)) {
    if frontier.is_empty() {
        return;
    }
    let pts: Vec<(f64, f64)> = frontier.iter().map(|&u| at(u)).collect();
    svg.polyline(
        "frontier",
        &pts,
        &format!(r#"stroke="{INK}" stroke-width="1.8" stroke-linejoin="round""#),
    );
    for &q in &pts {
        svg.circle("frontier-point", q, 2.2, &format!(r#"fill="{INK}""#));
    }
}

/// Each party's offers in its colour: steps between them and a point each, fading with age
/// (see [`fade`]).
fn draw_trajectories(
    svg: &mut Svg,
    trajectories: &[Trajectory],
    small: bool,
    at: &dyn Fn([f64; 2]) -> (f64, f64),
) {
    let t_end = trajectories
        .iter()
        .flat_map(|t| t.points.iter().map(|q| q.time))
        .fold(0.0, f64::max);
    for t in trajectories {
        let c = colour(t.party);
        svg.open_group(&format!("trajectory party-{}", t.party), None);
        for w in t.points.windows(2) {
            svg.line(
                "step",
                at(w[0].u),
                at(w[1].u),
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
                at(q.u),
                if small { 2.4 } else { 3.2 },
                &format!(
                    r##"fill="{c}" fill-opacity="{:.3}" stroke="#ffffff" stroke-width="0.5""##,
                    fade(q.time, t_end)
                ),
            );
        }
        svg.close_group();
    }
}

/// The Nash points (diamonds), Kalai-Smorodinsky points (triangles) and the agreement (a
/// star), over everything else.
fn draw_special_points(
    svg: &mut Svg,
    d: &UtilitySpaceData,
    small: bool,
    at: &dyn Fn([f64; 2]) -> (f64, f64),
) {
    let r = if small { 4.5 } else { 6.0 };
    let mark = format!(r##"fill="#ffffff" stroke="{INK}" stroke-width="1.6""##);
    for &u in &d.nash {
        svg.marker("nash", Shape::Diamond, at(u), r, &mark);
    }
    for &u in &d.kalai_smorodinsky {
        svg.marker("ks", Shape::Triangle, at(u), r, &mark);
    }
    if let Some(a) = d.agreement {
        svg.marker(
            "agreement",
            Shape::Star,
            at(a),
            r,
            &format!(r##"fill="{AGREEMENT}" stroke="{INK}" stroke-width="1.4""##),
        );
    }
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
