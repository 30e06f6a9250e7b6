//! `detente inspect` and `detente sweep`, end to end.

use std::path::PathBuf;

use crate::support::{detente, peace_talks_without_pause, repo};
use detente_testkit::TempDir;
use serde_json::Value;

/// A JSON trace of the built-in peace talks, written by `detente run`.
fn peace_trace(dir: &std::path::Path) -> PathBuf {
    let scenario = peace_talks_without_pause(dir);
    let out = detente()
        .arg("run")
        .arg(&scenario)
        .args(["--format", "json", "--seed", "3"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let path = dir.join("talks.json");
    std::fs::write(&path, out).unwrap();
    path
}

const PARTIES: [&str; 4] = ["United States", "Ukraine", "Russia", "European Union"];
const CLASSES: [&str; 8] = [
    "hardliner",
    "boulware",
    "linear",
    "conceder",
    "tit-for-tat-like",
    "random",
    "stalling",
    "undetermined",
];

#[test]
fn inspect_names_strategies_with_evidence_and_forecasts() {
    let dir = TempDir::new("cli-inspect-text");
    let trace = peace_trace(&dir);
    let scenario = dir.join("ukraine-2025-without-pause.toml");
    let out = detente()
        .arg("inspect")
        .arg(&trace)
        .arg("--scenario")
        .arg(&scenario)
        .args(["--simulations", "40"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for party in PARTIES {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{party}: ")))
            .unwrap_or_else(|| panic!("no strategy line for {party}:\n{text}"));
        let class = line.trim_start_matches(&format!("{party}: "));
        assert!(CLASSES.contains(&class), "{line}");
    }
    // The scenario's negotiators: the United States mediates (its texts follow the mediator's
    // strategy), then time-based e = 0.5, boulware e = 0.2, linear.
    assert!(text.contains("it mediated, proposing"), "{text}");
    assert!(text.contains("United States: undetermined"), "{text}");
    // Russia's Boulware (e = 0.2) reads clearly. Ukraine (e = 0.5) and the EU (linear) only
    // offer when they reject a text, and their fallbacks move with the events, so their fits
    // are rougher: they must still read as time-dependent concession.
    assert!(text.contains("Russia: boulware"), "{text}");
    for party in ["Ukraine", "European Union"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{party}: ")))
            .unwrap();
        assert!(
            ["boulware", "linear", "conceder"]
                .iter()
                .any(|c| line.ends_with(c)),
            "{line}"
        );
    }
    // Russia plays e = 0.2, but among outcomes near its target it picks what its opponent
    // model favours, and settled issues narrow its choices: the fit is near 0.2, not at it.
    let russia = text
        .lines()
        .find(|l| l.contains("time-dependent fit e = "))
        .unwrap();
    assert!(russia.contains("below 1: Boulware"), "{russia}");
    assert!(text.contains("R²"), "{text}");
    assert!(text.contains("stalling test at round"), "{text}");
    assert!(
        text.contains("Stalling: a party is stalling toward another at round R when"),
        "{text}"
    );
    assert!(
        text.contains("the simulations as an ensemble (agreement before the deadline")
            && text.contains("  agreement in "),
        "{text}"
    );
}

#[test]
fn inspect_json_has_fits_evidence_and_forecast() {
    let dir = TempDir::new("cli-inspect-json");
    let trace = peace_trace(&dir);
    let out = detente()
        .arg("inspect")
        .arg(&trace)
        .args(["--json", "--simulations", "30", "--cut", "10"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let parties = doc["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 4);
    for p in parties {
        assert!(CLASSES.contains(&p["strategy"].as_str().unwrap()), "{p}");
        // The mediating United States makes no offers of its own.
        if p["name"] != "United States" {
            assert!(p["evidence"]["offers"].as_u64().unwrap() >= 1, "{p}");
        }
        assert!(
            p["curve"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["round"].as_u64().unwrap() < 10)
        );
    }
    let f = &doc["forecast"];
    assert_eq!(f["from_round"], 10);
    let p = f["p_agreement"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert_eq!(f["utilities"].as_object().unwrap().len(), 4);
    // Same seed, same forecast.
    let again = detente()
        .arg("inspect")
        .arg(&trace)
        .args(["--json", "--simulations", "30", "--cut", "10"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, again);
}

#[test]
fn bad_trace_files_are_located_input_errors() {
    let dir = TempDir::new("cli-inspect-bad");
    let pie = repo("scenarios/pie/pie.toml");
    let cases = [
        (
            "a.csv",
            "round,party,action,share\n1,Alice,offer,0.5\n2,Carol,offer,0.4\n",
            "a.csv:3:1: there is no party `Carol`",
        ),
        (
            "b.csv",
            "round,party,action,share\n1,Bob,accept,\n",
            "b.csv:2:1: Bob accepts, but no offer is standing",
        ),
        (
            "c.toml",
            "[[actions]]\nround = 1\nparty = \"Alice\"\naction = \"offer\"\noffer = { share = 1.5 }\n",
            "c.toml:1:1: `1.5` is not a value of issue `share`",
        ),
        (
            "d.toml",
            "[[actions]]\nround = 1\nparty = \"Alice\"\naction = \"offer\"\noffer = { }\n",
            "the offer gives no value for issue `share`",
        ),
        ("e.json", "{\"format\": \"detente-trace/1\", ", "e.json:1:"),
    ];
    for (name, text, expect) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = detente()
            .arg("inspect")
            .arg(&path)
            .arg("--scenario")
            .arg(&pie)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        assert!(err.contains(expect), "{name}: {err}");
    }
    // A trace of another scenario.
    let trace = peace_trace(&dir);
    let out = detente()
        .arg("inspect")
        .arg(&trace)
        .arg("--scenario")
        .arg(&pie)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("parties: the trace's parties")
    );
    detente()
        .arg("inspect")
        .arg(dir.join("missing.json"))
        .assert()
        .code(2);
}

/// What `detente inspect RECORD EXTRA...` prints (it must succeed).
fn inspect_stdout(record: &str, extra: &[&str]) -> String {
    let out = detente()
        .arg("inspect")
        .arg(repo(record))
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn shipped_example_records_are_read() {
    let out = detente()
        .arg("inspect")
        .arg(repo("examples/traces/ukraine-2025-spring.toml"))
        .arg("--scenario")
        .arg(repo("scenarios/ukraine-2025/ukraine-2025.toml"))
        .args(["--simulations", "20"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("unfinished: the record ends in round 6"),
        "{text}"
    );
    assert!(text.contains("Forecast from round 7 on"), "{text}");
    // A record of mediated talks: the mediator's texts and the parties' votes on them.
    let text = inspect_stdout(
        "examples/traces/ukraine-2025-mediated.toml",
        &["--simulations", "10"],
    );
    assert!(text.contains("it mediated, proposing 3 texts"), "{text}");
    assert!(
        text.contains("votes on the mediator's texts: accepted 1, rejected 2"),
        "Ukraine's votes: {text}"
    );
    assert!(
        text.contains("accepted 2, rejected 0"),
        "the EU's votes: {text}"
    );
    let out = detente()
        .arg("inspect")
        .arg(repo("examples/traces/pie-talks.csv"))
        .arg("--scenario")
        .arg(repo("scenarios/pie/pie.toml"))
        .args(["--stall-window", "3", "--simulations", "20"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Alice: stalling"), "{text}");
    assert!(!text.contains("Bob: stalling"), "{text}");
}

#[test]
fn sweep_over_a_reservation_value() {
    let pie = repo("scenarios/pie/pie.toml");
    let out = detente()
        .arg("sweep")
        .arg(&pie)
        .args(["--vary", "reservation.Bob=0:0.5:0.25", "--seeds", "3"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("reservation.Bob"), "{text}");
    for v in ["0 ", "0.25 ", "0.5 "] {
        assert!(
            text.lines().any(|l| l.starts_with(v)),
            "{v} missing:\n{text}"
        );
    }
    let out = detente()
        .arg("sweep")
        .arg(&pie)
        .args([
            "--vary",
            "reservation.Bob=0:0.5:0.25",
            "--vary",
            "rounds=10,20",
        ])
        .args(["--seeds", "3", "--json", "--jitter", "0.2"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    for p in points {
        assert_eq!(p["runs"], 3);
        let rate = p["agreement_rate"].as_f64().unwrap();
        let ci = p["agreement_rate_ci95"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() <= rate && rate <= ci[1].as_f64().unwrap());
        assert!(p["utilities"]["Bob"]["mean"].is_number());
    }
    for bad in [
        "reservation.Carol=0:1:0.5",
        "share=1,2",
        "rounds=0",
        "e.Bob=1:0:1",
    ] {
        detente()
            .arg("sweep")
            .arg(&pie)
            .args(["--vary", bad])
            .assert()
            .code(2);
    }
}

/// `detente inspect --json` carries the compliance ledger of a trace with compliance records,
/// the same as the text's.
#[test]
fn inspect_json_has_the_compliance_ledger() {
    let dir = TempDir::new("cli-inspect-ledger");
    let scenario = repo("examples/scenarios/pause.toml");
    let out = detente()
        .arg("run")
        .arg(&scenario)
        .args(["--format", "json", "--seed", "5"])
        .output()
        .unwrap();
    let trace = dir.join("pause.json");
    std::fs::write(&trace, out.stdout).unwrap();
    let inspect = |json: bool| {
        let mut cmd = detente();
        cmd.arg("inspect")
            .arg(&trace)
            .arg("--scenario")
            .arg(&scenario);
        cmd.args(["--simulations", "5"]);
        if json {
            cmd.arg("--json");
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let doc: Value = serde_json::from_str(&inspect(true)).unwrap();
    let ledger = &doc["compliance"];
    assert_eq!(ledger["truth_known"], Value::Bool(true));
    let disputes = ledger["disputes"].as_array().unwrap();
    let text = inspect(false);
    let lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with("round ") && l.contains("a monitor must be"))
        .count();
    assert_eq!(disputes.len(), lines, "{text}");
    for d in disputes {
        let need = d["monitor_needed"].as_f64().unwrap();
        assert!((0.5..1.0).contains(&need), "{d}");
    }
    // Each side reports on both sides every round the pause is in force.
    let pairs = ledger["accusations"].as_array().unwrap();
    assert_eq!(pairs.len(), 4);
}

/// The hand-written record of the spring 2025 accounts: no truth, two sides that never agree,
/// and a monitor that must beat the accusers' stated accuracy (0.8 for both in the scenario).
#[test]
fn inspect_weighs_the_conflicting_accounts_of_the_energy_pause() {
    let out = detente()
        .arg("inspect")
        .arg(repo("examples/traces/ukraine-2025-energy-pause.toml"))
        .arg("--scenario")
        .arg(repo("scenarios/ukraine-2025/ukraine-2025.toml"))
        .args(["--simulations", "5", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ledger = &doc["compliance"];
    assert_eq!(ledger["truth_known"], Value::Bool(false));
    assert!(ledger["accuracy"].as_array().unwrap().is_empty());
    for c in ledger["consistency"].as_array().unwrap() {
        assert_eq!(c["compared"], 3);
        assert_eq!(c["agreement"].as_f64(), Some(0.0));
    }
    let disputes = ledger["disputes"].as_array().unwrap();
    assert_eq!(disputes.len(), 6);
    for d in disputes {
        assert_eq!(d["accusers"].as_array().unwrap().len(), 1);
        assert!(
            (d["log_odds"].as_f64().unwrap() + 4f64.ln()).abs() < 1e-9,
            "{d}"
        );
        assert!(
            (d["monitor_needed"].as_f64().unwrap() - 0.8).abs() < 1e-9,
            "{d}"
        );
        assert!(d["truth"].is_null());
    }
}
