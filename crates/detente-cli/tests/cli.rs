//! The command-line tool, end to end.

use std::path::PathBuf;

use crate::support::{detente, repo};
use detente_testkit::TempDir;
use predicates::prelude::*;
use serde_json::Value;

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

#[test]
fn run_without_arguments_plays_the_peace_talks() {
    let out = detente()
        .arg("run")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for party in ["United States", "Ukraine", "Russia", "European Union"] {
        assert!(text.contains(party), "{party} missing from:\n{text}");
    }
    assert!(text.contains("Round 1"), "{text}");
    // The built-in talks are mediated: the United States proposes texts, the others vote, and
    // the timeline events show in the transcript.
    assert!(text.contains("proposes"), "{text}");
    assert!(text.contains(">> event: EU sanctions package"), "{text}");
    // The energy pause of 18 March is agreed away from the table in round 2 and binds Russia
    // and Ukraine: each round both act, both watch, both report, and their accounts differ;
    // the pause lapses at the start of round 6 (mid-April).
    assert!(
        text.contains(">> event: energy pause agreed — ceasefire=energy-infrastructure"),
        "{text}"
    );
    assert!(text.contains("~~ ceasefire: truly Russia"), "{text}");
    assert!(text.contains("Ukraine says Russia breached"), "{text}");
    assert!(text.contains("Russia says Ukraine breached"), "{text}");
    assert!(text.contains("Russia says itself complied"), "{text}");
    let lapse = text
        .find(">> event: obligation expires — the obligation on ceasefire expires")
        .expect("the pause lapses");
    assert!(text[..lapse].contains("\nRound 6\n"), "{text}");
    assert!(!text[..lapse].contains("\nRound 7\n"), "{text}");
    assert!(text.contains("linked: minerals deal"), "{text}");
    assert!(text.contains("Result: "), "{text}");
    assert!(text.contains("Final utilities"), "{text}");
}

