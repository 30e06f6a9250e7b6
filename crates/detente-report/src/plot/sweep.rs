//! Parameter sweeps: the swept parameter against the agreement rate and each party's mean
//! utility, with 95% bands. Derived from a sweep document ([`SweepDoc`], schema in
//! `docs/report.md`) by [`SweepData::from_doc`].

pub use detente_formats::sweep_json::Estimate;
use detente_formats::sweep_json::{self, SweepDoc};
use detente_formats::xml::escape;

use crate::error::{ReportError, Result};
use crate::layout::{LegendItem, Rect, Scale, Swatch, nice_domain};
use crate::plot::{draw_axes, draw_axes_with, draw_legend, draw_title};
use crate::svg::{INK, Svg, colour, dash_for_cycle};

/// One setting of the parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// The parameter's value: the point's x coordinate.
    pub value: f64,
    /// Negotiations run at this value; `None` when the document does not say.
    pub runs: Option<u64>,
    /// Share of them that ended in agreement, in [0, 1].
    pub agreement_rate: Option<Estimate>,
    /// Mean final utility of each party (in `SweepData::parties` order).
    pub utilities: Vec<Option<Estimate>>,
}

/// A sweep of one parameter, ready to plot.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepData {
    /// Name of the swept parameter (`reservation.Bob`), the x axis title.
    pub parameter: String,
    /// What each value stands for when the values are positions in a list of names (the
    /// `mediator` axis); empty otherwise. The x axis is then labelled by name.
    pub labels: Vec<String>,
    /// Scenario name, when the document gives one (it goes in the title).
    pub scenario: Option<String>,
    /// Parties whose utilities are plotted, each in its colour: those the document lists,
    /// then any other a point names.
    pub parties: Vec<String>,
    /// Points, by increasing value; never empty.
    pub points: Vec<SweepPoint>,
}

