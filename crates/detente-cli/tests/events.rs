//! Analysis that knows what the events changed (issue 14, observations 1 and 6): `analyze
//! --at-round` on a scenario and on a trace, one welfare figure in `run` and `sweep`, and the
//! result line that says a deal zone existed and was not reached.

use serde_json::Value;

use crate::support::detente;
use detente_testkit::TempDir;

fn stdout(args: &[&str]) -> String {
    let out = detente()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(args)).unwrap()
}

#[test]
fn analyze_at_a_round_uses_the_setting_the_events_left() {
    let start = json(&["analyze", "--json"]);
    let later = json(&["analyze", "--json", "--at-round", "9"]);
    // The US walked out at the start of round 9 (nothing was agreed by round 8 when the
    // timeline runs alone); the sanctions and the walk-out moved the fallbacks.
    assert_eq!(start["parties"].as_array().unwrap().len(), 4);
    assert_eq!(
        later["parties"],
        serde_json::json!(["Ukraine", "Russia", "European Union"])
    );
    assert_eq!(
        later["stats"]["reservation"],
        serde_json::json!([0.4, 0.53, 0.4])
    );
    let setting = &later["setting"];
    assert_eq!(setting["events_from"], "timeline");
    assert_eq!(setting["left"], serde_json::json!(["United States"]));
    let n = setting["deal_zone_size"].as_u64().unwrap();
    assert_eq!(Some(n), later["stats"]["n_individually_rational"].as_u64());
    // Listed best first, headed by the Nash point of the remaining talks.
    assert_eq!(setting["deal_zone"][0], later["nash"]["points"][0]);
    let text = stdout(&["analyze", "--at-round", "9", "--deal-zone", "3"]);
    assert!(text.contains("Setting at the start of round 9"), "{text}");
    assert!(
        text.contains(&format!(
            "Deal zone: {n} outcomes acceptable to every party at the table; the first 3"
        )),
        "{text}"
    );
}

#[test]
fn analyze_replays_a_traces_events() {
    let dir = TempDir::new("analyze-trace");
    let path = dir.path().join("t.json");
    let trace = stdout(&["run", "--format", "json"]);
    std::fs::write(&path, &trace).unwrap();
    let trace: Value = serde_json::from_str(&trace).unwrap();
    let p = path.to_str().unwrap();
    let end = json(&["analyze", "--json", "--trace", p]);
    // The minerals deal was settled in round 2: the fallbacks at the end carry its worth.
    assert_eq!(end["setting"]["events_from"], "trace");
    assert_eq!(
        end["setting"]["settled"],
        serde_json::json!(["minerals=signed"])
    );
    assert_eq!(
        end["setting"]["deal_zone_size"], trace["analysis"]["deal_zone"],
        "run and analyze see the same deal zone at the end"
    );
    let reservations = end["stats"]["reservation"].as_array().unwrap();
    assert!((reservations[0].as_f64().unwrap() - 0.65).abs() < 1e-9);
    // At round 2 nothing is settled yet; at round 3 it is.
    let r2 = json(&["analyze", "--json", "--trace", p, "--at-round", "2"]);
    let r3 = json(&["analyze", "--json", "--trace", p, "--at-round", "3"]);
    assert_eq!(r2["setting"]["settled"], serde_json::json!([]));
    assert_eq!(
        r3["setting"]["settled"],
        serde_json::json!(["minerals=signed"])
    );
}

#[test]
fn run_and_sweep_report_one_welfare_figure() {
    for extra in [&[][..], &["-n", "Russia=hardliner"][..]] {
        let mut run = vec!["run", "--format", "json"];
        run.extend_from_slice(extra);
        let run = json(&run);
        let mut sweep = vec!["sweep", "--json", "--vary", "rounds=40", "--seeds", "1"];
        sweep.extend_from_slice(extra);
        let sweep = json(&sweep);
        let from_run = run["analysis"]["welfare"].as_f64().unwrap();
        let from_sweep = sweep["points"][0]["welfare"]["mean"].as_f64().unwrap();
        let sum: f64 = run["result"]["utilities"]
            .as_object()
            .unwrap()
            .values()
            .map(|u| u.as_f64().unwrap())
            .sum();
        assert!(
            (from_run - from_sweep).abs() < 1e-12,
            "{extra:?}: {from_run} vs {from_sweep}"
        );
        assert!((from_run - sum).abs() < 1e-12);
    }
}

#[test]
fn run_says_when_a_deal_zone_existed_and_was_not_reached() {
    let text = stdout(&["run", "-n", "Russia=hardliner"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("No agreement although"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("acceptable to every party still at the table at the end"),
        "{line}"
    );
    assert!(
        line.ends_with("the talks ended because the deadline of 40 rounds passed"),
        "{line}"
    );
    assert!(text.contains("left the talks: United States"), "{text}");
    assert!(
        text.contains("fallbacks in force: United States 0.405 (was 0.300)"),
        "{text}"
    );
    // Reached: the line says the agreement lies in the zone.
    let text = stdout(&["run"]);
    assert!(
        text.contains(
            "Deal zone at the end: 26 outcomes were acceptable to every party; it is one of them"
        ),
        "{text}"
    );
}
