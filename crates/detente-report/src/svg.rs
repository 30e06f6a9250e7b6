//! A small SVG writer: escaping, number formatting, the colour palette and the element helpers
//! every plot uses. Every element a plot draws carries a stable class name (listed in
//! `docs/report.md`), so tests and style sheets can find it.

use std::fmt::Write as _;

use detente_formats::xml::escape;

/// The Okabe-Ito palette, reordered so that the first colours contrast best on white. Safe
/// for the common forms of colour blindness.
pub const PALETTE: [&str; 8] = [
    "#0072B2", // blue
    "#D55E00", // vermillion
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#E69F00", // orange
    "#56B4E9", // sky blue
    "#000000", // black
    "#F0E442", // yellow (last: weak on white)
];

/// The colour of party (or series) `i`: the palette, cycled.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Dash pattern of series `i` when the palette cycles (so series 0 and 8 still differ).
pub fn dash_for_cycle(i: usize) -> Option<&'static str> {
    match (i / PALETTE.len()) % 3 {
        0 => None,
        1 => Some("6 3"),
        _ => Some("2 2"),
    }
}

/// Colour of neutral marks (frontier, axes).
pub const INK: &str = "#222222";
/// Colour of faint marks (outcomes, grid).
pub const FAINT: &str = "#9a9a9a";
/// Font stack of every text: the font PNGs are drawn with ([`crate::raster::BUNDLED_FONT`])
/// first, then common look-alikes for SVG viewers that lack it.
pub const FONT: &str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

/// A coordinate written with two decimals (enough for screens and print).
pub fn n(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// The `points` attribute of a polyline or polygon: `x,y` pairs separated by spaces.
fn points_attr(points: &[(f64, f64)]) -> String {
    let mut p = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            p.push(' ');
        }
        let _ = write!(p, "{},{}", n(*x), n(*y));
    }
    p
}

/// An SVG document being written. Every element function takes the element's `class` (its
/// stable name, escaped here) and a `style`: further attributes written as they are
/// (`stroke="#222222" stroke-width="1"`). Coordinates are in SVG units (pixels at scale 1).
#[derive(Debug, Clone)]
pub struct Svg {
    body: String,
    width: f64,
    height: f64,
    class: String,
    title: String,
}

impl Svg {
    /// A new document of the given size; `class` names the plot kind (e.g.
    /// `plot-utility-space`), `title` is its accessible title.
    pub fn new(width: f64, height: f64, class: &str, title: &str) -> Self {
        Svg {
            body: String::new(),
            width,
            height,
            class: class.to_string(),
            title: title.to_string(),
        }
    }

    /// Width in SVG units.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Height in SVG units.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// Changes the height (plots grow to fit their legend).
    pub fn set_height(&mut self, h: f64) {
        self.height = h;
    }

    /// Appends markup as it is (not escaped): for wrappers the helpers do not write.
    pub fn raw(&mut self, s: &str) {
        self.body.push_str(s);
    }

    /// Opens a group with a class and an optional transform.
    pub fn open_group(&mut self, class: &str, translate: Option<(f64, f64)>) {
        match translate {
            Some((x, y)) => {
                let _ = write!(
                    self.body,
                    r#"<g class="{}" transform="translate({},{})">"#,
                    escape(class),
                    n(x),
                    n(y)
                );
            }
            None => {
                let _ = write!(self.body, r#"<g class="{}">"#, escape(class));
            }
        }
    }

    /// Closes the group opened last.
    pub fn close_group(&mut self) {
        self.body.push_str("</g>");
    }

    /// A line segment from `a` to `b`.
    pub fn line(&mut self, class: &str, a: (f64, f64), b: (f64, f64), style: &str) {
        let _ = write!(
            self.body,
            r#"<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" {style}/>"#,
            escape(class),
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1)
        );
    }

    /// A polyline through `points`.
    pub fn polyline(&mut self, class: &str, points: &[(f64, f64)], style: &str) {
        let p = points_attr(points);
        let _ = write!(
            self.body,
            r#"<polyline class="{}" points="{p}" fill="none" {style}/>"#,
            escape(class)
        );
    }

    /// A closed polygon through `points`.
    pub fn polygon(&mut self, class: &str, points: &[(f64, f64)], style: &str) {
        let p = points_attr(points);
        let _ = write!(
            self.body,
            r#"<polygon class="{}" points="{p}" {style}/>"#,
            escape(class)
        );
    }

    /// A circle of radius `r` centred at `c`.
    pub fn circle(&mut self, class: &str, c: (f64, f64), r: f64, style: &str) {
        let _ = write!(
            self.body,
            r#"<circle class="{}" cx="{}" cy="{}" r="{}" {style}/>"#,
            escape(class),
            n(c.0),
            n(c.1),
            n(r)
        );
    }

