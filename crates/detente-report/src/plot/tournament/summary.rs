//! The interval plot: per negotiator, the mean utility and the agreement rate with their 95%
//! confidence intervals, in two panels side by side.

use detente_formats::xml::escape;
use detente_tournament::Summary;

use super::{NAME_W, TournamentData};
use crate::layout::{LegendItem, Rect, Scale, Swatch, truncate};
use crate::plot::{FONT_SMALL, draw_legend, draw_title, draw_x_axis};
use crate::svg::{INK, Shape, Svg, colour};

/// One negotiator's row of the interval plot.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// The negotiator's name, its row label.
    pub name: String,
    /// Its mean utility, or its agreement rate in percent; `None` without observations.
    pub value: Option<f64>,
    /// The value's 95% confidence interval, in the same unit; `None` when the summary has
    /// none (too few observations).
    pub ci: Option<[f64; 2]>,
}

/// The rows of the two interval panels (mean utility; agreement rate in percent), in rank
/// order.
pub fn interval_rows(s: &Summary) -> (Vec<IntervalRow>, Vec<IntervalRow>) {
    let util = s
        .negotiators
        .iter()
        .map(|n| IntervalRow {
            name: n.name.clone(),
            value: n.mean_utility,
            ci: n.utility_ci,
        })
        .collect();
    let rate = s
        .negotiators
        .iter()
        .map(|n| IntervalRow {
            name: n.name.clone(),
            value: n.agreement_rate.map(|r| r * 100.0),
            ci: n.agreement_rate_ci.map(|[a, b]| [a * 100.0, b * 100.0]),
        })
        .collect();
    (util, rate)
}

/// The larger of `default` and the nice domain around every value and interval end.
fn domain_of(rows: &[IntervalRow], default: [f64; 2]) -> [f64; 2] {
    let mut lo = default[0];
    let mut hi = default[1];
    for r in rows {
        for v in r.value.into_iter().chain(r.ci.into_iter().flatten()) {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if lo < default[0] || hi > default[1] {
        crate::layout::nice_domain(lo, hi, 5)
    } else {
        default
    }
}

/// Height of a negotiator's row.
const ROW_H: f64 = 24.0;
/// Width of each panel's plot area.
const PANEL_W: f64 = 260.0;
/// Space between the two panels.
const GAP: f64 = 40.0;
/// Left edge of the first panel: right of the name column.
const LEFT: f64 = NAME_W + 16.0;
/// Top of the panels (below the title and the panel titles).
const TOP: f64 = 56.0;

/// One of the two panels: its rows, the class that names it, its title, x domain and x title.
struct Panel<'a> {
    rows: &'a [IntervalRow],
    class: &'a str,
    head: &'a str,
    domain: [f64; 2],
    x_title: &'a str,
}

/// Renders the per-negotiator mean utility and agreement rate with 95% intervals.
pub fn render_summary(t: &TournamentData, title: &str) -> String {
    let (util, rate) = interval_rows(&t.summary);
    let n = util.len().max(1);
    let plot_h = ROW_H * n as f64;
    let width = LEFT + 2.0 * PANEL_W + GAP + 24.0;
    let mut svg = Svg::new(width, 100.0, "plot-tournament", title);
    draw_title(&mut svg, title, width, 22.0);
    let panels = [
        Panel {
            rows: &util,
            class: "utility",
            head: "mean utility (95% CI)",
            domain: domain_of(&util, [0.0, 1.0]),
            x_title: "utility",
        },
        Panel {
            rows: &rate,
            class: "agreement-rate",
            head: "agreement rate (95% CI)",
            domain: domain_of(&rate, [0.0, 100.0]),
            x_title: "agreements (%)",
        },
    ];
    for (k, panel) in panels.iter().enumerate() {
        let area = Rect {
            x: LEFT + k as f64 * (PANEL_W + GAP),
            y: TOP,
            w: PANEL_W,
            h: plot_h,
        };
        // The names go left of the first panel only.
        draw_panel(&mut svg, panel, area, n, k == 0);
    }
    let y = TOP + plot_h + 60.0;
    let h = draw_legend(&mut svg, &summary_legend(), (16.0, y), width - 32.0);
    svg.set_height(y + h + 10.0);
    svg.finish()
}

/// One panel in `area`: `n` rows, one band each, drawn without numeric y ticks; with `names`,
/// each row's negotiator name left of it.
fn draw_panel(svg: &mut Svg, panel: &Panel<'_>, area: Rect, n: usize, names: bool) {
    let xs = Scale::new(panel.domain, [area.x, area.right()]);
    let ys = Scale::new([0.0, n as f64], [area.y, area.bottom()]);
    svg.open_group(&format!("panel {}", panel.class), None);
    svg.text(
        "panel-title",
        (area.x, area.y - 10.0),
        "start",
        FONT_SMALL + 1.0,
        0.0,
        panel.head,
        None,
    );
    draw_x_axis(svg, area, &xs, panel.x_title);
    for (i, r) in panel.rows.iter().enumerate() {
        let cy = ys.map(i as f64 + 0.5);
        if names {
            let name = truncate(&r.name, NAME_W, FONT_SMALL);
            svg.text(
                "row-label",
                (LEFT - 10.0, cy + FONT_SMALL * 0.35),
                "end",
                FONT_SMALL,
                0.0,
                &name,
                Some(&r.name),
            );
        }
        draw_interval(svg, r, colour(i), cy, &xs);
    }
    svg.close_group();
}

/// A row's interval (a line with caps) and its mean (a circle), at height `cy`.
fn draw_interval(svg: &mut Svg, r: &IntervalRow, colour: &str, cy: f64, xs: &Scale) {
    let c = escape(colour);
    if let Some([a, b]) = r.ci {
        let stroke = format!(r#"stroke="{c}" stroke-width="2""#);
        svg.line("ci", (xs.map(a), cy), (xs.map(b), cy), &stroke);
        for v in [a, b] {
            svg.line(
                "ci-cap",
                (xs.map(v), cy - 5.0),
                (xs.map(v), cy + 5.0),
                &stroke,
            );
        }
    }
    if let Some(v) = r.value {
        svg.marker(
            "mean",
            Shape::Circle,
            (xs.map(v), cy),
            4.5,
            &format!(r#"fill="{c}" stroke="{INK}" stroke-width="0.8""#),
        );
    }
}

/// What the marks of the interval plot mean.
fn summary_legend() -> Vec<LegendItem> {
    vec![
        LegendItem {
            label: "mean".into(),
            colour: colour(0).into(),
            swatch: Swatch::Marker(Shape::Circle),
        },
        LegendItem {
            label: "95% confidence interval (Student t; Wilson for rates)".into(),
            colour: colour(0).into(),
            swatch: Swatch::Line { dashed: false },
        },
    ]
}
