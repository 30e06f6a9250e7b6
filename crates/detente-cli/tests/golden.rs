//! Golden files of what users read: the transcript and JSON trace of the built-in talks, the
//! JSON trace of a GENIUS run, `analyze --json` on two shared domains and the text of the HTML
//! report. A change to any of them shows up as a snapshot diff (`cargo insta review`), to be
//! read and accepted on purpose.

use crate::support::detente;
use detente_testkit::TempDir;

fn stdout(args: &[&str]) -> String {
    let out = detente().args(args).output().expect("detente runs");
    assert!(
        out.status.success(),
        "detente {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The readable text of an HTML page: scripts and styles dropped, tags removed, entities of
/// the five XML kinds decoded, one line per non-blank run of text.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 4);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        let lower = rest.get(..8).unwrap_or("").to_ascii_lowercase();
        let close = if lower.starts_with("<script") {
            "</script>"
        } else if lower.starts_with("<style") {
            "</style>"
        } else {
            ">"
        };
        match rest.find(close) {
            Some(end) => rest = &rest[end + close.len()..],
            None => rest = "",
        }
        text.push('\n');
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// With the ensemble users see below the transcript (the default 200 runs).
#[test]
fn builtin_transcript() {
    insta::assert_snapshot!("builtin_transcript", stdout(&["run", "--ensemble", "200"]));
}

#[test]
fn builtin_json_trace() {
    insta::assert_snapshot!(
        "builtin_json_trace",
        stdout(&["run", "--format", "json", "--ensemble", "200"])
    );
}

/// The worked example of the compliance phase (docs/scenario-format.md): the exact trace,
/// truth, sightings, claims and beliefs included, and its transcript.
#[test]
fn worked_example_of_compliance() {
    let file = crate::support::repo("examples/scenarios/pause.toml");
    let file = file.to_str().unwrap();
    insta::assert_snapshot!(
        "pause_json_trace",
        stdout(&["run", file, "--format", "json"])
    );
    insta::assert_snapshot!("pause_transcript", stdout(&["run", file]));
}

#[test]
fn genius_json_trace() {
    let Some(domain) = detente_testkit::genius_domain("Amsterdam") else {
        return;
    };
    let domain = domain.to_str().expect("UTF-8 path");
    insta::assert_snapshot!(
        "genius_amsterdam_json_trace",
        stdout(&["run", domain, "--format", "json"])
    );
}

#[test]
fn analyze_json_on_two_domains() {
    for name in ["Camera", "TriangularFight"] {
        let Some(domain) = detente_testkit::genius_domain(name) else {
            return;
        };
        let domain = domain.to_str().expect("UTF-8 path");
        insta::assert_snapshot!(
            format!("analyze_json_{name}"),
            stdout(&["analyze", domain, "--json"])
        );
    }
}

#[test]
fn html_report_text() {
    let dir = TempDir::new("cli-golden-report");
    let path = dir.join("talks.html");
    stdout(&["run", "--report", path.to_str().expect("UTF-8 path")]);
    let html = std::fs::read_to_string(&path).expect("the report was written");
    insta::assert_snapshot!("builtin_report_text", html_text(&html));
}

/// `detente inspect` on a trace of the worked example: the reading, the forecast and the
/// compliance ledger (accusations against the truth, consistency, disputes).
#[test]
fn worked_example_inspected() {
    let dir = TempDir::new("golden-inspect-pause");
    let file = crate::support::repo("examples/scenarios/pause.toml");
    let file = file.to_str().unwrap();
    let trace = dir.join("pause.json");
    std::fs::write(&trace, stdout(&["run", file, "--format", "json"])).unwrap();
    let trace = trace.to_str().unwrap();
    insta::assert_snapshot!(
        "pause_inspect",
        stdout(&["inspect", trace, "--scenario", file, "--simulations", "20"])
    );
}
