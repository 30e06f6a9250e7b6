//! The compliance phase through the files: the worked example's scenario round-trips through
//! TOML, and a trace's compliance records through the JSON trace (writer and reader).

use std::path::{Path, PathBuf};

use detente_core::compliance::Act;
use detente_core::{ComplianceRecord, NegotiationResult, Reporter, Scenario, Termination, Trace};
use detente_formats::scenario_toml;
use detente_formats::trace::{TraceDoc, replay, trace_doc};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios/pause.toml")
}

fn load(path: &Path) -> Scenario {
    scenario_toml::load(path)
        .expect("the example reads")
        .scenario
}

#[test]
fn the_worked_example_round_trips_through_toml() {
    let s = load(&example());
    assert_eq!(s.compliance.obligations.len(), 1);
    assert_eq!(s.compliance.obligations[0].expire_after, Some(3));
    assert_eq!(
        s.compliance.profile(1).unwrap().strategy.kind,
        "opportunistic"
    );
    let text = scenario_toml::to_string(&s).unwrap();
    let back = scenario_toml::load_str(&text, Path::new("back.toml"))
        .unwrap()
        .scenario;
    assert_eq!(back.compliance, s.compliance);
    assert_eq!(back.events, s.events);
}

#[test]
fn compliance_records_round_trip_through_the_json_trace() {
    let s = load(&example());
    let records = vec![
        ComplianceRecord::Act {
            round: 1,
            issue: 0,
            party: 1,
            act: Act::Breach,
        },
        ComplianceRecord::Observed {
            round: 1,
            issue: 0,
            by: Reporter::Party(0),
            about: 1,
            saw: Act::Breach,
        },
        ComplianceRecord::Observed {
            round: 1,
            issue: 0,
            by: Reporter::Monitor,
            about: 1,
            saw: Act::Comply,
        },
        ComplianceRecord::Report {
            round: 1,
            issue: 0,
            by: Reporter::Party(1),
            about: 1,
            claim: Act::Comply,
        },
        ComplianceRecord::Report {
            round: 1,
            issue: 0,
            by: Reporter::Monitor,
            about: 0,
            claim: Act::Breach,
        },
        ComplianceRecord::Belief {
            round: 1,
            holder: 0,
            about: 1,
            belief: 0.25,
        },
    ];
    let trace = Trace {
        parties: vec!["North".into(), "South".into()],
        seed: 7,
        deadline: 10,
        entries: Vec::new(),
        events: Vec::new(),
        compliance: records.clone(),
        result: NegotiationResult {
            termination: Termination::Deadline,
            agreement: None,
            rounds_used: 10,
            time: 1.0,
            utilities: vec![0.2, 0.2],
        },
    };
    let json = trace_doc(&s, &trace, &[], None).to_json();
    let doc = TraceDoc::from_json_str(&json, Path::new("t.json")).unwrap();
    let back = replay(&doc, &s, Path::new("t.json")).unwrap();
    assert_eq!(back.trace.compliance, records);
    // A record naming a party outside the scenario is refused, naming the record.
    let bad = json.replacen("\"by\": \"monitor\"", "\"by\": \"East\"", 1);
    let doc = TraceDoc::from_json_str(&bad, Path::new("t.json")).unwrap();
    let err = replay(&doc, &s, Path::new("t.json"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("$.compliance[2]") && err.contains("`East`"),
        "{err}"
    );
}

fn peace_talks() -> Scenario {
    load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/ukraine-2025/ukraine-2025.toml"),
    )
}

/// The example record of the spring 2025 accounts: reports only, each side accusing the other.
#[test]
fn a_hand_written_record_holds_reports_without_the_truth() {
    let s = peace_talks();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/traces/ukraine-2025-energy-pause.toml");
    let rec = detente_formats::trace::load(&path, &s).unwrap();
    let records = &rec.trace.compliance;
    assert_eq!(records.len(), 12);
    let (ukraine, russia) = (
        s.party_index("Ukraine").unwrap(),
        s.party_index("Russia").unwrap(),
    );
    let ceasefire = s.space.issue_index("ceasefire").unwrap();
    for r in records {
        let ComplianceRecord::Report {
            round,
            issue,
            by: Reporter::Party(by),
            about,
            claim,
        } = *r
        else {
            panic!("only reports: {r:?}");
        };
        assert!((2..=4).contains(&round), "rounds 3 to 5, from 0");
        assert_eq!(issue, ceasefire);
        assert!([ukraine, russia].contains(&by));
        assert_eq!(
            claim,
            if by == about {
                Act::Comply
            } else {
                Act::Breach
            }
        );
    }
}

const RECORD_HEAD: &str = "scenario = \"ukraine-2025\"\n[[actions]]\nround = 1\nparty = \"United States\"\naction = \"end\"\n";

#[test]
fn reports_in_records_are_checked_with_their_line() {
    let s = peace_talks();
    let cases = [
        (
            "by = \"Poland\"\nabout = \"Russia\"\nclaim = \"breach\"",
            "not a party",
        ),
        (
            "by = \"Russia\"\nabout = \"European Union\"\nclaim = \"breach\"",
            "not bound",
        ),
        (
            "by = \"Russia\"\nabout = \"Ukraine\"\nclaim = \"violated\"",
            "expected comply or breach",
        ),
        (
            "by = \"Russia\"\nabout = \"Ukraine\"\nclaim = \"breach\"\nissue = \"aid\"",
            "no obligation on `aid`",
        ),
    ];
    for (body, want) in cases {
        let text = format!("{RECORD_HEAD}\n[[reports]]\nround = 1\n{body}\n");
        let e = detente_formats::trace::record_from_toml_str(&text, Path::new("r.toml"), &s)
            .unwrap_err()
            .to_string();
        assert!(e.contains(want) && e.contains("r.toml:7:"), "{e}");
    }
}

#[test]
fn csv_records_hold_reports_as_rows() {
    let s = peace_talks();
    let text = "round,party,action,about,claim,note\n\
                1,United States,end,,,\n\
                1,Russia,report,Ukraine,breach,strikes on energy\n\
                1,monitor,report,Russia,comply,\n";
    let rec = detente_formats::trace::record_from_csv_str(text, Path::new("r.csv"), &s).unwrap();
    assert_eq!(rec.trace.compliance.len(), 2);
    assert!(matches!(
        rec.trace.compliance[1],
        ComplianceRecord::Report {
            by: Reporter::Monitor,
            claim: Act::Comply,
            ..
        }
    ));
    let bad = text.replace("Ukraine,breach", "Ukraine,");
    let e = detente_formats::trace::record_from_csv_str(&bad, Path::new("r.csv"), &s)
        .unwrap_err()
        .to_string();
    assert!(e.contains("r.csv:3:") && e.contains("`claim`"), "{e}");
}
