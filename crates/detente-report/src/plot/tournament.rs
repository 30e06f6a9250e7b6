//! Tournament pictures: each negotiator's mean utility and agreement rate with 95% confidence
//! intervals, and a heat map of how each negotiator fared against each other one. Made from a
//! tournament output folder as `detente_tournament::read_output` reads it.

use detente_tournament::{ResultRow, Summary, TournamentOutput, files};

use crate::layout::{LegendItem, Rect, Scale, Swatch, axis_labels, text_width, truncate};
use crate::plot::{FONT_SMALL, draw_legend, draw_title, draw_x_axis, fmt3};
use crate::svg::{INK, Shape, Svg, colour, esc};

/// Mean utility of each negotiator against each other negotiator.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// Negotiator names (rows and columns, in the summary's rank order).
    pub names: Vec<String>,
    /// `mean[a][b]`: mean final utility of `a` in negotiations where `b` played another
    /// role; `None` when they never met.
    pub mean: Vec<Vec<Option<f64>>>,
    /// `agreement_rate[a][b]`: share of those negotiations that ended in agreement.
    pub agreement_rate: Vec<Vec<Option<f64>>>,
    /// `count[a][b]`: number of observations behind the cell.
    pub count: Vec<Vec<u64>>,
}

impl HeatMap {
    /// Folds result rows: for each role `a` and each other role `b`, `a`'s utility goes to the
    /// cell (negotiator of `a`, negotiator of `b`). Rows naming other negotiators are errors.
    pub fn from_rows<'a>(
        names: &[String],
        rows: impl IntoIterator<Item = &'a ResultRow>,
    ) -> Result<Self, String> {
        let n = names.len();
        let mut sum = vec![vec![0.0; n]; n];
        let mut agreed = vec![vec![0u64; n]; n];
        let mut count = vec![vec![0u64; n]; n];
        let idx = |name: &str, row: u64| {
            names
                .iter()
                .position(|x| x == name)
                .ok_or_else(|| format!("row {row}: unknown negotiator `{name}`"))
        };
        for row in rows {
            let who: Vec<usize> = row
                .negotiators
                .iter()
                .map(|nm| idx(nm, row.index))
                .collect::<Result<_, _>>()?;
            for (ra, &a) in who.iter().enumerate() {
                let u = *row
                    .utilities
                    .get(ra)
                    .ok_or_else(|| format!("row {}: no utility for role {ra}", row.index))?;
                for (rb, &b) in who.iter().enumerate() {
                    if ra == rb {
                        continue;
                    }
                    sum[a][b] += u;
                    count[a][b] += 1;
                    agreed[a][b] += u64::from(row.agreed());
                }
            }
        }
        let ratio = |s: f64, c: u64| (c > 0).then(|| s / c as f64);
        Ok(HeatMap {
            names: names.to_vec(),
            mean: (0..n)
                .map(|a| (0..n).map(|b| ratio(sum[a][b], count[a][b])).collect())
                .collect(),
            agreement_rate: (0..n)
                .map(|a| {
                    (0..n)
                        .map(|b| ratio(agreed[a][b] as f64, count[a][b]))
                        .collect()
                })
                .collect(),
            count,
        })
    }

    /// Smallest and largest cell value (`None` when every cell is empty).
    pub fn range(&self) -> Option<[f64; 2]> {
        let v: Vec<f64> = self.mean.iter().flatten().flatten().copied().collect();
        if v.is_empty() {
            return None;
        }
        Some([
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ])
    }
}

/// A tournament's figures: the summary and the pairwise heat map.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentData {
    /// Ranking, confidence intervals, pairwise tests.
    pub summary: Summary,
    /// Negotiator against negotiator.
    pub heat: HeatMap,
    /// Scenario names in the plan.
    pub scenarios: Vec<String>,
}

