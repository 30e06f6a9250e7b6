//! Geometry shared by the plots: linear scales with "nice" ticks, the plot area, text width
//! estimates, label truncation and rotation, and legend layout that never overlaps.

/// A rectangle in SVG pixels, y growing downwards as in SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge, from the picture's left.
    pub x: f64,
    /// Top edge, from the picture's top.
    pub y: f64,
    /// Width, rightwards from `x`.
    pub w: f64,
    /// Height, downwards from `y`.
    pub h: f64,
}

impl Rect {
    /// Right edge: `x + w`.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge: `y + h`.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Whether `p` lies inside (edges included, with a small slack for rounding).
    pub fn contains(&self, p: (f64, f64)) -> bool {
        let e = 1e-6;
        p.0 >= self.x - e
            && p.0 <= self.right() + e
            && p.1 >= self.y - e
            && p.1 <= self.bottom() + e
    }

    /// Whether two rectangles overlap (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
}

/// A linear map from a data interval onto a pixel interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Data interval `[from, to]` mapped onto `range` (never empty: see [`Scale::new`]).
    pub domain: [f64; 2],
    /// Pixel interval (the second end may be smaller, for y axes).
    pub range: [f64; 2],
}

impl Scale {
    /// A scale; a degenerate domain is widened by 0.5 each way.
    pub fn new(domain: [f64; 2], range: [f64; 2]) -> Self {
        let domain = if (domain[1] - domain[0]).abs() < 1e-12 {
            [domain[0] - 0.5, domain[1] + 0.5]
        } else {
            domain
        };
        Scale { domain, range }
    }

    /// The pixel position of `v`, clamped to the range.
    pub fn map(&self, v: f64) -> f64 {
        let t = (v - self.domain[0]) / (self.domain[1] - self.domain[0]);
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.range[0] + t * (self.range[1] - self.range[0])
    }
}

/// Ticks at 1, 2 or 5 times a power of ten, about `target` of them, inside `[lo, hi]`.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            // Kill float noise such as 0.30000000000000004.
            (v / step).round() * step
        })
        .collect()
}

fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    let f = raw / p;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * p
}

/// Widens `[lo, hi]` outwards to multiples of a nice step (so the axis ends on ticks).
pub fn nice_domain(lo: f64, hi: f64, target: usize) -> [f64; 2] {
    if !(lo.is_finite() && hi.is_finite()) {
        return [0.0, 1.0];
    }
    if hi - lo < 1e-12 {
        return [lo - 0.5, hi + 0.5];
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    [
        (lo / step + 1e-9).floor() * step,
        (hi / step - 1e-9).ceil() * step,
    ]
}

/// A tick label: as few decimals as the step needs.
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    };
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_string()
    } else {
        s
    }
}

/// Estimated width in pixels of `text` in the sans-serif font at `size` pixels. Deliberately
/// generous (wide glyphs count more), so labels placed with it do not collide.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '-' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' => 0.92,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.62,
            c if c.is_ascii() => 0.58,
            _ => 0.9,
        })
        .sum::<f64>()
        * size
}

/// `text` cut to fit `max_width` pixels at `size`, ending in an ellipsis when cut.
pub fn truncate(text: &str, max_width: f64, size: f64) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let ell = text_width("…", size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), size);
        if w + cw + ell > max_width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// How category labels along a horizontal axis are drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisLabels {
    /// Rotation in degrees (0 or -40).
    pub rotate: f64,
    /// The label texts, truncated where needed.
    pub texts: Vec<String>,
    /// Height in pixels the labels take below the axis.
    pub height: f64,
}

/// Rotation of category labels that do not fit their slots.
pub const ROTATED: f64 = -40.0;

/// Lays out category labels under slots of `slot` pixels: horizontal when every label fits
/// its slot, otherwise rotated by 40 degrees and truncated so that the rotated text stays
/// within `max_height` pixels below the axis.
pub fn axis_labels(labels: &[String], slot: f64, size: f64, max_height: f64) -> AxisLabels {
    let fits = labels.iter().all(|l| text_width(l, size) <= slot * 0.92);
    if fits {
        return AxisLabels {
            rotate: 0.0,
            texts: labels.to_vec(),
            height: size * 1.4,
        };
    }
    let (sin, cos) = ROTATED.to_radians().abs().sin_cos();
    // A rotated label of width w reaches w*sin below its anchor, plus its own height.
    let max_w = ((max_height - size * cos - 4.0) / sin).max(size * 2.0);
    let texts: Vec<String> = labels.iter().map(|l| truncate(l, max_w, size)).collect();
    let longest = texts
        .iter()
        .map(|t| text_width(t, size))
        .fold(0.0, f64::max);
    AxisLabels {
        rotate: ROTATED,
        texts,
        height: longest * sin + size * cos + 4.0,
    }
}

/// One legend entry: its swatch kind and text.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// The entry's text, truncated by [`legend_layout`] when the legend is too narrow.
    pub label: String,
    /// CSS colour of the swatch (`#0072B2`).
    pub colour: String,
    /// What the swatch looks like: the mark it stands for.
    pub swatch: Swatch,
}