/// Observation 2 of the mediation issue: with every party playing the same time-based
/// negotiator, the peace talks used to end without agreement although a deal all accept
/// exists at the deadline (a party never reached its floor while it could still vote). Now
/// they reach it, and the agreement gives every party still at the table at least its fallback.
/// (Without the energy pause, whose lapse and distrust shrink the deal zone: a property of the
/// negotiators, not of the compliance phase.)
#[test]
fn uniform_time_based_mixes_reach_the_deal_that_exists() {
    let dir = detente_testkit::TempDir::new("cli-uniform-mixes");
    let scenario = crate::support::peace_talks_without_pause(&dir);
    for kind in ["linear", "conceder"] {
        let mut cmd = detente();
        cmd.arg("run").arg(&scenario).args(["--format", "json"]);
        for party in ["United States", "Ukraine", "Russia", "European Union"] {
            cmd.args(["--negotiator", &format!("{party}={kind}")]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{kind}");
        let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(trace["result"]["termination"], "agreement", "{kind}");
    }
}

#[test]
fn json_output_is_a_complete_trace() {
    let out = detente()
        .args(["run", "--format", "json", "--seed", "7"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(doc["format"], "detente-trace/1");
    assert_eq!(doc["seed"], 7);
    let parties = doc["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 4);
    let actions = doc["actions"].as_array().unwrap();
    assert!(!actions.is_empty());
    let first = &actions[0];
    // The mediating United States opens with a text.
    assert_eq!(first["action"], "propose");
    assert_eq!(first["round"], 0);
    assert_eq!(first["party"], parties[0]["name"]);
    assert_eq!(doc["protocol"]["kind"], "mediated");
    assert_eq!(doc["protocol"]["mediator"], "United States");
    let events = doc["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["name"] == "EU sanctions package" && e["round"] == 7),
        "{events:?}"
    );
    let issues = doc["issues"].as_array().unwrap();
    assert_eq!(first["offer"].as_object().unwrap().len(), issues.len());
    assert_eq!(first["utilities"].as_object().unwrap().len(), 4);
    let result = &doc["result"];
    assert!(
        [
            "agreement",
            "deadline",
            "ended",
            "negotiator-fault",
            "time-limit"
        ]
        .contains(&result["termination"].as_str().unwrap())
    );
    assert_eq!(result["utilities"].as_object().unwrap().len(), 4);
    if result["termination"] == "agreement" {
        // The last action is the final acceptance of the agreed offer.
        assert_eq!(actions.last().unwrap()["action"], "accept");
        assert!(result["agreement"].is_object());
    }
}

#[test]
fn same_seed_same_output_and_seeds_matter_for_random_negotiators() {
    let run = |seed: &str| {
        detente()
            .args([
                "run",
                "--format",
                "json",
                "--seed",
                seed,
                "--negotiator",
                "Ukraine=random",
                "--negotiator",
                "Russia=random",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("1"), run("1"));
    assert_ne!(run("1"), run("2"));
}

#[test]
fn shipped_scenarios_run_and_check() {
    for s in [
        "scenarios/pie/pie.toml",
        "scenarios/buyer-seller/buyer-seller.toml",
        "scenarios/ukraine-2025/ukraine-2025.toml",
    ] {
        detente()
            .arg("run")
            .arg(repo(s))
            .assert()
            .success()
            .stdout(predicate::str::contains("Result: "));
        detente()
            .args(["scenario", "check"])
            .arg(repo(s))
            .assert()
            .success()
            .stdout(predicate::str::contains("Outcomes: ").and(predicate::str::contains("best")));
    }
}

#[test]
fn negotiators_can_be_chosen_per_party() {
    detente()
        .arg("run")
        .arg(repo("scenarios/pie/pie.toml"))
        .args(["--negotiator", "A=hardliner", "--rounds", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no party `A`"));
    let out = detente()
        .arg("run")
        .arg(repo("scenarios/ukraine-2025/ukraine-2025.toml"))
        .args([
            "--negotiator",
            "Russia=time-based:e=0.3",
            "--rounds",
            "7",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["deadline"], 7);
    let russia = doc["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Russia")
        .unwrap()
        .clone();
    assert_eq!(russia["negotiator"], "time-based:e=0.3");
    detente()
        .args(["run", "--negotiator", "Russia=stubborn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stubborn"));
    detente()
        .args(["run", "--negotiator", "Russia=boulware:e=-1"])
        .assert()
        .code(2);
    detente().args(["run", "--rounds", "0"]).assert().code(2);
}

#[test]
fn bad_scenario_files_fail_clearly_with_code_2() {
    let cases = [
        ("malformed.toml", 8, "table"),
        ("unknown-value.toml", 10, "has no value `green`"),
        ("weight-not-number.toml", 10, "invalid type"),
        ("no-preferences.toml", 8, "has no preferences"),
        ("unknown-key.toml", 10, "unknown field `fallback`"),
    ];
    for (file, line, needle) in cases {
        for cmd in [&["run"][..], &["scenario", "check"][..]] {
            let assert = detente()
                .args(cmd)
                .arg(data(&format!("bad/{file}")))
                .assert()
                .code(2);
            let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
            assert!(
                stderr.contains(&format!("{file}:{line}:")),
                "{file}: no line {line} in: {stderr}"
            );
            assert!(
                stderr.contains(needle),
                "{file}: `{needle}` not in: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
    detente()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
}

#[test]
fn negotiators_are_listed() {
    let out = detente()
        .arg("negotiators")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for kind in [
        "time-based",
        "boulware",
        "linear",
        "conceder",
        "hardliner",
        "random",
        "tit-for-tat",
        "boa",
        "offer=time-dependent",
        "hardheaded-frequency",
        "scalable-bayesian",
        "best-bid",
        "ac-combi-max-w",
        "source: Hindriks and Tykhonov",
        "micro",
        "source: de Jonge, An analysis of the linear bilateral ANAC domains",
        "agent-k",
        "agent-k2",
        "hardheaded",
        "offer=hardheaded",
        "ac-agent-k",
        "ac-hardheaded",
        "source: van Krimpen, Looije and Hajizadeh",
        "nice-tit-for-tat",
        "ac-nice-tit-for-tat",
        "source: Baarslag, Hindriks and Jonker, A tit for tat",
        "iam-haggler2011",
        "ac-iam-haggler2011",
        "source: Williams, Robu, Gerding and Jennings",
        "agent-lg",
        "ac-agent-lg",
        "negotiator-reloaded",
        "ac-negotiator-reloaded",
        "bram-agent",
        "ac-bram-agent",
        "offer=bram-agent",
        "source: BRAMAgent, ANAC 2011; GENIUS BRAMAgent_Offering",
        "gahboninho",
        "ac-gahboninho",
        "offer=gahboninho",
        "source: Ben Adar, Sofy and Elimelech, Gahboninho",
        "cuhk-agent",
        "ac-cuhk-agent",
        "offer=cuhk-agent",
        "source: Hao and Leung, CUHKAgent",
    ] {
        assert!(text.contains(kind), "{kind} missing:\n{text}");
    }
}

#[test]
fn mediator_strategies_are_listed_after_the_negotiators() {
    let out = detente()
        .arg("negotiators")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let (negotiators, mediators) = text
        .split_once("Mediator strategies")
        .unwrap_or_else(|| panic!("no mediator section:\n{text}"));
    let registry = detente_negotiators::Registry::builtin();
    assert!(!registry.mediators().list().is_empty());
    for strategy in registry.mediators().list() {
        let line = mediators
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{} ", strategy.name)))
            .unwrap_or_else(|| panic!("{} missing:\n{text}", strategy.name));
        assert!(line.ends_with(&strategy.summary), "{line}");
        for p in &strategy.params {
            assert!(
                mediators.contains(&format!("{}={} (default", p.name, p.default)),
                "{}: parameter {} missing:\n{text}",
                strategy.name,
                p.name
            );
        }
    }
    for kind in registry.list() {
        assert!(
            negotiators.contains(&format!("  {} ", kind.name)),
            "{}",
            kind.name
        );
    }
}

/// Scenarios naming kinds the registry does not have, or parameters it refuses: the change
/// made to the pie scenario, where `scenario check` says the problem is (besides the file's
/// name), and the registry's message.
const BAD_SPECS: &[(&str, &str, &str, &str)] = &[
    (
        "negotiator = \"boulware\"",
        "negotiator = \"sneaky\"",
        "default negotiator of party `Alice` (`sneaky`)",
        "unknown negotiator kind `sneaky`; known kinds: time-based, boulware",
    ),
    (
        "negotiator = \"conceder\"",
        "negotiator = { kind = \"conceder\", e = 0.5 }",
        "default negotiator of party `Bob` (`conceder:e=0.5`)",
        "parameter `e` of negotiator `conceder` must be",
    ),
    (
        "rounds = 20",
        "rounds = 20\nkind = \"mediated\"\nstrategy = \"oracle\"",
        "mediator strategy `oracle`",
        "unknown mediator kind `oracle`; known kinds: hill-climbing, veto, informed",
    ),
    (
        "rounds = 20",
        "rounds = 20\nkind = \"mediated\"\nstrategy = \"informed:pace=2\"",
        "mediator strategy `informed:pace=2`",
        "mediator `informed` has no parameter `pace`",
    ),
];

#[test]
fn scenario_check_finds_unknown_kinds_with_code_2() {
    let dir = TempDir::new("cli-bad-specs");
    let pie = std::fs::read_to_string(repo("scenarios/pie/pie.toml")).unwrap();
    for (k, (from, to, place, message)) in BAD_SPECS.iter().enumerate() {
        assert!(pie.contains(from), "{from}");
        let file = format!("bad-spec-{k}.toml");
        let path = dir.join(&file);
        std::fs::write(&path, pie.replacen(from, to, 1)).unwrap();
        let check = detente()
            .args(["scenario", "check"])
            .arg(&path)
            .assert()
            .code(2);
        let stderr = String::from_utf8(check.get_output().stderr.clone()).unwrap();
        for needle in [&format!("{file}: {place}: "), *message] {
            assert!(stderr.contains(needle), "{to}: `{needle}` not in: {stderr}");
        }
        assert!(
            check.get_output().stdout.is_empty(),
            "{to}: a summary was printed"
        );
        // `run` finds the same problem when it sets the talks up.
        let run = detente().arg("run").arg(&path).assert().code(2);
        let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains(message),
            "run {to}: `{message}` not in: {stderr}"
        );
    }
}

#[test]
fn every_command_has_help() {
    for cmd in [
        &["--help"][..],
        &["run", "--help"],
        &["scenario", "--help"],
        &["scenario", "check", "--help"],
        &["scenario", "convert", "--help"],
        &["analyze", "--help"],
        &["negotiators", "--help"],
    ] {
        detente()
            .args(cmd)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
    detente().arg("frobnicate").assert().code(2);
}

#[test]
fn convert_to_toml_round_trips_through_the_cli() {
    let dir = TempDir::new("cli-convert");
    let out = dir.join("deal.toml");
    detente()
        .args(["scenario", "convert"])
        .arg(repo("scenarios/buyer-seller/buyer-seller.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let a = detente()
        .args(["run", "--format", "json"])
        .arg(repo("scenarios/buyer-seller/buyer-seller.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let b = detente()
        .args(["run", "--format", "json"])
        .arg(&out)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let (mut a, mut b): (Value, Value) = (
        serde_json::from_slice(&a).unwrap(),
        serde_json::from_slice(&b).unwrap(),
    );
    a["scenario"] = Value::Null;
    b["scenario"] = Value::Null;
    assert_eq!(a["actions"], b["actions"]);
    assert_eq!(a["result"], b["result"]);
}

/// Bad compliance settings are input errors naming the file and line, with exit code 2.
#[test]
fn bad_compliance_settings_name_their_line() {
    let dir = detente_testkit::TempDir::new("cli-bad-compliance");
    let base =
        std::fs::read_to_string(crate::support::repo("examples/scenarios/pause.toml")).unwrap();
    let cases = [
        (
            "unknown-issue",
            ("issue = \"pause\"\nvalues", "issue = \"truce\"\nvalues"),
            "an obligation names issue `truce`, which is not in the scenario",
        ),
        (
            "negative-duration",
            ("expire_after = 3", "expire_after = -3"),
            "`expire_after` must be a number of rounds from 1, not -3",
        ),
        (
            "accuracy",
            ("accuracy = 0.9", "accuracy = 1.5"),
            "party `North`: compliance `accuracy` must be in [0, 1], not 1.5",
        ),
    ];
    for (name, (from, to), expect) in cases {
        assert!(base.contains(from), "{name}");
        let text = base.replacen(from, to, 1);
        let line = text[..text.find(to).unwrap()].matches('\n').count() + 1;
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, &text).unwrap();
        let out = detente()
            .arg("run")
            .arg(&path)
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        assert!(err.contains(expect), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}.toml:{line}:")),
            "{name}: line {line}: {err}"
        );
    }
}

#[test]
fn a_bilateral_agent_in_a_multilateral_scenario_is_an_input_error() {
    detente()
        .arg("run")
        .arg(repo("scenarios/ukraine-2025/ukraine-2025.toml"))
        .args(["--negotiator", "Russia=micro", "--rounds", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "negotiator for party `Russia` (`micro`): negotiator `micro` plays bilateral \
             negotiations only (two parties), not 4",
        ));
    detente()
        .arg("run")
        .arg(repo("scenarios/pie/pie.toml"))
        .args(["--negotiator", "Alice=micro", "--rounds", "5"])
        .assert()
        .success();
}
