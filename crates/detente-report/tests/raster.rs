//! Every plot kind rasterised to PNG: the file decodes, has the SVG's size times the scale, is
//! not blank, and has its title drawn (dark pixels in the title's band that are not there when
//! the title is empty).

use std::path::Path;

use detente_core::Scenario;
use detente_core::protocol::{Protocol, ProtocolConfig, Saop};
use detente_core::{NegotiatorSpec, ScenarioTables};
use detente_formats::sweep_json::SweepDoc;
use detente_report::plot::sweep::{self, SweepData};
use detente_report::plot::{concession, tournament, utility_space};
use detente_report::{FigureConfig, ScenarioFigures, TraceView, svg_to_png};

struct Image {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("a PNG frame");
        assert_eq!(info.color_type, png::ColorType::Rgba);
        buf.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            rgba: buf,
        }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * self.width + x) * 4) as usize;
        [
            self.rgba[i],
            self.rgba[i + 1],
            self.rgba[i + 2],
            self.rgba[i + 3],
        ]
    }

    /// Pixels that differ from the white background.
    fn not_white(&self) -> usize {
        self.rgba
            .chunks(4)
            .filter(|p| p[..3] != [255, 255, 255])
            .count()
    }

    /// Pixels darker than mid-grey in rows `y0..y1`.
    fn dark_in_rows(&self, y0: u32, y1: u32) -> usize {
        (y0..y1.min(self.height))
            .flat_map(|y| (0..self.width).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let [r, g, b, _] = self.pixel(x, y);
                0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) < 128.0
            })
            .count()
    }
}

