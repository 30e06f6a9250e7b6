//! `detente report`, `detente plot` and `detente run --report`, end to end.

use std::path::{Path, PathBuf};

use crate::support::{detente, repo};
use detente_testkit::TempDir;
use serde_json::Value;

fn shipped() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .filter_map(|d| d.ok().map(|d| d.path()))
        .filter(|d| d.is_dir())
        .flat_map(|d| {
            std::fs::read_dir(d)
                .unwrap()
                .filter_map(|f| f.ok().map(|f| f.path()))
                .filter(|f| f.extension().is_some_and(|e| e == "toml"))
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    assert!(out.len() >= 3, "{out:?}");
    out
}

fn trace_of(scenario: &Path, dir: &Path) -> (PathBuf, Value) {
    let out = detente()
        .args(["run", "--format", "json", "--seed", "3"])
        .arg(scenario)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let path = dir.join("trace.json");
    std::fs::write(&path, &out).unwrap();
    (path, serde_json::from_slice(&out).unwrap())
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn reports_every_shipped_scenario() {
    for scenario in shipped() {
        let dir = TempDir::new(&format!(
            "cli-report-{}",
            scenario.file_stem().unwrap().to_str().unwrap()
        ));
        let (trace, doc) = trace_of(&scenario, &dir);
        let html = dir.join("report.html");
        detente()
            .arg("report")
            .arg(&trace)
            .arg("--scenario")
            .arg(&scenario)
            .arg("-o")
            .arg(&html)
            .assert()
            .success();
        let page = read(&html);
        let actions = doc["actions"].as_array().unwrap().len();
        let n = doc["parties"].as_array().unwrap().len();
        assert_eq!(
            page.matches("<tr class=\"action ").count(),
            actions,
            "{}",
            scenario.display()
        );
        assert_eq!(page.matches("class=\"panel pair-").count(), n * (n - 1) / 2);
        assert_eq!(
            page.matches("<polyline class=\"frontier\"").count(),
            n * (n - 1) / 2
        );
        assert!(page.contains("id=\"frontier-size\""));
        // Without the scenario: still a report, saying what is missing; a trace of the
        // built-in scenario is drawn against it.
        detente()
            .arg("report")
            .arg(&trace)
            .arg("-o")
            .arg(&html)
            .assert()
            .success();
        let page = read(&html);
        let builtin = doc["scenario"] == "ukraine-2025";
        assert_eq!(page.contains("id=\"frontier-size\""), builtin);
        assert_eq!(!page.contains("--scenario"), builtin);
        assert_eq!(page.matches("<tr class=\"action ").count(), actions);
    }
}

#[test]
fn run_writes_a_report_directly() {
    let dir = TempDir::new("cli-report-run");
    let html = dir.join("peace.html");
    let out = detente()
        .args(["run", "--format", "json", "--report"])
        .arg(&html)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let page = read(&html);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        page.matches("<tr class=\"action ").count(),
        doc["actions"].as_array().unwrap().len()
    );
    assert_eq!(
        page.matches("class=\"panel pair-").count(),
        6,
        "four parties, six pairs"
    );
}

#[test]
fn plots_each_kind_as_svg() {
    let dir = TempDir::new("cli-report-plot");
    let scenario = repo("scenarios/buyer-seller/buyer-seller.toml");
    let (trace, _) = trace_of(&scenario, &dir);
    let svg = dir.join("u.svg");
    detente()
        .args(["plot", "utility-space"])
        .arg(&trace)
        .arg("--scenario")
        .arg(&scenario)
        .args(["--parties", "Buyer,Seller", "-o"])
        .arg(&svg)
        .assert()
        .success();
    let text = read(&svg);
    assert!(text.starts_with(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"detente-plot plot-utility-space\""
    ));
    assert!(text.contains("utility to Buyer"));
    assert_eq!(text.matches("class=\"panel pair-1-0\"").count(), 1);
    detente()
        .args(["plot", "concession"])
        .arg(&trace)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    assert_eq!(read(&svg).matches("class=\"panel proposer-").count(), 2);
    // Sweep, in the documented JSON form.
    let sweep = dir.join("sweep.json");
    std::fs::write(
        &sweep,
        r#"{"format": "detente-sweep/1", "parameter": "reservation.Buyer", "points": [
            {"value": 0.1, "runs": 10, "agreement_rate": 0.9, "agreement_rate_ci": [0.6, 0.98], "utilities": {"Seller": {"mean": 0.6, "ci": [0.5, 0.7]}, "Buyer": {"mean": 0.5, "ci": [0.4, 0.6]}}},
            {"value": 0.5, "runs": 10, "agreement_rate": 0.4, "agreement_rate_ci": [0.17, 0.69], "utilities": {"Seller": {"mean": 0.4, "ci": [0.3, 0.5]}, "Buyer": {"mean": 0.5, "ci": [0.45, 0.55]}}}
        ]}"#,
    )
    .unwrap();
    detente()
        .args(["plot", "sweep"])
        .arg(&sweep)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    assert_eq!(read(&svg).matches("class=\"line party-").count(), 2);
    let html = dir.join("sweep.html");
    detente()
        .arg("report")
        .arg(&sweep)
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    assert_eq!(read(&html).matches("<tr class=\"point\"").count(), 2);
}

