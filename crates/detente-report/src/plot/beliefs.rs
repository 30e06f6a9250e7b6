//! The beliefs of the compliance phase over time: for each party, the probability it gives
//! each counterpart's compliance after every round, one line per pair in the holder's colour
//! (dashed by counterpart), with the obligations' milestones marked.

use detente_formats::xml::escape;

use crate::compliance::ComplianceTimeline;
use crate::layout::{LegendItem, Rect, Scale, Swatch, nice_domain};
use crate::plot::{draw_axes, draw_legend, draw_title};
use crate::svg::{Svg, colour};

const WIDTH: f64 = 760.0;
const PLOT_H: f64 = 260.0;
const MARGIN_LEFT: f64 = 60.0;
const MARGIN_RIGHT: f64 = 20.0;
const TOP: f64 = 44.0;

/// The belief chart of a timeline as SVG (class `plot-beliefs`): x the round (from 1, as the
/// report counts), y the belief in [0, 1].
pub fn render(t: &ComplianceTimeline, title: &str) -> String {
    let mut svg = Svg::new(WIDTH, TOP + PLOT_H + 60.0, "plot-beliefs", title);
    draw_title(&mut svg, title, WIDTH, 22.0);
    let area = Rect {
        x: MARGIN_LEFT,
        y: TOP,
        w: WIDTH - MARGIN_LEFT - MARGIN_RIGHT,
        h: PLOT_H,
    };
    let rounds = t
        .beliefs
        .iter()
        .flat_map(|b| b.points.iter().map(|p| p.0))
        .chain(t.milestones.iter().map(|m| m.round))
        .chain(t.rows.iter().map(|r| r.round));
    let (lo, hi) = rounds.fold((u32::MAX, 0), |(lo, hi), r| (lo.min(r), hi.max(r)));
    let (lo, hi) = (f64::from(lo) + 1.0, f64::from(hi.max(lo)) + 1.0);
    let xs = Scale::new(nice_domain(lo, hi.max(lo + 1.0), 8), [area.x, area.right()]);
    let ys = Scale::new([0.0, 1.0], [area.bottom(), area.y]);
    draw_axes(&mut svg, area, &xs, &ys, "round", "belief in compliance");
    for m in &t.milestones {
        let x = xs.map(f64::from(m.round) + 1.0);
        svg.line(
            "milestone",
            (x, area.y),
            (x, area.bottom()),
            r##"stroke="#CC79A7" stroke-width="1.2" stroke-dasharray="2 3""##,
        );
    }
    for b in &t.beliefs {
        let pts: Vec<(f64, f64)> = b
            .points
            .iter()
            .map(|&(r, p)| (xs.map(f64::from(r) + 1.0), ys.map(p)))
            .collect();
        let c = escape(colour(b.holder));
        let dash = dash(t, b.about)
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        svg.polyline(
            &format!("belief holder-{} about-{}", b.holder, b.about),
            &pts,
            &format!(r#"stroke="{c}" stroke-width="2" stroke-linejoin="round"{dash}"#),
        );
        for &q in &pts {
            svg.circle("belief-point", q, 2.4, &format!(r#"fill="{c}""#));
        }
    }
    let legend_y = area.bottom() + 40.0;
    let h = draw_legend(&mut svg, &legend_items(t), (16.0, legend_y), WIDTH - 32.0);
    svg.set_height(legend_y + h + 10.0);
    svg.finish()
}

/// One legend entry per line: `holder about counterpart`, plus the milestones when any.
fn legend_items(t: &ComplianceTimeline) -> Vec<LegendItem> {
    let mut items: Vec<LegendItem> = t
        .beliefs
        .iter()
        .map(|b| LegendItem {
            label: format!("{} about {}", t.parties[b.holder], t.parties[b.about]),
            colour: colour(b.holder).to_string(),
            swatch: Swatch::Line {
                dashed: dash(t, b.about).is_some(),
            },
        })
        .collect();
    if !t.milestones.is_empty() {
        items.push(LegendItem {
            label: "obligation starts or ends".into(),
            colour: "#CC79A7".into(),
            swatch: Swatch::Line { dashed: true },
        });
    }
    items
}

/// The dash of lines about party `about`: solid for the first party believed about, then
/// dashed, dotted, dash-dotted, cycling (the holder is the colour).
fn dash(t: &ComplianceTimeline, about: usize) -> Option<&'static str> {
    let mut abouts: Vec<usize> = t.beliefs.iter().map(|b| b.about).collect();
    abouts.sort_unstable();
    abouts.dedup();
    let rank = abouts.iter().position(|&a| a == about).unwrap_or(0);
    [None, Some("6 3"), Some("2 2"), Some("8 3 2 3")][rank % 4]
}