    /// A rectangle with its top-left corner at (`x`, `y`); a negative size is drawn as 0.
    pub fn rect(&mut self, class: &str, x: f64, y: f64, w: f64, h: f64, style: &str) {
        let _ = write!(
            self.body,
            r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" {style}/>"#,
            escape(class),
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
    }

    /// A rectangle with a tooltip (`<title>`), for cells and bars.
    #[allow(clippy::too_many_arguments)]
    pub fn rect_titled(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        style: &str,
        tip: &str,
    ) {
        let _ = write!(
            self.body,
            r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" {style}><title>{}</title></rect>"#,
            escape(class),
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            escape(tip)
        );
    }

    /// A text; `anchor` is `start`, `middle` or `end`; `rotate` in degrees about its anchor.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        class: &str,
        at: (f64, f64),
        anchor: &str,
        size: f64,
        rotate: f64,
        text: &str,
        full: Option<&str>,
    ) {
        let transform = if rotate != 0.0 {
            format!(
                r#" transform="rotate({} {} {})""#,
                n(rotate),
                n(at.0),
                n(at.1)
            )
        } else {
            String::new()
        };
        let tip = match full {
            Some(f) if f != text => format!("<title>{}</title>", escape(f)),
            _ => String::new(),
        };
        let _ = write!(
            self.body,
            r#"<text class="{}" x="{}" y="{}" text-anchor="{anchor}" font-size="{}"{transform}>{tip}{}</text>"#,
            escape(class),
            n(at.0),
            n(at.1),
            n(size),
            escape(text)
        );
    }

    /// A marker shape centred at `c`: `circle`, `diamond`, `square`, `triangle` or `star`.
    pub fn marker(&mut self, class: &str, shape: Shape, c: (f64, f64), r: f64, style: &str) {
        match shape {
            Shape::Circle => self.circle(class, c, r, style),
            Shape::Square => self.rect(class, c.0 - r, c.1 - r, 2.0 * r, 2.0 * r, style),
            Shape::Diamond => self.polygon(
                class,
                &[
                    (c.0, c.1 - r * 1.3),
                    (c.0 + r * 1.3, c.1),
                    (c.0, c.1 + r * 1.3),
                    (c.0 - r * 1.3, c.1),
                ],
                style,
            ),
            Shape::Triangle => self.polygon(
                class,
                &[
                    (c.0, c.1 - r * 1.3),
                    (c.0 + r * 1.2, c.1 + r * 0.9),
                    (c.0 - r * 1.2, c.1 + r * 0.9),
                ],
                style,
            ),
            Shape::Star => {
                let mut pts = Vec::with_capacity(10);
                for k in 0..10 {
                    let a = std::f64::consts::PI * (k as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
                    let rr = if k % 2 == 0 { r * 1.6 } else { r * 0.7 };
                    pts.push((c.0 + rr * a.cos(), c.1 + rr * a.sin()));
                }
                self.polygon(class, &pts, style);
            }
        }
    }

    /// The finished document, standalone (with the XML namespace).
    pub fn finish(&self) -> String {
        let mut s = String::with_capacity(self.body.len() + 512);
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="detente-plot {}" width="{}" height="{}" viewBox="0 0 {} {}" role="img" font-family="{FONT}"><title>{}</title>"#,
            escape(&self.class),
            n(self.width),
            n(self.height),
            n(self.width),
            n(self.height),
            escape(&self.title)
        );
        let _ = write!(
            s,
            r##"<rect class="background" x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
            n(self.width),
            n(self.height)
        );
        s.push_str(&self.body);
        s.push_str("</svg>\n");
        s
    }
}

/// Marker shapes, sized by a radius `r` ([`Svg::marker`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A circle of radius `r` (means, outcomes).
    Circle,
    /// A square on its corner, its corners 1.3 `r` from the centre (Nash points).
    Diamond,
    /// A square of side 2 `r`.
    Square,
    /// A triangle pointing up, its top 1.3 `r` above the centre (Kalai-Smorodinsky points).
    Triangle,
    /// A five-pointed star reaching 1.6 `r` from the centre (agreements).
    Star,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_escape_classes_tooltips_and_text() {
        let mut s = Svg::new(10.0, 10.0, "plot-x", "t");
        s.rect_titled("a\"b", 0.0, 0.0, 1.0, 1.0, "", r#"a<b>&"c'"#);
        s.text("t", (0.0, 0.0), "start", 10.0, 0.0, "x\u{1}y", Some("full"));
        let out = s.finish();
        assert!(out.contains(r#"class="a&quot;b""#));
        assert!(out.contains("<title>a&lt;b&gt;&amp;&quot;c&#39;</title>"));
        assert!(out.contains("<title>full</title>x y</text>"));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.256), "1.26");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(10.5), "10.5");
    }

    #[test]
    fn palette_cycles_with_dashes() {
        assert_eq!(colour(0), colour(8));
        assert_ne!(dash_for_cycle(0), dash_for_cycle(8));
    }

    #[test]
    fn document_is_well_formed() {
        let mut s = Svg::new(100.0, 50.0, "plot-x", "a <title>");
        s.marker("m", Shape::Star, (10.0, 10.0), 3.0, "");
        s.text("t", (1.0, 2.0), "start", 10.0, 0.0, "x&y", None);
        let out = s.finish();
        assert!(out.starts_with("<svg xmlns="));
        assert!(out.contains("a &lt;title&gt;"));
        assert!(out.contains("x&amp;y"));
        assert_eq!(out.matches("<polygon").count(), 1);
    }
}