impl TournamentData {
    /// The figures of a tournament output folder, read by `detente_tournament::read_output`.
    pub fn from_output(output: TournamentOutput) -> crate::Result<Self> {
        let names: Vec<String> = output
            .summary
            .negotiators
            .iter()
            .map(|n| n.name.clone())
            .collect();
        let heat = HeatMap::from_rows(&names, &output.rows).map_err(|message| {
            crate::ReportError::Input {
                at: files::RESULTS.into(),
                message,
            }
        })?;
        Ok(TournamentData {
            summary: output.summary,
            heat,
            scenarios: output.manifest.scenarios,
        })
    }
}

/// One negotiator's row of the interval plot.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// Name.
    pub name: String,
    /// Mean (or rate).
    pub value: Option<f64>,
    /// 95% interval.
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

/// Width of the name column on the left of the interval panels.
const NAME_W: f64 = 150.0;

/// Renders the per-negotiator mean utility and agreement rate with 95% intervals.
pub fn render_summary(t: &TournamentData, title: &str) -> String {
    let (util, rate) = interval_rows(&t.summary);
    let n = util.len().max(1);
    let row_h = 24.0;
    let plot_h = row_h * n as f64;
    let panel_w = 260.0;
    let gap = 40.0;
    let left = NAME_W + 16.0;
    let top = 56.0;
    let width = left + 2.0 * panel_w + gap + 24.0;
    let mut svg = Svg::new(width, 100.0, "plot-tournament", title);
    draw_title(&mut svg, title, width, 22.0);
    let panels = [
        (
            &util,
            "mean utility (95% CI)",
            domain_of(&util, [0.0, 1.0]),
            "utility",
        ),
        (
            &rate,
            "agreement rate (95% CI)",
            domain_of(&rate, [0.0, 100.0]),
            "agreements (%)",
        ),
    ];
    for (k, (rows, head, dom, xlab)) in panels.into_iter().enumerate() {
        let area = Rect {
            x: left + k as f64 * (panel_w + gap),
            y: top,
            w: panel_w,
            h: plot_h,
        };
        let xs = Scale::new(dom, [area.x, area.right()]);
        // Categorical y: one band per negotiator, drawn without numeric y ticks.
        let ys = Scale::new([0.0, n as f64], [area.y, area.bottom()]);
        svg.open_group(
            &format!(
                "panel {}",
                if k == 0 { "utility" } else { "agreement-rate" }
            ),
            None,
        );
        svg.text(
            "panel-title",
            (area.x, area.y - 10.0),
            "start",
            FONT_SMALL + 1.0,
            0.0,
            head,
            None,
        );
        draw_x_axis(&mut svg, area, &xs, xlab);
        for (i, r) in rows.iter().enumerate() {
            let cy = ys.map(i as f64 + 0.5);
            if k == 0 {
                let name = truncate(&r.name, NAME_W, FONT_SMALL);
                svg.text(
                    "row-label",
                    (left - 10.0, cy + FONT_SMALL * 0.35),
                    "end",
                    FONT_SMALL,
                    0.0,
                    &name,
                    Some(&r.name),
                );
            }
            let c = esc(colour(i));
            if let Some([a, b]) = r.ci {
                svg.line(
                    "ci",
                    (xs.map(a), cy),
                    (xs.map(b), cy),
                    &format!(r#"stroke="{c}" stroke-width="2""#),
                );
                for v in [a, b] {
                    svg.line(
                        "ci-cap",
                        (xs.map(v), cy - 5.0),
                        (xs.map(v), cy + 5.0),
                        &format!(r#"stroke="{c}" stroke-width="2""#),
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
        svg.close_group();
    }
    let y = top + plot_h + 60.0;
    let items = vec![
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
    ];
    let h = draw_legend(&mut svg, &items, (16.0, y), width - 32.0);
    svg.set_height(y + h + 10.0);
    svg.finish()
}

/// Colour of a heat-map cell: from near white (low) to the palette's blue (high).
pub fn heat_colour(v: f64, range: [f64; 2]) -> String {
    let t = if range[1] - range[0] > 1e-12 {
        ((v - range[0]) / (range[1] - range[0])).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let lo = [0xf2, 0xf6, 0xfa];
    let hi = [0x00, 0x4a, 0x80];
    let c: Vec<u8> = (0..3)
        .map(|k| (f64::from(lo[k]) + t * (f64::from(hi[k]) - f64::from(lo[k]))).round() as u8)
        .collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Whether text on a cell of this colour should be white.
fn light_text(v: f64, range: [f64; 2]) -> bool {
    range[1] - range[0] > 1e-12 && (v - range[0]) / (range[1] - range[0]) > 0.55
}

/// Width of the heat map's colour bar.
const BAR_W: f64 = 200.0;
/// What the heat map's colour bar measures.
const BAR_LABEL: &str = "mean utility of the row negotiator";

/// Renders the heat map of mean utility, negotiator (row) against opponent (column).
pub fn render_heatmap(h: &HeatMap, title: &str) -> String {
    let n = h.names.len().max(1);
    let cell = (420.0 / n as f64).clamp(18.0, 64.0);
    let grid = cell * n as f64;
    let cols = axis_labels(&h.names, cell, FONT_SMALL, 110.0);
    let row_w = h
        .names
        .iter()
        .map(|s| text_width(&truncate(s, NAME_W, FONT_SMALL), FONT_SMALL))
        .fold(0.0, f64::max);
    let left = row_w + 24.0;
    let top = 48.0;
    // Wide enough for the grid and for the colour bar (200 px) with its label.
    let width = (left + grid + 24.0)
        .max(left + BAR_W + 10.0 + text_width(BAR_LABEL, FONT_SMALL) + 16.0)
        .max(360.0);
    let mut svg = Svg::new(width, 100.0, "plot-heatmap", title);
    draw_title(&mut svg, title, width, 22.0);
    let range = h.range().unwrap_or([0.0, 1.0]);
    svg.open_group("cells", None);
    for (a, row) in h.mean.iter().enumerate() {
        for (b, v) in row.iter().enumerate() {
            let x = left + b as f64 * cell;
            let y = top + a as f64 * cell;
            match v {
                Some(v) => {
                    let tip = format!(
                        "{} against {}: mean utility {} over {} observations, agreement rate {}",
                        h.names[a],
                        h.names[b],
                        fmt3(*v),
                        h.count[a][b],
                        h.agreement_rate[a][b].map_or("-".into(), |r| format!("{:.0}%", r * 100.0))
                    );
                    svg.rect_titled(
                        "heat-cell",
                        x,
                        y,
                        cell,
                        cell,
                        &format!(
                            r##"fill="{}" stroke="#ffffff" stroke-width="1""##,
                            heat_colour(*v, range)
                        ),
                        &tip,
                    );
                    if cell >= 34.0 {
                        let fill = if light_text(*v, range) {
                            "#ffffff"
                        } else {
                            INK
                        };
                        svg.raw(&format!(r#"<g fill="{fill}">"#));
                        svg.text(
                            "cell-value",
                            (x + cell / 2.0, y + cell / 2.0 + 4.0),
                            "middle",
                            FONT_SMALL - 1.0,
                            0.0,
                            &format!("{v:.2}"),
                            None,
                        );
                        svg.close_group();
                    }
                }
                None => svg.rect_titled(
                    "heat-cell empty",
                    x,
                    y,
                    cell,
                    cell,
                    r##"fill="#ffffff" stroke="#dddddd" stroke-width="1""##,
                    "never met",
                ),
            }
        }
    }
    svg.close_group();
    svg.open_group("labels", None);
    for (a, name) in h.names.iter().enumerate() {
        let t = truncate(name, NAME_W, FONT_SMALL);
        svg.text(
            "row-label",
            (left - 8.0, top + a as f64 * cell + cell / 2.0 + 4.0),
            "end",
            FONT_SMALL,
            0.0,
            &t,
            Some(name),
        );
    }
    let base = top + grid + 6.0;
    for (b, (name, t)) in h.names.iter().zip(&cols.texts).enumerate() {
        let x = left + b as f64 * cell + cell / 2.0;
        if cols.rotate == 0.0 {
            svg.text(
                "col-label",
                (x, base + FONT_SMALL),
                "middle",
                FONT_SMALL,
                0.0,
                t,
                Some(name),
            );
        } else {
            svg.text(
                "col-label",
                (x, base + FONT_SMALL * 0.8),
                "end",
                FONT_SMALL,
                cols.rotate,
                t,
                Some(name),
            );
        }
    }
    svg.close_group();
    let axis_y = base + cols.height + 8.0;
    svg.text(
        "axis-label x-label",
        (left + grid / 2.0, axis_y + 8.0),
        "middle",
        12.0,
        0.0,
        "opponent",
        None,
    );
    svg.text(
        "axis-label y-label",
        (14.0, top + grid / 2.0),
        "middle",
        12.0,
        -90.0,
        "negotiator",
        None,
    );
    // Colour bar.
    let bar_y = axis_y + 24.0;
    svg.open_group("colour-bar", None);
    let steps = 20;
    let bw = BAR_W / steps as f64;
    for k in 0..steps {
        let v = range[0] + (range[1] - range[0]) * (k as f64 + 0.5) / steps as f64;
        svg.rect(
            "colour-step",
            left + k as f64 * bw,
            bar_y,
            bw + 0.5,
            10.0,
            &format!(r#"fill="{}""#, heat_colour(v, range)),
        );
    }
    svg.text(
        "tick-label",
        (left, bar_y + 24.0),
        "start",
        FONT_SMALL,
        0.0,
        &fmt3(range[0]),
        None,
    );
    svg.text(
        "tick-label",
        (left + BAR_W, bar_y + 24.0),
        "end",
        FONT_SMALL,
        0.0,
        &fmt3(range[1]),
        None,
    );
    svg.text(
        "legend-label",
        (left + BAR_W + 10.0, bar_y + 9.0),
        "start",
        FONT_SMALL,
        0.0,
        BAR_LABEL,
        None,
    );
    svg.close_group();
    svg.set_height(bar_y + 36.0);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: u64, negs: [&str; 2], u: [f64; 2], agreed: bool) -> ResultRow {
        ResultRow {
            index,
            scenario: "s".into(),
            repetition: 0,
            seed: 0,
            negotiators: negs.iter().map(|s| s.to_string()).collect(),
            termination: if agreed { "agreement" } else { "deadline" }.into(),
            error_party: None,
            error: String::new(),
            rounds: 1,
            time: 0.5,
            agreement: String::new(),
            utilities: u.to_vec(),
            welfare: u.iter().sum(),
            quality: None,
            models: Vec::new(),
        }
    }

    #[test]
    fn heat_map_averages_each_pairing() {
        let names: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
        let rows = [
            row(0, ["a", "b"], [0.75, 0.25], true),
            row(1, ["b", "a"], [0.5, 0.5], true),
            row(2, ["a", "a"], [0.5, 0.25], false),
        ];
        let h = HeatMap::from_rows(&names, &rows).unwrap();
        assert_eq!(h.mean[0][1], Some(0.625));
        assert_eq!(h.mean[1][0], Some(0.375));
        assert_eq!(h.count[0][0], 2);
        assert_eq!(h.mean[0][0], Some(0.375));
        assert_eq!(h.agreement_rate[0][0], Some(0.0));
        assert_eq!(h.mean[2][0], None);
        assert_eq!(h.range(), Some([0.375, 0.625]));
        assert!(HeatMap::from_rows(&names, &[row(3, ["a", "z"], [0.0, 0.0], false)]).is_err());
        let svg = render_heatmap(&h, "t");
        assert_eq!(svg.matches(r#"class="heat-cell""#).count(), 3);
        assert_eq!(svg.matches(r#"class="heat-cell empty""#).count(), 6);
        assert_eq!(svg.matches(r#"class="row-label""#).count(), 3);
        assert_eq!(svg.matches(r#"class="col-label""#).count(), 3);
    }

    #[test]
    fn heat_colours_run_light_to_dark() {
        assert_eq!(heat_colour(0.0, [0.0, 1.0]), "#f2f6fa");
        assert_eq!(heat_colour(1.0, [0.0, 1.0]), "#004a80");
        assert_eq!(heat_colour(0.5, [0.5, 0.5]), heat_colour(0.0, [-1.0, 1.0]));
    }
}
