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

/// The built-in talks with the US walk-out fixed at the start of round 9 (the scenario makes
/// it conditional on nothing being agreed by round 8; the energy pause of round 2 is).
fn walk_out_scenario(dir: &TempDir) -> String {
    let text = std::fs::read_to_string(crate::support::repo(
        "scenarios/ukraine-2025/ukraine-2025.toml",
    ))
    .unwrap();
    let text = text.replace(
        "trigger = { no_agreement_by = 8 }",
        "trigger = { round = 9 }",
    );
    let path = dir.path().join("walk-out.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn analyze_at_a_round_uses_the_setting_the_events_left() {
    let dir = TempDir::new("analyze-at-round");
    let s = walk_out_scenario(&dir);
    let start = json(&["analyze", "--json", &s]);
    let later = json(&["analyze", "--json", "--at-round", "9", &s]);
    // The US walked out at the start of round 9; the energy pause, the sanctions and the
    // walk-out moved the fallbacks.
    assert_eq!(start["parties"].as_array().unwrap().len(), 4);
    assert_eq!(
        later["parties"],
        serde_json::json!(["Ukraine", "Russia", "European Union"])
    );
    assert_ne!(
        later["stats"]["reservation"],
        serde_json::json!([0.45, 0.55, 0.4])
    );
    let setting = &later["setting"];
    assert_eq!(setting["events_from"], "timeline");
    assert_eq!(setting["left"], serde_json::json!(["United States"]));
    assert_eq!(
        setting["settled"],
        serde_json::json!(["ceasefire=energy-infrastructure"])
    );
    let n = setting["deal_zone_size"].as_u64().unwrap();
    assert_eq!(Some(n), later["stats"]["n_individually_rational"].as_u64());
    // Listed best first, headed by the Nash point of the remaining talks.
    assert_eq!(setting["deal_zone"][0], later["nash"]["points"][0]);
    let text = stdout(&["analyze", "--at-round", "9", "--deal-zone", "3", &s]);
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
    let trace = stdout(&["run", "--json"]);
    std::fs::write(&path, &trace).unwrap();
    let trace: Value = serde_json::from_str(&trace).unwrap();
    let p = path.to_str().unwrap();
    let end = json(&["analyze", "--json", "--trace", p]);
    // The energy pause was settled in round 2: the fallbacks at the end carry its worth.
    assert_eq!(end["setting"]["events_from"], "trace");
    assert_eq!(
        end["setting"]["deal_zone_size"], trace["analysis"]["deal_zone"],
        "run and analyze see the same deal zone at the end"
    );
    let reservations = end["stats"]["reservation"].as_array().unwrap();
    assert!(
        (reservations[0].as_f64().unwrap() - 0.3).abs() > 1e-9,
        "the US fallback moved"
    );
    // At round 1 nothing is settled yet; at round 3 the energy pause is.
    let r1 = json(&["analyze", "--json", "--trace", p, "--at-round", "1"]);
    let r3 = json(&["analyze", "--json", "--trace", p, "--at-round", "3"]);
    assert_eq!(r1["setting"]["settled"], serde_json::json!([]));
    let settled = r3["setting"]["settled"].as_array().unwrap();
    assert!(
        settled.contains(&Value::from("ceasefire=energy-infrastructure")),
        "{settled:?}"
    );
}

#[test]
fn run_and_sweep_report_one_welfare_figure() {
    // Negotiation 0 of a sweep's first point runs with derive_seed(seed, 0): the same run.
    let seed = detente_core::protocol::derive_seed(42, 0).to_string();
    for extra in [&[][..], &["-n", "Russia=hardliner"][..]] {
        let mut run = vec!["run", "--json", "--seed", &seed];
        run.extend_from_slice(extra);
        let run = json(&run);
        let mut sweep = vec!["sweep", "--json", "--vary", "rounds=40", "--seeds", "1"];
        sweep.extend_from_slice(&["--jitter", "0", "--noise", "0"]);
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
    let dir = TempDir::new("deal-zone-line");
    let s = walk_out_scenario(&dir);
    let text = stdout(&["run", "-n", "Russia=hardliner", &s]);
    let line = text
        .lines()
        .find(|l| l.starts_with("No agreement although"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("acceptable to every party still at the table at the end"),
        "{line}"
    );
    assert!(line.contains("the talks ended because"), "{line}");
    assert!(text.contains("left the talks: United States"), "{text}");
    assert!(text.contains("fallbacks in force: United States"), "{text}");
    // The zone's history, rebuilt from the trace round by round: Russia, a hardliner, left it
    // open to the end.
    assert!(
        text.contains("  A deal zone was open in rounds 1-40 (largest: "),
        "{text}"
    );
}

#[test]
fn stalling_is_read_pairwise_on_the_spring_record() {
    let text = stdout(&[
        "inspect",
        crate::support::repo("examples/traces/ukraine-2025-spring.toml")
            .to_str()
            .unwrap(),
    ]);
    let block = |party: &str| {
        let start = text.find(&format!("\n{party}: ")).unwrap();
        let rest = &text[start + 1..];
        let end = rest.find("\n\n").unwrap_or(rest.len());
        rest[..end].to_string()
    };
    // Russia, unchanged from round 3 to 6, is stalling toward everyone; the US, which moved
    // toward Russia, is not stalling (though it did not move toward Ukraine).
    let russia = block("Russia");
    assert!(
        russia.contains("(window 3, min improvement 0.01): stalling"),
        "{russia}"
    );
    assert!(russia.contains("stalling toward Ukraine"), "{russia}");
    let us = block("United States");
    assert!(us.contains("): not stalling"), "{us}");
    assert!(
        us.contains("moving toward Russia") && us.contains("stalling toward Ukraine"),
        "{us}"
    );
    // The JSON says the same, party by party.
    let record = crate::support::repo("examples/traces/ukraine-2025-spring.toml");
    let doc = json(&["inspect", "--json", record.to_str().unwrap()]);
    let evidence = |party: &str| {
        doc["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == party)
            .unwrap()["evidence"]
            .clone()
    };
    assert_eq!(evidence("Russia")["stalling_toward"]["Ukraine"], true);
    let us = evidence("United States");
    assert_eq!(us["stalling_toward"]["Russia"], false);
    assert_eq!(us["stalling_toward"]["Ukraine"], true);
}

#[test]
fn inspect_json_gives_the_votes_on_the_mediators_texts() {
    let dir = TempDir::new("inspect-votes");
    let path = dir.path().join("t.json");
    std::fs::write(&path, stdout(&["run", "--json", "--ensemble", "0"])).unwrap();
    let doc = json(&["inspect", "--json", path.to_str().unwrap()]);
    let parties = doc["parties"].as_array().unwrap();
    // The United States mediates (its texts are its votes); the others voted on every text.
    for p in parties {
        let votes = &p["evidence"]["votes"];
        if p["name"] == "United States" {
            assert!(votes.is_null(), "{p}");
        } else {
            let n = votes["accepted"].as_u64().unwrap() + votes["rejected"].as_u64().unwrap();
            assert_eq!(n, 40, "{p}");
        }
    }
}

#[test]
fn concession_is_measured_against_the_fallback_in_force() {
    let dir = TempDir::new("inspect-fallback");
    let path = dir.path().join("t.json");
    std::fs::write(&path, stdout(&["run", "--json", "-n", "Russia=hardliner"])).unwrap();
    let text = stdout(&["inspect", path.to_str().unwrap()]);
    // The US walked out (round 9): Ukraine's fallback fell from 0.45 (plus the minerals deal's
    // worth) by 0.05; no party concedes past its fallback in force.
    for line in text
        .lines()
        .filter(|l| l.contains("of the way from its best utility"))
    {
        let pct: f64 = line
            .split("conceded ")
            .nth(1)
            .unwrap()
            .split('%')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pct <= 100.0, "{line}");
    }
    assert!(
        text.contains("votes on the mediator's texts: accepted"),
        "{text}"
    );
}

#[test]
fn a_sweep_of_deterministic_copies_prints_no_interval() {
    // Issue 14, observation 4: 20 identical runs used to print `100% [84, 100]` and
    // zero-width intervals.
    let pie = crate::support::repo("scenarios/pie/pie.toml");
    let pie = pie.to_str().unwrap();
    let args = [
        "sweep",
        pie,
        "--vary",
        "rounds=20",
        "--seeds",
        "20",
        "--jitter",
        "0",
        "--noise",
        "0",
    ];
    let text = stdout(&args);
    assert!(text.contains("(identical runs)"), "{text}");
    assert!(!text.contains("[84, 100]"), "{text}");
    assert!(
        text.contains("copies of one draw, so no interval is printed"),
        "{text}"
    );
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let doc = json(&json_args);
    let point = &doc["points"][0];
    assert!(point["agreement_rate_ci95"].is_null(), "{point}");
    assert!(point["welfare"]["ci95"].is_null(), "{point}");
    // With jitter the runs differ and the intervals come back.
    let text = stdout(&[
        "sweep",
        "--vary",
        "rounds=40",
        "--seeds",
        "20",
        "--jitter",
        "0.5",
    ]);
    assert!(!text.contains("identical runs"), "{text}");
}

/// Issue 14, observation 1: the built-in talks ended without agreement although a deal all
/// accepted existed at the end. Across seeds, a run without agreement now has no deal zone at
/// its end (the setting rebuilt with the beliefs the trace records: distrust about the
/// ceasefire is what closes it), and says when the zone was open.
#[test]
fn the_builtin_talks_never_end_beside_an_open_deal_zone() {
    for seed in 1..=8 {
        let seed = seed.to_string();
        let text = stdout(&["run", "--seed", &seed]);
        assert!(
            !text.contains("No agreement although"),
            "seed {seed}:\n{text}"
        );
        if text.contains("Result: no agreement") {
            assert!(
                text.contains("no outcome was acceptable to every party at the end"),
                "seed {seed}:\n{text}"
            );
            assert!(
                text.contains("  A deal zone was open in "),
                "seed {seed}:\n{text}"
            );
        }
    }
}

/// Issue 14, observation 8: the HTML report tells what changed the talks (every event as it
/// fired, settlements included), whether a deal zone existed and when, and gives the one
/// welfare figure `run` prints (against the setting at the end).
#[test]
fn the_report_tells_what_changed_the_talks() {
    let dir = TempDir::new("report-story");
    let trace = dir.path().join("t.json");
    let report = dir.path().join("r.html");
    std::fs::write(&trace, stdout(&["run", "--json", "--ensemble", "0"])).unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
    stdout(&[
        "report",
        trace.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&report).unwrap();
    let story = &html[html
        .find("What changed the talks")
        .expect("a story section")..];
    for e in doc["events"].as_array().unwrap() {
        let round = e["round"].as_u64().unwrap() + 1; // the JSON counts from 0
        let name = e["name"].as_str().unwrap();
        assert!(
            story.contains(&format!("Round {round}</span> <strong>{name}</strong>")),
            "{name} in round {round}"
        );
    }
    assert!(story.contains("A deal zone was open in"), "{story}");
    let welfare = doc["analysis"]["welfare"].as_f64().unwrap();
    assert!(
        html.contains(&format!("{welfare:.3}")) && html.contains("against the setting at the end"),
        "welfare {welfare}"
    );
}

/// The default ensemble stays quick: talks too large for it (here 50,000 rounds) get a note
/// instead, and an ensemble asked for is run whatever the size.
#[test]
fn the_default_ensemble_is_skipped_for_talks_too_large_for_it() {
    let pie = crate::support::repo("scenarios/pie/pie.toml");
    let base = [
        "run",
        pie.to_str().unwrap(),
        "--rounds",
        "50000",
        "-n",
        "Alice=hardliner",
        "-n",
        "Bob=hardliner",
    ];
    let out = detente()
        .env_remove("DETENTE_ENSEMBLE")
        .args(base)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("Ensemble: not run by default for talks this large (50000 rounds"),
        "{}",
        &text[text.len().saturating_sub(600)..]
    );
    let out = detente()
        .env_remove("DETENTE_ENSEMBLE")
        .args(["run", pie.to_str().unwrap(), "--ensemble", "3"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("Ensemble: 3 runs"));
}
