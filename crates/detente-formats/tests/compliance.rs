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
