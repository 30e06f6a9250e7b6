//! The heat map: the mean utility of each negotiator (row) against each opponent (column),
//! with a colour bar.

use detente_tournament::ResultRow;

use super::NAME_W;
use crate::layout::{AxisLabels, axis_labels, text_width, truncate};
use crate::plot::{FONT_SMALL, draw_title, fmt3};
use crate::svg::{INK, Svg};

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

/// Where the heat map's parts go.
struct Layout {
    /// Side of a cell, in pixels.
    cell: f64,
    /// Side of the grid of cells.
    grid: f64,
    /// Left edge of the grid (right of the row labels).
    left: f64,
    /// Top edge of the grid (below the title).
    top: f64,
    /// Width of the whole picture.
    width: f64,
    /// The column labels under the grid.
    cols: AxisLabels,
}

impl Layout {
    /// Cells as large as fit 420 pixels (between 18 and 64), room on the left for the
    /// longest row label, width enough for the grid and for the colour bar with its label.
    fn of(h: &HeatMap) -> Self {
        let n = h.names.len().max(1);
        let cell = (420.0 / n as f64).clamp(18.0, 64.0);
        let grid = cell * n as f64;
        let row_w = h
            .names
            .iter()
            .map(|s| text_width(&truncate(s, NAME_W, FONT_SMALL), FONT_SMALL))
            .fold(0.0, f64::max);
        let left = row_w + 24.0;
        let width = (left + grid + 24.0)
            .max(left + BAR_W + 10.0 + text_width(BAR_LABEL, FONT_SMALL) + 16.0)
            .max(360.0);
        Layout {
            cell,
            grid,
            left,
            top: 48.0,
            width,
            cols: axis_labels(&h.names, cell, FONT_SMALL, 110.0),
        }
    }

    /// Top of the column labels.
    fn labels_top(&self) -> f64 {
        self.top + self.grid + 6.0
    }
}

/// Renders the heat map of mean utility, negotiator (row) against opponent (column).
pub fn render_heatmap(h: &HeatMap, title: &str) -> String {
    let lay = Layout::of(h);
    let mut svg = Svg::new(lay.width, 100.0, "plot-heatmap", title);
    draw_title(&mut svg, title, lay.width, 22.0);
    let range = h.range().unwrap_or([0.0, 1.0]);
    svg.open_group("cells", None);
    for (a, row) in h.mean.iter().enumerate() {
        for (b, v) in row.iter().enumerate() {
            draw_cell(&mut svg, h, &lay, (a, b), *v, range);
        }
    }
    svg.close_group();
    draw_labels(&mut svg, h, &lay);
    let axis_y = lay.labels_top() + lay.cols.height + 8.0;
    draw_axis_titles(&mut svg, &lay, axis_y);
    let bar_y = axis_y + 24.0;
    draw_colour_bar(&mut svg, lay.left, bar_y, range);
    svg.set_height(bar_y + 36.0);
    svg.finish()
}

/// The cell of row `a`, column `b`: coloured by its mean `v` with a tooltip, and the value
/// written in it when cells are large enough; an empty cell when the two never met.
fn draw_cell(
    svg: &mut Svg,
    h: &HeatMap,
    lay: &Layout,
    (a, b): (usize, usize),
    v: Option<f64>,
    range: [f64; 2],
) {
    let (x, y, cell) = (
        lay.left + b as f64 * lay.cell,
        lay.top + a as f64 * lay.cell,
        lay.cell,
    );
    let Some(v) = v else {
        let style = r##"fill="#ffffff" stroke="#dddddd" stroke-width="1""##;
        svg.rect_titled("heat-cell empty", x, y, cell, cell, style, "never met");
        return;
    };
    let tip = format!(
        "{} against {}: mean utility {} over {} observations, agreement rate {}",
        h.names[a],
        h.names[b],
        fmt3(v),
        h.count[a][b],
        h.agreement_rate[a][b].map_or("-".into(), |r| format!("{:.0}%", r * 100.0))
    );
    let style = format!(
        r##"fill="{}" stroke="#ffffff" stroke-width="1""##,
        heat_colour(v, range)
    );
    svg.rect_titled("heat-cell", x, y, cell, cell, &style, &tip);
    if cell >= 34.0 {
        let fill = if light_text(v, range) { "#ffffff" } else { INK };
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

/// The negotiator names: left of each row, and under each column (turned when they do not
/// fit).
fn draw_labels(svg: &mut Svg, h: &HeatMap, lay: &Layout) {
    svg.open_group("labels", None);
    for (a, name) in h.names.iter().enumerate() {
        let t = truncate(name, NAME_W, FONT_SMALL);
        svg.text(
            "row-label",
            (
                lay.left - 8.0,
                lay.top + a as f64 * lay.cell + lay.cell / 2.0 + 4.0,
            ),
            "end",
            FONT_SMALL,
            0.0,
            &t,
            Some(name),
        );
    }
    let base = lay.labels_top();
    for (b, (name, t)) in h.names.iter().zip(&lay.cols.texts).enumerate() {
        let x = lay.left + b as f64 * lay.cell + lay.cell / 2.0;
        if lay.cols.rotate == 0.0 {
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
            let at = (x, base + FONT_SMALL * 0.8);
            svg.text(
                "col-label",
                at,
                "end",
                FONT_SMALL,
                lay.cols.rotate,
                t,
                Some(name),
            );
        }
    }
    svg.close_group();
}

/// "opponent" under the column labels (whose bottom is `axis_y`) and "negotiator" upright
/// left of the rows.
fn draw_axis_titles(svg: &mut Svg, lay: &Layout, axis_y: f64) {
    svg.text(
        "axis-label x-label",
        (lay.left + lay.grid / 2.0, axis_y + 8.0),
        "middle",
        12.0,
        0.0,
        "opponent",
        None,
    );
    svg.text(
        "axis-label y-label",
        (14.0, lay.top + lay.grid / 2.0),
        "middle",
        12.0,
        -90.0,
        "negotiator",
        None,
    );
}

/// The colour bar at (`left`, `y`): 20 steps across `range`, its ends and what it measures.
fn draw_colour_bar(svg: &mut Svg, left: f64, y: f64, range: [f64; 2]) {
    svg.open_group("colour-bar", None);
    let steps = 20;
    let bw = BAR_W / steps as f64;
    for k in 0..steps {
        let v = range[0] + (range[1] - range[0]) * (k as f64 + 0.5) / steps as f64;
        svg.rect(
            "colour-step",
            left + k as f64 * bw,
            y,
            bw + 0.5,
            10.0,
            &format!(r#"fill="{}""#, heat_colour(v, range)),
        );
    }
    let ends = [(left, "start", range[0]), (left + BAR_W, "end", range[1])];
    for (x, anchor, v) in ends {
        svg.text(
            "tick-label",
            (x, y + 24.0),
            anchor,
            FONT_SMALL,
            0.0,
            &fmt3(v),
            None,
        );
    }
    svg.text(
        "legend-label",
        (left + BAR_W + 10.0, y + 9.0),
        "start",
        FONT_SMALL,
        0.0,
        BAR_LABEL,
        None,
    );
    svg.close_group();
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
