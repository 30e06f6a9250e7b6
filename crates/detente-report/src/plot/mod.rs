//! The plots: each module extracts the data a plot draws (a plain struct, unit-tested) and
//! renders it as SVG. Shared here: axes and legends.

pub mod beliefs;
pub mod concession;
pub mod sweep;
pub mod tournament;
pub mod utility_space;

use detente_formats::xml::escape;

use crate::layout::{
    LegendItem, Rect, SWATCH, Scale, Swatch, legend_layout, tick_label, ticks, truncate,
};
use crate::svg::{FAINT, INK, Svg};

/// Font size in pixels of tick labels, legends and row and column labels.
pub const FONT_SMALL: f64 = 11.0;
/// Font size in pixels of axis titles.
pub const FONT_AXIS: f64 = 12.0;
/// Font size in pixels of plot titles.
pub const FONT_TITLE: f64 = 14.0;

/// Draws a numeric x axis along the bottom of `area` and a numeric y axis along its left,
/// with grid lines, ticks, tick labels, the frame and axis titles.
pub(crate) fn draw_axes(
    svg: &mut Svg,
    area: Rect,
    xs: &Scale,
    ys: &Scale,
    x_title: &str,
    y_title: &str,
) {
    draw_axes_with(
        svg,
        area,
        (xs, &numeric_x_ticks(xs)),
        ys,
        (x_title, y_title),
    );
}

/// Draws the axes as [`draw_axes`] does, with the x ticks given: each a position and its label
/// (a category's name, such as who mediates).
pub(crate) fn draw_axes_with(
    svg: &mut Svg,
    area: Rect,
    (xs, x_ticks): (&Scale, &[(f64, String)]),
    ys: &Scale,
    (x_title, y_title): (&str, &str),
) {
    svg.open_group("axes", None);
    draw_x_ticks(svg, area, xs, x_ticks);
    draw_y_ticks(svg, area, ys);
    draw_frame(svg, area);
    draw_x_title(svg, area, x_title);
    draw_y_title(svg, area, y_title);
    svg.close_group();
}

/// Nice numeric ticks over the x domain of `xs`, labelled by their values.
fn numeric_x_ticks(xs: &Scale) -> Vec<(f64, String)> {
    let xt = ticks(xs.domain[0], xs.domain[1], 5);
    let step = tick_step(&xt);
    xt.iter().map(|&v| (v, tick_label(v, step))).collect()
}

/// Draws a numeric x axis along the bottom of `area` and its frame, with no y ticks (for
/// plots whose rows are categories, labelled by the plot itself).
pub(crate) fn draw_x_axis(svg: &mut Svg, area: Rect, xs: &Scale, x_title: &str) {
    svg.open_group("axes", None);
    draw_x_ticks(svg, area, xs, &numeric_x_ticks(xs));
    draw_frame(svg, area);
    draw_x_title(svg, area, x_title);
    svg.close_group();
}

/// The style of grid lines.
fn grid_style() -> String {
    format!(r#"stroke="{FAINT}" stroke-opacity="0.35" stroke-width="0.6""#)
}

/// The distance between the first two ticks (1 when there are fewer than two).
fn tick_step(ticks: &[f64]) -> f64 {
    if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    }
}