impl SweepData {
    /// The plot data of a sweep document: its one parameter against the agreement rate and
    /// each party's mean utility, points by increasing value. Parties are those the document
    /// lists, then any other named in a point, in alphabetical order. Sweeps over two
    /// parameters are refused (plot one sweep per parameter).
    pub fn from_doc(doc: &SweepDoc) -> Result<Self> {
        let [axis] = doc.axes.as_slice() else {
            return Err(ReportError::Unsupported(format!(
                "a sweep over {} axes: sweep plots draw one axis (run one sweep per axis)",
                doc.axes.len()
            )));
        };
        let mut parties = doc.parties.clone();
        for p in &doc.points {
            for name in p.utilities.keys() {
                if !parties.contains(name) {
                    parties.push(name.clone());
                }
            }
        }
        let mut points = doc
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| point(p, i, &axis.param, &parties))
            .collect::<Result<Vec<_>>>()?;
        if points.is_empty() {
            return Err(ReportError::Input {
                at: "$.points".into(),
                message: "no points".into(),
            });
        }
        points.sort_by(|a, b| a.value.total_cmp(&b.value));
        Ok(SweepData {
            parameter: axis.param.clone(),
            labels: axis.labels.clone(),
            scenario: doc.scenario.clone(),
            parties,
            points,
        })
    }

    /// The x domain: a nice interval around the parameter's values (for named values, half
    /// a position beyond the first and the last).
    pub fn x_domain(&self) -> [f64; 2] {
        let lo = self.points.first().map_or(0.0, |p| p.value);
        let hi = self.points.last().map_or(1.0, |p| p.value);
        if self.labels.is_empty() {
            nice_domain(lo, hi, 5)
        } else {
            [lo - 0.5, hi + 0.5]
        }
    }

    /// The x ticks when the values are named: one at each point, labelled by its name.
    pub fn named_ticks(&self) -> Option<Vec<(f64, String)>> {
        if self.labels.is_empty() {
            return None;
        }
        let name = |v: f64| {
            let i = v.round();
            if i >= 0.0 && (i as usize) < self.labels.len() && i == v {
                self.labels[i as usize].clone()
            } else {
                v.to_string()
            }
        };
        Some(
            self.points
                .iter()
                .map(|p| (p.value, name(p.value)))
                .collect(),
        )
    }

    /// The y domain of the utility panel: [0, 1] unless a mean or an interval end lies
    /// outside it, then a nice interval around them.
    pub fn utility_domain(&self) -> [f64; 2] {
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for p in &self.points {
            for e in p.utilities.iter().flatten() {
                for v in std::iter::once(e.mean).chain(e.ci95.into_iter().flatten()) {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
        if lo < 0.0 || hi > 1.0 {
            nice_domain(lo, hi, 5)
        } else {
            [0.0, 1.0]
        }
    }
}

/// One point of a one-parameter sweep.
fn point(
    p: &sweep_json::SweepPoint,
    i: usize,
    param: &str,
    parties: &[String],
) -> Result<SweepPoint> {
    let value = p
        .values
        .get(param)
        .copied()
        .ok_or_else(|| ReportError::Input {
            at: format!("$.points[{i}].values"),
            message: format!("no value for parameter `{param}`"),
        })?;
    Ok(SweepPoint {
        value,
        runs: p.runs,
        agreement_rate: p.agreement_rate.map(|mean| Estimate {
            mean,
            ci95: p.agreement_rate_ci95,
        }),
        utilities: parties
            .iter()
            .map(|name| p.utilities.get(name).copied())
            .collect(),
    })
}

/// Width of the sweep plot.
const WIDTH: f64 = 680.0;
/// Space left of the panels (y tick labels and title) and right of them.
const MARGIN: (f64, f64) = (70.0, 24.0);
/// Height of each panel.
const PANEL_H: f64 = 200.0;
/// Top of the first panel (below the title).
const TOP: f64 = 46.0;
/// Vertical space between the panels (x tick labels and title).
const GAP: f64 = 80.0;
/// The agreement rate's colour and dash: neutral ink, dashed, so that it is never taken for a
/// party's line (parties have the palette's colours, solid for the first eight).
const RATE_COLOUR: &str = INK;
const RATE_DASH: &str = "6 3";

/// Renders the sweep: agreement rate (top) and mean utilities (bottom) against the parameter.
pub fn render(d: &SweepData, title: &str) -> String {
    let mut svg = Svg::new(WIDTH, 100.0, "plot-sweep", title);
    draw_title(&mut svg, title, WIDTH, 22.0);
    let panel = |y: f64| Rect {
        x: MARGIN.0,
        y,
        w: WIDTH - MARGIN.0 - MARGIN.1,
        h: PANEL_H,
    };
    draw_rate_panel(&mut svg, d, panel(TOP));
    let utilities = panel(TOP + PANEL_H + GAP);
    draw_utility_panel(&mut svg, d, utilities);
    let y = utilities.bottom() + 60.0;
    let h = draw_legend(&mut svg, &legend_items(d), (16.0, y), WIDTH - 32.0);
    svg.set_height(y + h + 10.0);
    svg.finish()
}

/// A panel's axes: numeric, or with the x axis labelled by the names of its values.
fn axes(svg: &mut Svg, d: &SweepData, area: Rect, (xs, ys): (&Scale, &Scale), y_title: &str) {
    match d.named_ticks() {
        Some(ticks) => draw_axes_with(svg, area, (xs, &ticks), ys, (&d.parameter, y_title)),
        None => draw_axes(svg, area, xs, ys, &d.parameter, y_title),
    }
}

/// The agreement rate in percent against the parameter, with its 95% band.
fn draw_rate_panel(svg: &mut Svg, d: &SweepData, area: Rect) {
    let xs = Scale::new(d.x_domain(), [area.x, area.right()]);
    let ys = Scale::new([0.0, 100.0], [area.bottom(), area.y]);
    svg.open_group("panel agreement-rate", None);
    axes(svg, d, area, (&xs, &ys), "agreement rate (%)");
    let percent: Vec<(f64, Estimate)> = d
        .points
        .iter()
        .filter_map(|p| {
            p.agreement_rate.map(|e| {
                let ci95 = e.ci95.map(|c| [c[0] * 100.0, c[1] * 100.0]);
                (
                    p.value,
                    Estimate {
                        mean: e.mean * 100.0,
                        ci95,
                    },
                )
            })
        })
        .collect();
    let style = (RATE_COLOUR, Some(RATE_DASH));
    draw_series(svg, ["band", "line agreement"], &percent, (&xs, &ys), style);
    svg.close_group();
}

/// Each party's mean final utility against the parameter, with its 95% band.
fn draw_utility_panel(svg: &mut Svg, d: &SweepData, area: Rect) {
    let xs = Scale::new(d.x_domain(), [area.x, area.right()]);
    let ys = Scale::new(d.utility_domain(), [area.bottom(), area.y]);
    svg.open_group("panel utilities", None);
    axes(svg, d, area, (&xs, &ys), "mean final utility");
    for j in 0..d.parties.len() {
        let est: Vec<(f64, Estimate)> = d
            .points
            .iter()
            .filter_map(|p| p.utilities[j].map(|e| (p.value, e)))
            .collect();
        let (band_class, line_class) = (format!("band party-{j}"), format!("line party-{j}"));
        let style = (colour(j), dash_for_cycle(j));
        draw_series(svg, [&band_class, &line_class], &est, (&xs, &ys), style);
    }
    svg.close_group();
}

/// One series: its 95% band (where at least two points have an interval), its line and its
/// points, in colour `c` (the line dashed by `dash`, if any); `classes` are those of the band
/// and the line.
fn draw_series(
    svg: &mut Svg,
    classes: [&str; 2],
    est: &[(f64, Estimate)],
    (xs, ys): (&Scale, &Scale),
    (c, dash): (&str, Option<&str>),
) {
    let ci: Vec<(f64, [f64; 2])> = est
        .iter()
        .filter_map(|(x, e)| e.ci95.map(|c| (*x, c)))
        .collect();
    band(svg, classes[0], &ci, xs, ys, c);
    let line: Vec<(f64, f64)> = est
        .iter()
        .map(|(x, e)| (xs.map(*x), ys.map(e.mean)))
        .collect();
    svg.polyline(
        classes[1],
        &line,
        &match dash {
            Some(d) => format!(r#"stroke="{c}" stroke-width="2" stroke-dasharray="{d}""#),
            None => format!(r#"stroke="{c}" stroke-width="2""#),
        },
    );
    for &q in &line {
        svg.circle("point", q, 3.0, &format!(r#"fill="{c}""#));
    }
}

/// A 95% band: the polygon through the upper ends, then back through the lower ends.
fn band(svg: &mut Svg, class: &str, pts: &[(f64, [f64; 2])], xs: &Scale, ys: &Scale, c: &str) {
    if pts.len() < 2 {
        return;
    }
    let mut poly: Vec<(f64, f64)> = pts
        .iter()
        .map(|(x, ci)| (xs.map(*x), ys.map(ci[1])))
        .collect();
    poly.extend(pts.iter().rev().map(|(x, ci)| (xs.map(*x), ys.map(ci[0]))));
    svg.polygon(
        class,
        &poly,
        &format!(r#"fill="{}" fill-opacity="0.18" stroke="none""#, escape(c)),
    );
}

/// Legend entries of a sweep plot: the agreement rate, each party's utility, the bands.
pub fn legend_items(d: &SweepData) -> Vec<LegendItem> {
    let mut items = vec![LegendItem {
        label: "agreement rate".into(),
        colour: RATE_COLOUR.into(),
        swatch: Swatch::Line { dashed: true },
    }];
    for (j, p) in d.parties.iter().enumerate() {
        items.push(LegendItem {
            label: format!("utility of {p}"),
            colour: colour(j).into(),
            swatch: Swatch::Line {
                dashed: dash_for_cycle(j).is_some(),
            },
        });
    }
    items.push(LegendItem {
        label: "95% band".into(),
        colour: RATE_COLOUR.into(),
        swatch: Swatch::Block,
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: serde_json::Value) -> SweepDoc {
        SweepDoc::from_json_str(&json.to_string(), std::path::Path::new("s.json")).unwrap()
    }

    fn data(json: serde_json::Value) -> SweepData {
        SweepData::from_doc(&doc(json)).unwrap()
    }

    #[test]
    fn reads_points_and_parties() {
        let d = data(serde_json::json!({
            "format": "detente-sweep/1",
            "parameter": "e",
            "points": [
                {"value": 0.5, "runs": 10, "agreement_rate": 0.6, "agreement_rate_ci": [0.3, 0.85],
                 "utilities": {"A": {"mean": 0.5, "ci": [0.4, 0.6]}, "B": 0.4}},
                {"value": 0.1, "agreement_rate": {"mean": 0.9, "ci": [0.7, 0.97]},
                 "utilities": {"A": 0.7}}
            ]
        }));
        assert_eq!(d.parties, ["A", "B"]);
        assert_eq!(d.points[0].value, 0.1);
        assert_eq!(d.points[0].utilities[1], None);
        assert_eq!(d.points[1].agreement_rate.unwrap().ci95, Some([0.3, 0.85]));
        assert_eq!(d.points[1].runs, Some(10));
        let svg = render(&d, "t");
        assert_eq!(svg.matches(r#"class="line party-"#).count(), 2);
        assert_eq!(svg.matches(r#"class="band""#).count(), 1);
        assert_eq!(
            svg.matches(r#"class="band party-0""#).count(),
            0,
            "one point with a CI is no band"
        );
        assert_eq!(svg.matches(r#"class="legend-entry""#).count(), 4);
    }

    /// The agreement rate's legend entry (and line) looks like no party's, however many
    /// parties there are: a colour outside the palette, dashed; the parties keep their
    /// palette colours (the same as in every other plot).
    #[test]
    fn the_rate_is_never_drawn_like_a_party() {
        let names: Vec<String> = (0..20).map(|i| format!("P{i}")).collect();
        let utilities: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .map(|n| (n.clone(), serde_json::json!(0.5)))
            .collect();
        let d = data(serde_json::json!({
            "format": "detente-sweep/1",
            "parameter": "e",
            "points": [{"value": 0.5, "agreement_rate": 0.6, "utilities": utilities}]
        }));
        let items = legend_items(&d);
        let rate = &items[0];
        assert_eq!(rate.label, "agreement rate");
        for (j, party) in items[1..=names.len()].iter().enumerate() {
            assert_eq!(party.colour, colour(j), "{}", party.label);
            assert!(
                party.colour != rate.colour || party.swatch != rate.swatch,
                "{} is drawn like the agreement rate",
                party.label
            );
        }
        assert!(!crate::svg::PALETTE.contains(&rate.colour.as_str()));
        let svg = render(&d, "t");
        assert!(svg.contains(&format!(
            r#"stroke="{RATE_COLOUR}" stroke-width="2" stroke-dasharray="{RATE_DASH}""#
        )));
    }

    #[test]
    fn reads_the_inspect_shape() {
        let d = data(serde_json::json!({
            "parties": ["A", "B"],
            "axes": [{"name": "reservation.B", "values": [0.1, 0.2]}],
            "points": [
                {"values": [0.2], "runs": 4, "rate": 0.5, "rate_ci": [0.15, 0.85],
                 "utilities": [{"mean": 0.5, "ci": [0.25, 0.75]}, {"mean": 0.25, "ci": null}]},
                {"values": [0.1], "runs": 4, "rate": 1.0, "rate_ci": [0.5, 1.0],
                 "utilities": [0.5, 0.5]}
            ]
        }));
        assert_eq!(d.parameter, "reservation.B");
        assert_eq!(d.points[1].utilities[0].unwrap().ci95, Some([0.25, 0.75]));
        assert_eq!(d.points[0].agreement_rate.unwrap().mean, 1.0);
        let two = doc(serde_json::json!({"axes": [{"name": "a"}, {"name": "b"}], "points": []}));
        assert!(
            SweepData::from_doc(&two)
                .unwrap_err()
                .to_string()
                .contains("2 axes")
        );
    }

    #[test]
    fn reads_the_sweep_command_output() {
        // The shape `detente sweep --json` writes.
        let d = data(serde_json::json!({
            "axes": [{"param": "reservation.Bob", "values": [0.1, 0.3]}],
            "seeds": 2, "seed": 1, "jitter": 0.0,
            "points": [
                {"values": {"reservation.Bob": 0.3}, "runs": 2, "agreements": 1,
                 "agreement_rate": 0.5, "agreement_rate_ci95": [0.1, 0.9], "mean_rounds": 4.0,
                 "utilities": {"Alice": {"mean": 0.5, "ci95": [0.25, 0.75]}, "Bob": {"mean": 0.25, "ci95": null}},
                 "welfare": {"mean": 0.75, "ci95": null}},
                {"values": {"reservation.Bob": 0.1}, "runs": 2, "agreements": 2,
                 "agreement_rate": 1.0, "agreement_rate_ci95": [0.3, 1.0], "mean_rounds": 3.0,
                 "utilities": {"Alice": {"mean": 0.5, "ci95": null}, "Bob": {"mean": 0.5, "ci95": null}},
                 "welfare": {"mean": 1.0, "ci95": null}}
            ]
        }));
        assert_eq!(d.parameter, "reservation.Bob");
        assert_eq!(d.parties, ["Alice", "Bob"]);
        assert_eq!(d.points[0].value, 0.1);
        assert_eq!(d.points[1].agreement_rate.unwrap().ci95, Some([0.1, 0.9]));
        assert_eq!(d.points[1].utilities[0].unwrap().ci95, Some([0.25, 0.75]));
        assert_eq!(d.points[1].utilities[1].unwrap().ci95, None);
    }

    #[test]
    fn a_mediator_axis_is_labelled_by_name() {
        let d = data(serde_json::json!({
            "format": "detente-sweep/1",
            "axes": [{"param": "mediator", "values": [0.0, 1.0],
                      "labels": ["United States", "neutral"]}],
            "points": [
                {"values": {"mediator": 1.0}, "runs": 2, "agreements": 1,
                 "agreement_rate": 0.5, "agreement_rate_ci95": [0.1, 0.9],
                 "utilities": {"A": {"mean": 0.5, "ci95": null}}, "welfare": {"mean": 0.5}},
                {"values": {"mediator": 0.0}, "runs": 2, "agreements": 2,
                 "agreement_rate": 1.0, "agreement_rate_ci95": [0.3, 1.0],
                 "utilities": {"A": {"mean": 0.6, "ci95": null}}, "welfare": {"mean": 0.6}}
            ]
        }));
        assert_eq!(d.x_domain(), [-0.5, 1.5]);
        let ticks = d.named_ticks().unwrap();
        assert_eq!(
            ticks,
            [
                (0.0, "United States".to_string()),
                (1.0, "neutral".to_string())
            ]
        );
        let svg = render(&d, "who mediates");
        // Both panels label their x axis by name, with no numeric tick such as 0.5.
        assert_eq!(svg.matches(">United States</text>").count(), 2, "{svg}");
        assert_eq!(svg.matches(">neutral</text>").count(), 2);
        assert!(!svg.contains(">0.5</text>"));
    }

    #[test]
    fn sweeps_that_cannot_be_drawn_are_refused() {
        let e = SweepData::from_doc(&doc(serde_json::json!({"parameter": "e", "points": []})))
            .unwrap_err();
        assert_eq!(e.to_string(), "$.points: no points");
        let mut d = doc(serde_json::json!({"parameter": "e", "points": [{"value": 1}]}));
        d.points[0].values.clear();
        let e = SweepData::from_doc(&d).unwrap_err();
        assert_eq!(
            e.to_string(),
            "$.points[0].values: no value for parameter `e`"
        );
    }
}
