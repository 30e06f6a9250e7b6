//! The ensemble below `detente run`'s transcript, in its JSON trace, in sweeps; the sweep axes
//! an analyst varies and their errors.

use crate::support::{detente, repo};

fn stdout_with(args: &[&str], threads: &str) -> String {
    let out = detente()
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("detente runs");
    assert!(
        out.status.success(),
        "detente {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_ensemble_is_the_same_at_any_thread_count_and_in_the_json_trace() {
    let args = ["run", "--ensemble", "30", "--json"];
    let one = stdout_with(&args, "1");
    assert_eq!(one, stdout_with(&args, "2"));
    let doc: serde_json::Value = serde_json::from_str(&one).unwrap();
    let e = &doc["ensemble"];
    assert_eq!(e["runs"], 30);
    assert_eq!(e["seed"], 42);
    assert_eq!(e["jitter"], 0.5);
    assert_eq!(e["identical"], false);
    assert!(e["agreement_rate_ci95"].is_array(), "{e}");
    assert!(e["utilities"]["Russia"]["ci95"].is_array(), "{e}");
    // The text says the same numbers.
    let text = stdout_with(&["run", "--ensemble", "30"], "2");
    let agreements = e["agreements"].as_u64().unwrap();
    assert!(
        text.contains(&format!("agreement in {agreements} of 30 runs")),
        "{text}"
    );
    // Off with 0.
    let off = stdout_with(&["run", "--ensemble", "0", "--json"], "2");
    let doc: serde_json::Value = serde_json::from_str(&off).unwrap();
    assert!(doc.get("ensemble").is_none());
}

#[test]
fn copies_of_one_run_are_said_to_be_copies_with_no_interval() {
    // Linear negotiators without jitter on the pie: every seed plays the same talks.
    let pie = repo("scenarios/pie/pie.toml");
    let text = stdout_with(
        &[
            "run",
            pie.to_str().unwrap(),
            "--ensemble",
            "20",
            "--jitter",
            "0",
            "--noise",
            "0",
            "-n",
            "Alice=linear",
            "-n",
            "Bob=linear",
        ],
        "2",
    );
    let summary = text.split("\nEnsemble:").nth(1).expect("an ensemble");
    insta::assert_snapshot!("pie_copies_ensemble", format!("Ensemble:{summary}"));
    assert!(summary.contains("copies of one draw"), "{summary}");
    assert!(!summary.contains('['), "no interval: {summary}");
}

#[test]
fn a_sanctions_sweep_prints_each_point_as_an_ensemble() {
    let text = stdout_with(
        &[
            "sweep",
            "--vary",
            "event.EU sanctions package.shift=-0.3,-0.05",
            "--seeds",
            "20",
            "--jitter",
            "0.5",
        ],
        "2",
    );
    insta::assert_snapshot!("sanctions_shift_sweep", text);
    assert_eq!(
        text.matches("\nAt event.EU sanctions package.shift = ")
            .count(),
        2
    );
}

#[test]
fn a_mediator_sweep_names_the_mediators() {
    let text = stdout_with(
        &[
            "sweep",
            "--vary",
            "mediator=United States,neutral",
            "--seeds",
            "4",
            "--jitter",
            "0.5",
            "--json",
        ],
        "2",
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["axes"][0]["labels"],
        serde_json::json!(["United States", "neutral"])
    );
    assert_eq!(doc["points"][1]["values"]["mediator"], 1.0);
    assert!(doc["points"][0]["distinct"].is_u64());
}

#[test]
fn bad_sweep_parameters_exit_with_code_2_and_say_what_is_wrong() {
    for (param, says) in [
        ("event.nope.shift=0", "no event `nope`"),
        (
            "event.energy pause agreed.shift=0",
            "no effect with a magnitude",
        ),
        ("bonus.Ukraine.x=0", "no linkage `x`"),
        ("bonus.Nobody.x=0", "parties: United States"),
        ("mediator=Nobody", "neither a party nor `neutral`"),
        ("mediator.bias=2", "must be a number in [0, 1]"),
        ("mediator.nope=1", "no parameter `nope`"),
        ("discount.Nobody=0.5", "no party `Nobody`"),
    ] {
        let out = detente()
            .args(["sweep", "--vary", param, "--seeds", "2"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{param}: {err}");
        assert!(err.contains(says), "{param}: {err}");
    }
    let out = detente().args(["run", "--jitter", "-1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