/// What a legend swatch shows, drawn in the entry's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// A line, for curves, frontiers and reference lines.
    Line {
        /// Whether the line is dashed (as reservation values and events are drawn).
        dashed: bool,
    },
    /// A marker of this shape, for points.
    Marker(crate::svg::Shape),
    /// A filled square (density, bands).
    Block,
}

/// Where each legend entry goes, relative to the legend's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendLayout {
    /// Bounding box of each entry (swatch and text).
    pub boxes: Vec<Rect>,
    /// Texts, truncated to fit the width.
    pub texts: Vec<String>,
    /// Total height in pixels (0 for no entries).
    pub height: f64,
}

/// Width in pixels of a legend swatch; the entry's text starts 6 pixels after it.
pub const SWATCH: f64 = 22.0;

/// Flows legend entries left to right into rows no wider than `width`.
pub fn legend_layout(items: &[LegendItem], width: f64, size: f64) -> LegendLayout {
    let row_h = size * 1.6;
    let gap = 14.0;
    let mut boxes = Vec::with_capacity(items.len());
    let mut texts = Vec::with_capacity(items.len());
    let (mut x, mut y) = (0.0, 0.0);
    for it in items {
        let text = truncate(&it.label, (width - SWATCH - 6.0).max(size * 3.0), size);
        let w = SWATCH + 6.0 + text_width(&text, size);
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += row_h;
        }
        boxes.push(Rect { x, y, w, h: row_h });
        texts.push(text);
        x += w + gap;
    }
    LegendLayout {
        boxes,
        texts,
        height: if items.is_empty() { 0.0 } else { y + row_h },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(ticks(0.0, 100.0, 4), vec![0.0, 50.0, 100.0]);
        assert_eq!(nice_domain(0.03, 0.97, 5), [0.0, 1.0]);
        assert_eq!(nice_domain(-0.13, 0.5, 5), [-0.2, 0.6000000000000001]);
        assert_eq!(tick_label(0.6000000000000001, 0.2), "0.6");
        assert_eq!(tick_label(-0.0, 0.2), "0.0");
        assert_eq!(tick_label(40.0, 10.0), "40");
    }

    #[test]
    fn scale_maps_and_inverts_y() {
        let s = Scale::new([0.0, 1.0], [300.0, 100.0]);
        assert_eq!(s.map(0.0), 300.0);
        assert_eq!(s.map(1.0), 100.0);
        assert_eq!(s.map(0.5), 200.0);
        assert_eq!(s.map(7.0), 100.0, "clamped");
        let d = Scale::new([2.0, 2.0], [0.0, 10.0]);
        assert_eq!(d.map(2.0), 5.0);
    }

    #[test]
    fn truncation_fits() {
        let t = truncate("a very long negotiator name indeed", 80.0, 11.0);
        assert!(t.ends_with('…'));
        assert!(text_width(&t, 11.0) <= 80.0);
        assert_eq!(truncate("short", 80.0, 11.0), "short");
    }

    #[test]
    fn axis_labels_rotate_only_when_needed() {
        let short: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let l = axis_labels(&short, 60.0, 11.0, 80.0);
        assert_eq!(l.rotate, 0.0);
        let long: Vec<String> = vec!["boulware:e=0.1".into(), "conceder-with-a-long-name".into()];
        let l = axis_labels(&long, 40.0, 11.0, 80.0);
        assert_eq!(l.rotate, ROTATED);
        assert!(l.height <= 80.0 + 1e-9, "{}", l.height);
        assert!(l.texts[1].ends_with('…'));
    }

    proptest! {
        #[test]
        fn legend_entries_never_overlap(labels in proptest::collection::vec("[a-zA-Z ]{0,40}", 0..12), width in 120.0f64..900.0) {
            let items: Vec<LegendItem> = labels.iter().map(|l| LegendItem { label: l.clone(), colour: "#000".into(), swatch: Swatch::Block }).collect();
            let lay = legend_layout(&items, width, 11.0);
            for (i, a) in lay.boxes.iter().enumerate() {
                prop_assert!(a.right() <= width + 1e-6 || a.x == 0.0);
                prop_assert!(a.w <= width + 1e-6);
                prop_assert!(a.bottom() <= lay.height + 1e-9);
                for b in &lay.boxes[i + 1..] {
                    prop_assert!(!a.overlaps(b), "{a:?} {b:?}");
                }
            }
        }

        #[test]
        fn ticks_lie_in_range(lo in -100.0f64..100.0, span in 0.001f64..1000.0) {
            let hi = lo + span;
            let t = ticks(lo, hi, 5);
            prop_assert!(!t.is_empty() || span < 1e-9);
            for v in &t {
                prop_assert!(*v >= lo - span * 1e-6 && *v <= hi + span * 1e-6);
            }
            let [a, b] = nice_domain(lo, hi, 5);
            prop_assert!(a <= lo + 1e-9 && b >= hi - 1e-9);
        }
    }
}