/// A vertical grid line, a tick below `area` and its label, for each x tick.
fn draw_x_ticks(svg: &mut Svg, area: Rect, xs: &Scale, x_ticks: &[(f64, String)]) {
    let grid = grid_style();
    for (v, label) in x_ticks {
        let v = *v;
        let x = xs.map(v);
        svg.line("grid", (x, area.y), (x, area.bottom()), &grid);
        svg.line(
            "tick x-tick",
            (x, area.bottom()),
            (x, area.bottom() + 4.0),
            &format!(r#"stroke="{INK}""#),
        );
        svg.text(
            "tick-label",
            (x, area.bottom() + 6.0 + FONT_SMALL),
            "middle",
            FONT_SMALL,
            0.0,
            label,
            None,
        );
    }
}

/// A horizontal grid line, a tick left of `area` and its label, for each y tick.
fn draw_y_ticks(svg: &mut Svg, area: Rect, ys: &Scale) {
    let yt = ticks(ys.domain[0], ys.domain[1], 5);
    let step = tick_step(&yt);
    let grid = grid_style();
    for &v in &yt {
        let y = ys.map(v);
        svg.line("grid", (area.x, y), (area.right(), y), &grid);
        svg.line(
            "tick y-tick",
            (area.x - 4.0, y),
            (area.x, y),
            &format!(r#"stroke="{INK}""#),
        );
        svg.text(
            "tick-label",
            (area.x - 6.0, y + FONT_SMALL * 0.35),
            "end",
            FONT_SMALL,
            0.0,
            &tick_label(v, step),
            None,
        );
    }
}

/// The frame around the plot area.
fn draw_frame(svg: &mut Svg, area: Rect) {
    svg.rect(
        "frame",
        area.x,
        area.y,
        area.w,
        area.h,
        &format!(r#"fill="none" stroke="{INK}" stroke-width="0.8""#),
    );
}

/// The x axis title, centred under the tick labels (truncated to the area's width, in full
/// as a tooltip).
fn draw_x_title(svg: &mut Svg, area: Rect, title: &str) {
    svg.text(
        "axis-label x-label",
        (
            area.x + area.w / 2.0,
            area.bottom() + 10.0 + FONT_SMALL + FONT_AXIS + 4.0,
        ),
        "middle",
        FONT_AXIS,
        0.0,
        &truncate(title, area.w, FONT_AXIS),
        Some(title),
    );
}

/// The y axis title, turned upright left of the tick labels (truncated to the area's height).
fn draw_y_title(svg: &mut Svg, area: Rect, title: &str) {
    svg.text(
        "axis-label y-label",
        (area.x - 42.0, area.y + area.h / 2.0),
        "middle",
        FONT_AXIS,
        -90.0,
        &truncate(title, area.h, FONT_AXIS),
        Some(title),
    );
}

/// Draws a legend with its top-left corner at `at`, flowing within `width`; returns its
/// height.
pub(crate) fn draw_legend(svg: &mut Svg, items: &[LegendItem], at: (f64, f64), width: f64) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    let lay = legend_layout(items, width, FONT_SMALL);
    svg.open_group("legend", Some(at));
    for ((it, b), text) in items.iter().zip(&lay.boxes).zip(&lay.texts) {
        svg.open_group("legend-entry", None);
        let cy = b.y + b.h / 2.0;
        draw_swatch(svg, it, b.x, cy);
        svg.text(
            "legend-label",
            (b.x + SWATCH + 6.0, cy + FONT_SMALL * 0.35),
            "start",
            FONT_SMALL,
            0.0,
            text,
            Some(&it.label),
        );
        svg.close_group();
    }
    svg.close_group();
    lay.height
}

/// The swatch of a legend entry, in the [`SWATCH`]-wide slot starting at `x`, centred on the
/// line `cy`.
fn draw_swatch(svg: &mut Svg, item: &LegendItem, x: f64, cy: f64) {
    let c = escape(&item.colour);
    match item.swatch {
        Swatch::Line { dashed } => svg.line(
            "swatch",
            (x + 1.0, cy),
            (x + SWATCH - 1.0, cy),
            &format!(
                r#"stroke="{c}" stroke-width="2.2"{}"#,
                if dashed {
                    r#" stroke-dasharray="5 3""#
                } else {
                    ""
                }
            ),
        ),
        Swatch::Marker(shape) => svg.marker(
            "swatch",
            shape,
            (x + SWATCH / 2.0, cy),
            4.5,
            &format!(r#"fill="{c}" stroke="{INK}" stroke-width="0.8""#),
        ),
        Swatch::Block => svg.rect(
            "swatch",
            x + 3.0,
            cy - 5.0,
            SWATCH - 6.0,
            10.0,
            &format!(r#"fill="{c}" fill-opacity="0.6""#),
        ),
    }
}

/// Draws a plot title centred at the top.
pub(crate) fn draw_title(svg: &mut Svg, title: &str, width: f64, y: f64) {
    let t = truncate(title, width - 20.0, FONT_TITLE);
    svg.text(
        "plot-title",
        (width / 2.0, y),
        "middle",
        FONT_TITLE,
        0.0,
        &t,
        Some(title),
    );
}

/// A number with three decimals for tooltips and tables, `-` when it is not finite.
pub(crate) fn fmt3(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "-".into()
    }
}

/// Placeholder text drawn in an area that has nothing to show (with the reason).
pub(crate) fn draw_empty(svg: &mut Svg, area: Rect, message: &str) {
    let t = truncate(message, area.w - 10.0, FONT_AXIS);
    svg.text(
        "empty-note",
        (area.x + area.w / 2.0, area.y + area.h / 2.0),
        "middle",
        FONT_AXIS,
        0.0,
        &t,
        Some(message),
    );
}