/// The colour of each legend entry whose label starts with `prefix`, by the rest of its label
/// (a party's name): `utility to Russia` -> ("Russia", "#009E73").
fn legend_colours(svg: &str, prefix: &str) -> Vec<(String, String)> {
    svg.split("<g class=\"legend-entry\">")
        .skip(1)
        .filter_map(|entry| {
            let colour = entry.split("stroke=\"").nth(1)?.split('"').next()?;
            let label = entry.split("class=\"legend-label\"").nth(1)?;
            let label = label.split('>').nth(1)?.split("</text").next()?;
            let name = label.strip_prefix(prefix)?;
            Some((name.to_string(), colour.to_string()))
        })
        .collect()
}

#[test]
fn each_party_keeps_one_colour_across_the_plots() {
    // Issue 14, item 7: the concession, utility-space and sweep plots of the built-in talks.
    let dir = TempDir::new("cli-plot-colours");
    let trace = dir.join("t.json");
    let sweep = dir.join("s.json");
    detente()
        .args(["run", "--ensemble", "0", "--json", "-o"])
        .arg(&trace)
        .assert()
        .success();
    detente()
        .args([
            "sweep",
            "--vary",
            "rounds=20,40",
            "--seeds",
            "2",
            "--json",
            "-o",
        ])
        .arg(&sweep)
        .assert()
        .success();
    let plot = |kind: &str, input: &Path, extra: &[&str]| {
        let out = dir.join(format!("{kind}.svg"));
        detente()
            .args(["plot", kind])
            .arg(input)
            .args(extra)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        read(&out)
    };
    let concession = legend_colours(&plot("concession", &trace, &[]), "utility to ");
    let pairs = ["--parties", "Ukraine,Russia"];
    let space = legend_colours(&plot("utility-space", &trace, &pairs), "offers by ");
    let swept = legend_colours(&plot("sweep", &sweep, &[]), "utility of ");
    assert_eq!(concession.len(), 4, "{concession:?}");
    assert_eq!(swept.len(), 4, "{swept:?}");
    assert!(space.len() >= 2, "{space:?}");
    let colours: std::collections::BTreeMap<_, _> = concession.iter().cloned().collect();
    assert_eq!(
        colours
            .values()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        4
    );
    for (name, c) in space.iter().chain(&swept) {
        assert_eq!(
            Some(c),
            colours.get(name),
            "{name}: {c} here, {:?} in the concession plot",
            colours.get(name)
        );
    }
}

