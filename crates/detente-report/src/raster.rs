//! Raster output: the SVG every plot writes, rasterised to PNG with `resvg` (pure Rust, no
//! system library). Text is drawn with DejaVu Sans, bundled in the binary (the `dejavu`
//! crate), so a PNG has its labels on a machine without fonts; fonts installed on the machine
//! are loaded too and serve as fallbacks for characters DejaVu Sans lacks.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::error::{ReportError, Result};

/// The family name of the bundled font; the first family of [`crate::svg::FONT`], and the
/// one generic `sans-serif` resolves to.
pub const BUNDLED_FONT: &str = "DejaVu Sans";

/// Pixels per SVG unit by default: twice the SVG's size, crisp on high-density screens and
/// in slides.
pub const DEFAULT_SCALE: f64 = 2.0;

/// The largest side of a PNG in pixels (a guard against a scale that would need gigabytes).
pub const MAX_SIDE: u32 = 16_384;

/// A font database: the bundled font first (so it wins over an installed copy of the same
/// family, keeping pictures alike across machines), then, with `system`, the machine's fonts.
fn database(system: bool) -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_font_source(fontdb::Source::Binary(Arc::new(dejavu::sans::regular())));
    if system {
        db.load_system_fonts();
    }
    db.set_sans_serif_family(BUNDLED_FONT);
    db
}

/// The font database with the machine's fonts, built once per process.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(database(true))).clone()
}

/// Size in pixels of the PNG of an SVG `width` × `height` at `scale` (each side rounded up,
/// at least one pixel).
pub fn png_size(width: f64, height: f64, scale: f64) -> Result<(u32, u32)> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(ReportError::Unsupported(format!(
            "scale {scale}: must be a positive number"
        )));
    }
    let side = |v: f64| -> Result<u32> {
        let px = (v * scale).ceil().max(1.0);
        if !px.is_finite() || px > f64::from(MAX_SIDE) {
            return Err(ReportError::Unsupported(format!(
                "a {width} × {height} plot at scale {scale} would be {} pixels wide or high; \
                 the limit is {MAX_SIDE} (use a smaller scale)",
                (v * scale).ceil()
            )));
        }
        Ok(px as u32)
    };
    Ok((side(width)?, side(height)?))
}

/// Rasterises `svg` (a standalone SVG document, as the plots' `render` functions return)
/// at `scale` pixels per SVG unit on an opaque white background, and encodes it as PNG.
pub fn svg_to_png(svg: &str, scale: f64) -> Result<Vec<u8>> {
    render_with(svg, scale, fonts())
}

fn render_with(svg: &str, scale: f64, fontdb: Arc<fontdb::Database>) -> Result<Vec<u8>> {
    let options = usvg::Options {
        font_family: BUNDLED_FONT.to_string(),
        fontdb,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| ReportError::Unsupported(format!("the SVG could not be read: {e}")))?;
    let size = tree.size();
    let (w, h) = png_size(f64::from(size.width()), f64::from(size.height()), scale)?;
    let mut pixmap = Pixmap::new(w, h).ok_or_else(|| {
        ReportError::Unsupported(format!("a {w} × {h} image could not be allocated"))
    })?;
    // White under everything: the plots' background rectangle covers all but the last
    // partial row or column when a side is rounded up.
    pixmap.fill(Color::WHITE);
    let s = scale as f32;
    resvg::render(&tree, Transform::from_scale(s, s), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| ReportError::Unsupported(format!("PNG encoding failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::Svg;

    /// Decodes a PNG into (width, height, RGBA bytes).
    pub fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = ::png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("a PNG frame");
        assert_eq!(info.color_type, ::png::ColorType::Rgba);
        assert_eq!(info.bit_depth, ::png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    /// Number of pixels darker than mid-grey in rows `y0..y1` (pixels).
    fn dark_in_rows(w: u32, rgba: &[u8], y0: u32, y1: u32) -> usize {
        (y0..y1)
            .flat_map(|y| (0..w).map(move |x| ((y * w + x) * 4) as usize))
            .filter(|&i| {
                let l = 0.299 * f64::from(rgba[i])
                    + 0.587 * f64::from(rgba[i + 1])
                    + 0.114 * f64::from(rgba[i + 2]);
                l < 128.0
            })
            .count()
    }

    fn doc(text: &str) -> String {
        let mut s = Svg::new(200.0, 60.0, "plot-x", "t");
        s.text("plot-title", (100.0, 30.0), "middle", 14.0, 0.0, text, None);
        s.finish()
    }

    #[test]
    fn text_is_drawn_with_the_bundled_font() {
        // Without the machine's fonts, as on a machine that has none.
        let bundled = Arc::new(database(false));
        assert_eq!(bundled.len(), 1);
        let text = doc("Ukraine – Russia …");
        let (w, h, rgba) = decode(&render_with(&text, 2.0, bundled.clone()).unwrap());
        assert_eq!((w, h), (400, 120));
        // Opaque white background everywhere text is not.
        assert!(rgba.chunks(4).all(|p| p[3] == 255));
        let dark = dark_in_rows(w, &rgba, 30, 70);
        assert!(dark > 200, "only {dark} dark pixels where the text is");
        // The same document without text is white.
        let (_, _, blank) = decode(&render_with(&doc(""), 2.0, bundled).unwrap());
        assert!(blank.iter().all(|&b| b == 255));
        // With the machine's fonts the bundled font still wins: the same pixels.
        let (_, _, system) = decode(&svg_to_png(&text, 2.0).unwrap());
        assert!(system == rgba, "the machine's fonts changed the text");
    }

    #[test]
    fn the_font_resolves_by_every_name_the_svg_uses() {
        let db = fonts();
        for family in [
            fontdb::Family::Name(BUNDLED_FONT),
            fontdb::Family::SansSerif,
        ] {
            let id = db
                .query(&fontdb::Query {
                    families: &[family],
                    ..fontdb::Query::default()
                })
                .expect("a face");
            let face = db.face(id).unwrap();
            assert!(face.families.iter().any(|(n, _)| n == BUNDLED_FONT));
            assert!(
                matches!(face.source, fontdb::Source::Binary(_)),
                "an installed font was chosen over the bundled one: {:?}",
                face.source
            );
        }
        assert!(crate::svg::FONT.starts_with(BUNDLED_FONT));
    }

    #[test]
    fn scale_sets_the_size() {
        let (w, h, _) = decode(&svg_to_png(&doc("x"), 1.0).unwrap());
        assert_eq!((w, h), (200, 60));
        let (w, h, _) = decode(&svg_to_png(&doc("x"), 0.5).unwrap());
        assert_eq!((w, h), (100, 30));
        assert_eq!(png_size(100.5, 10.0, 1.0).unwrap(), (101, 10));
        assert_eq!(png_size(0.1, 0.1, 1.0).unwrap(), (1, 1));
    }

    #[test]
    fn bad_scales_and_documents_are_errors() {
        for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = svg_to_png(&doc("x"), scale).unwrap_err().to_string();
            assert!(e.contains("positive"), "{scale}: {e}");
        }
        let e = svg_to_png(&doc("x"), 1000.0).unwrap_err().to_string();
        assert!(e.contains("16384"), "{e}");
        let e = svg_to_png("<svg", 1.0).unwrap_err().to_string();
        assert!(e.contains("could not be read"), "{e}");
    }
}