/// The `width` and `height` attributes of the SVG root.
fn svg_size(svg: &str) -> (f64, f64) {
    let head = &svg[..svg.find('>').unwrap()];
    let attr = |name: &str| -> f64 {
        let key = format!(" {name}=\"");
        let at = head.find(&key).unwrap() + key.len();
        head[at..at + head[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (attr("width"), attr("height"))
}

const SCALE: f64 = 1.0;

/// Renders `make(title)` as PNG with a title and with none, and checks size, content and text.
fn check(kind: &str, make: impl Fn(&str) -> String) {
    let svg = make("Title of the plot");
    let img = Image::decode(&svg_to_png(&svg, SCALE).unwrap());
    check_canvas(kind, &img, svg_size(&svg));
    check_title(kind, &img, &make);
}

/// The picture has the SVG's size, an opaque white background with nothing at its right and
/// bottom edges, and marks on more than 1% of it.
fn check_canvas(kind: &str, img: &Image, (w, h): (f64, f64)) {
    assert_eq!(
        (img.width, img.height),
        ((w * SCALE).ceil() as u32, (h * SCALE).ceil() as u32),
        "{kind}: size"
    );
    assert!(
        img.rgba.chunks(4).all(|p| p[3] == 255),
        "{kind}: opaque background"
    );
    assert_eq!(
        img.pixel(0, 0),
        [255, 255, 255, 255],
        "{kind}: white corner"
    );
    // Nothing runs off the picture: its last column and last row are background.
    for y in 0..img.height {
        assert_eq!(
            img.pixel(img.width - 1, y),
            [255, 255, 255, 255],
            "{kind}: a mark at the right edge, row {y}"
        );
    }
    for x in 0..img.width {
        assert_eq!(
            img.pixel(x, img.height - 1),
            [255, 255, 255, 255],
            "{kind}: a mark at the bottom edge, column {x}"
        );
    }
    let marks = img.not_white();
    let total = (img.width * img.height) as usize;
    assert!(
        marks > total / 100,
        "{kind}: only {marks} of {total} pixels are not background"
    );
}

/// The title is drawn in its band (rows 6..28) and nothing else is; the rest of the picture,
/// text included, is the same without a title.
fn check_title(kind: &str, img: &Image, make: &impl Fn(&str) -> String) {
    // Every plot has its title's baseline at y = 22 (14 px font): its band is rows 6..28.
    let band = ((6.0 * SCALE) as u32, (28.0 * SCALE) as u32);
    let with_title = img.dark_in_rows(band.0, band.1);
    let untitled = Image::decode(&svg_to_png(&make(""), SCALE).unwrap());
    let without = untitled.dark_in_rows(band.0, band.1);
    assert_eq!(
        without, 0,
        "{kind}: something else is drawn in the title band"
    );
    assert!(
        with_title > 150,
        "{kind}: only {with_title} dark pixels in the title band (text not drawn?)"
    );
    // Axis labels and legends are text too: the titled picture has more dark pixels only
    // in the band.
    assert_eq!(
        img.dark_in_rows(band.1, img.height),
        untitled.dark_in_rows(band.1, untitled.height),
        "{kind}: the title changed the rest of the picture"
    );
    assert!(
        untitled.dark_in_rows(band.1, untitled.height) > 1000,
        "{kind}: no dark marks (labels, axes) below the title"
    );
}

fn buyer_seller() -> (Scenario, TraceView) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/buyer-seller/buyer-seller.toml");
    let scenario = detente_formats::scenario_toml::load(&path)
        .unwrap()
        .scenario;
    let specs = [
        NegotiatorSpec::new("boulware"),
        NegotiatorSpec::new("conceder"),
    ];
    let registry = detente_negotiators::Registry::builtin();
    let negs = specs.iter().map(|s| registry.create(s).unwrap()).collect();
    let tables = ScenarioTables::for_scenario(&scenario);
    let trace = Saop::new(
        &scenario,
        &tables,
        negs,
        ProtocolConfig::from_scenario(&scenario),
        5,
    )
    .run();
    let names: Vec<String> = specs.iter().map(ToString::to_string).collect();
    let doc = detente_formats::trace::trace_doc(&scenario, &trace, &names, None);
    let view = TraceView::from_doc(&doc).unwrap();
    (scenario, view)
}

#[test]
fn trace_plots_render_as_png() {
    let (scenario, view) = buyer_seller();
    let config = FigureConfig::default();
    let figures = ScenarioFigures::compute(&scenario, &config);
    let d = utility_space::utility_space(&view, Some(&figures), 0, 1, &config).unwrap();
    check("utility-space", |t| utility_space::render(&d, t));
    let c = concession::concession(&view);
    check("concession", |t| concession::render(&c, t));
}

#[test]
fn tournament_plots_render_as_png() {
    let dir = detente_testkit::TempDir::new("report-png");
    std::fs::write(
        dir.join("manifest.json"),
        r#"{"format": 1, "tournament": "tiny", "fingerprint": "x", "negotiations": 4,
            "shard": {"index": 0, "count": 1}, "width": 2,
            "negotiators": ["boulware", "conceder"], "scenarios": ["pie"]}"#,
    )
    .unwrap();
    let header = "index,scenario,repetition,seed,n0,n1,termination,error_party,error,rounds,time,agreement,u0,u1,welfare,pareto_optimal,dist_frontier,dist_nash,dist_ks,dist_max_welfare";
    let rows = [
        "0,pie,0,1,boulware,boulware,agreement,,,5,0.25,share=5,0.5,0.5,1,true,0,0,0,0",
        "1,pie,0,2,boulware,conceder,agreement,,,9,0.45,share=7,0.7,0.3,1,true,0,0.28,0.28,0",
        "2,pie,0,3,conceder,boulware,deadline,,,20,1,,0,0,0,false,0.7,0.7,0.7,0.7",
        "3,pie,0,4,conceder,conceder,agreement,,,3,0.15,share=4,0.4,0.6,1,true,0,0.14,0.14,0",
    ];
    std::fs::write(
        dir.join("results.csv"),
        format!("{header}\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let t = tournament::TournamentData::from_output(detente_tournament::read_output(&dir).unwrap())
        .unwrap();
    // Rows are categories: the interval panels have no numeric y ticks.
    assert_eq!(
        tournament::render_summary(&t, "t")
            .matches("class=\"tick y-tick\"")
            .count(),
        0
    );
    check("tournament", |title| tournament::render_summary(&t, title));
    check("heatmap", |title| {
        tournament::render_heatmap(&t.heat, title)
    });
}

#[test]
fn sweep_plot_renders_as_png() {
    let doc = SweepDoc::from_json_str(
        r#"{"format": "detente-sweep/1", "parameter": "reservation.Bob", "points": [
            {"value": 0.1, "runs": 10, "agreement_rate": 0.9, "agreement_rate_ci": [0.6, 0.98],
             "utilities": {"Alice": {"mean": 0.6, "ci": [0.5, 0.7]}, "Bob": {"mean": 0.5, "ci": [0.4, 0.6]}}},
            {"value": 0.3, "runs": 10, "agreement_rate": 0.7, "agreement_rate_ci": [0.4, 0.9],
             "utilities": {"Alice": {"mean": 0.5, "ci": [0.4, 0.6]}, "Bob": {"mean": 0.5, "ci": [0.4, 0.6]}}},
            {"value": 0.5, "runs": 10, "agreement_rate": 0.4, "agreement_rate_ci": [0.17, 0.69],
             "utilities": {"Alice": {"mean": 0.4, "ci": [0.3, 0.5]}, "Bob": {"mean": 0.5, "ci": [0.45, 0.55]}}}
        ]}"#,
        Path::new("sweep.json"),
    )
    .unwrap();
    let s = SweepData::from_doc(&doc).unwrap();
    check("sweep", |t| sweep::render(&s, t));
}