/// Width, height and RGBA pixels of a PNG file.
fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The `width` and `height` of an SVG file's root element.
fn svg_size(path: &Path) -> (f64, f64) {
    let text = read(path);
    let head = &text[..text.find('>').unwrap()];
    let attr = |name: &str| -> f64 {
        let key = format!(" {name}=\"");
        let at = head.find(&key).unwrap() + key.len();
        head[at..at + head[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (attr("width"), attr("height"))
}

#[test]
fn plots_as_png() {
    let dir = TempDir::new("cli-report-png");
    let scenario = repo("scenarios/pie/pie.toml");
    let (trace, _) = trace_of(&scenario, &dir);
    let svg = dir.join("c.svg");
    detente()
        .args(["plot", "concession"])
        .arg(&trace)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    let (w, h) = svg_size(&svg);
    // By extension, at the default scale of 2.
    let png = dir.join("c.png");
    detente()
        .args(["plot", "concession"])
        .arg(&trace)
        .arg("-o")
        .arg(&png)
        .assert()
        .success();
    let (pw, ph, rgba) = decode_png(&png);
    assert_eq!((pw, ph), ((w * 2.0).ceil() as u32, (h * 2.0).ceil() as u32));
    let marks = rgba.chunks(4).filter(|p| p[..3] != [255, 255, 255]).count();
    assert!(marks > (pw * ph) as usize / 100, "{marks} marks");
    // By --format, with --scale, whatever the extension.
    let out = dir.join("c.image");
    detente()
        .args(["plot", "utility-space"])
        .arg(&trace)
        .arg("--scenario")
        .arg(&scenario)
        .args(["--format", "png", "--scale", "1", "-o"])
        .arg(&out)
        .assert()
        .success();
    let (pw, _, _) = decode_png(&out);
    detente()
        .args(["plot", "utility-space"])
        .arg(&trace)
        .arg("--scenario")
        .arg(&scenario)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    assert_eq!(pw, svg_size(&svg).0.ceil() as u32);
}

/// A tournament output folder as `detente-tournament` writes it (manifest and results).
fn write_tournament(dir: &Path) {
    std::fs::write(
        dir.join("manifest.json"),
        r#"{"format": 1, "tournament": "tiny", "fingerprint": "x", "negotiations": 4,
            "shard": {"index": 0, "count": 1}, "width": 2,
            "negotiators": ["boulware", "a negotiator with a rather long name"], "scenarios": ["pie"]}"#,
    )
    .unwrap();
    let header = "index,scenario,repetition,seed,n0,n1,termination,error_party,error,rounds,time,agreement,u0,u1,welfare,pareto_optimal,dist_frontier,dist_nash,dist_ks,dist_max_welfare";
    let rows = [
        "0,pie,0,1,boulware,boulware,agreement,,,5,0.25,share=5,0.5,0.5,1,true,0,0,0,0",
        "1,pie,0,2,boulware,a negotiator with a rather long name,agreement,,,9,0.45,share=7,0.7,0.3,1,true,0,0.28,0.28,0",
        "2,pie,0,3,a negotiator with a rather long name,boulware,deadline,,,20,1,,0,0,0,false,0.7,0.7,0.7,0.7",
        "3,pie,0,4,a negotiator with a rather long name,a negotiator with a rather long name,agreement,,,3,0.15,share=4,0.4,0.6,1,true,0,0.14,0.14,0",
    ];
    std::fs::write(
        dir.join("results.csv"),
        format!("{header}\n{}\n", rows.join("\n")),
    )
    .unwrap();
}

#[test]
fn reports_and_plots_a_tournament_folder() {
    let dir = TempDir::new("cli-report-tournament");
    let t = dir.join("out");
    std::fs::create_dir_all(&t).unwrap();
    write_tournament(&t);
    let html = dir.join("t.html");
    detente()
        .arg("report")
        .arg(&t)
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    let page = read(&html);
    assert_eq!(page.matches("<tr class=\"negotiator\"").count(), 2);
    assert_eq!(page.matches("class=\"heat-cell\"").count(), 4);
    assert!(page.contains("<table class=\"ranking sortable\">"));
    assert!(page.contains("addEventListener('click'"));
    let svg = dir.join("t.svg");
    for kind in ["tournament", "heatmap"] {
        detente()
            .args(["plot", kind])
            .arg(&t)
            .arg("-o")
            .arg(&svg)
            .assert()
            .success();
        let text = read(&svg);
        assert_eq!(text.matches("class=\"row-label\"").count(), 2, "{kind}");
        // The long name is truncated on the axis, with the full name as a tooltip.
        assert!(text.contains("…"), "{kind}");
        assert!(
            text.contains("<title>a negotiator with a rather long name</title>"),
            "{kind}"
        );
    }
}

/// Bad input for `report` and `plot`: the arguments (`$DIR/` stands for the test's folder,
/// `$TRACE` for a JSON trace of the pie, `$REPO/` for the repository) and a part of the
/// message. Every case exits with code 2 and writes nothing.
const BAD_INPUT: &[(&[&str], &str)] = &[
    (
        &["report", "$DIR/missing.json", "-o", "$DIR/x.html"],
        "no such file",
    ),
    (
        &["report", "$DIR/junk.json", "-o", "$DIR/x.html"],
        "not valid JSON",
    ),
    (
        &["report", "$DIR/partial.json", "-o", "$DIR/x.html"],
        "$.issues",
    ),
    (
        &[
            "report",
            "$TRACE",
            "--scenario",
            "$REPO/scenarios/buyer-seller/buyer-seller.toml",
            "-o",
            "$DIR/x.html",
        ],
        "are not those of scenario",
    ),
    (
        &["plot", "tournament", "$TRACE", "-o", "$DIR/x.svg"],
        "needs a tournament output folder",
    ),
    (
        &["plot", "concession", "$TRACE", "-o", "$DIR/x.jpg"],
        "SVG or PNG",
    ),
    (
        &["plot", "concession", "$TRACE", "-o", "$DIR/x"],
        "--format svg|png",
    ),
    (
        &[
            "plot",
            "concession",
            "$TRACE",
            "--format",
            "svg",
            "-o",
            "$DIR/x.png",
        ],
        "the extension says png but --format says svg",
    ),
    (
        &[
            "plot",
            "concession",
            "$TRACE",
            "--scale",
            "3",
            "-o",
            "$DIR/x.svg",
        ],
        "--scale applies to PNG output only",
    ),
    (
        &[
            "plot",
            "concession",
            "$TRACE",
            "--scale=0",
            "-o",
            "$DIR/x.png",
        ],
        "--scale",
    ),
    (
        &[
            "plot",
            "concession",
            "$TRACE",
            "--scale=-1",
            "-o",
            "$DIR/x.png",
        ],
        "--scale",
    ),
    (
        &[
            "plot",
            "concession",
            "$TRACE",
            "--scale=17",
            "-o",
            "$DIR/x.png",
        ],
        "--scale",
    ),
    (
        &[
            "plot",
            "concession",
            "$TRACE",
            "--scale=two",
            "-o",
            "$DIR/x.png",
        ],
        "--scale",
    ),
    (
        &[
            "plot",
            "utility-space",
            "$TRACE",
            "--parties",
            "Alice,Zed",
            "-o",
            "$DIR/x.svg",
        ],
        "no party `Zed`",
    ),
    (
        &["report", "$REPO/scenarios", "-o", "$DIR/x.html"],
        "manifest.json",
    ),
];

#[test]
fn bad_input_exits_with_code_2() {
    let dir = TempDir::new("cli-report-bad");
    let (trace, _) = trace_of(&repo("scenarios/pie/pie.toml"), &dir);
    std::fs::write(dir.join("junk.json"), "not json").unwrap();
    std::fs::write(
        dir.join("partial.json"),
        r#"{"format": "detente-trace/1", "scenario": "s"}"#,
    )
    .unwrap();
    let expand = |arg: &str| -> std::ffi::OsString {
        if let Some(rest) = arg.strip_prefix("$DIR/") {
            dir.join(rest).into()
        } else if let Some(rest) = arg.strip_prefix("$REPO/") {
            repo(rest).into()
        } else if arg == "$TRACE" {
            trace.clone().into()
        } else {
            arg.into()
        }
    };
    for (args, expect) in BAD_INPUT {
        let args: Vec<std::ffi::OsString> = args.iter().map(|a| expand(a)).collect();
        let o = detente()
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(o).unwrap();
        assert!(err.contains(expect), "{args:?}: {err}");
    }
    for written in ["x.html", "x.svg", "x.png", "x.jpg", "x"] {
        assert!(!dir.join(written).exists(), "{written} was written");
    }
}
